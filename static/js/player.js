// The play loop: Play and Pause, one step or one epoch at a time, and slow motion, which hands
// each step to the phases (phases.js) to be played as Forward, Loss, Backward and Update.
import { api } from "./api.js";
import { ICONS } from "./dom.js";
import { t } from "./i18n.js";
import { speedOf } from "./speeds.js";

// Frames asked for ahead while playing: the server computes the next while the page paints.
const PIPELINE = 2;

export class Player {
  // options:
  //   session   the Session (session.js): its queue, its frames, its status line
  //   state     the page's State: view.slow (slow motion), view.speed (speeds.js), config.problem
  //   phases    the Phases (phases.js) that play a traced step
  //   charts    [LossChart, GradChart]: each frame is added; flushed when paused
  //   counters  the Counters (counters.js): the step shown before slow motion plays it
  //   buttons   { play, step, epoch, next }: Play/Pause (its face follows), Step, Step one
  //             epoch, Next phase
  //   canPlay   () => boolean: false while the plot was cleared and no point drawn yet
  constructor({ session, state, phases, charts, counters, buttons, canPlay }) {
    Object.assign(this, { session, state, phases, charts, counters, buttons, canPlay });
    this.playing = false;
    this.looping = false; // the loop runs (it ends a frame or two after Pause)
    this.resumed = false; // Play again before the loop ended: it goes on
    buttons.play.addEventListener("click", () => this.toggle());
    buttons.step.addEventListener("click", () => this.stepOnce("batch"));
    buttons.epoch.addEventListener("click", () => this.stepOnce("epoch"));
    buttons.next.addEventListener("click", () => phases.next());
  }

  record(frame) {
    for (const c of this.charts) c.add(frame);
    // batched while playing; a step, or the last frame after Pause, shows at once
    if (!this.playing) for (const c of this.charts) c.flush();
  }

  async stepOnce(unit) {
    const { session, state } = this;
    if (this.playing || this.phases.running || !session.current) return;
    await session.run(async () => {
      const prev = session.frame;
      const frame = await api.step(session.id, { steps: 1, unit, trace: true, grids: "all" });
      session.say("");
      this.record(frame);
      if (state.view.slow && unit === "batch") {
        this.counters.showStep(frame.step);
        await this.phases.play(prev, frame, state.config.problem, true);
      }
      session.draw(frame);
    });
  }

  toggle() {
    if (this.playing) this.pause();
    else this.play();
  }

  play() {
    if (!this.session.current) return;
    if (this.phases.running && !this.looping) return; // a step's phases walked by hand
    if (!this.canPlay()) { this.session.say(t("Draw a point first: click the output plot.")); return; }
    this.playing = true;
    this.face(true);
    this.session.say("");
    if (this.looping) this.resumed = true; // Play soon after Pause: the loop still running goes on
    else this.loop();
  }

  pause() {
    this.playing = false;
    for (const c of this.charts) c.flush();
    this.face(false);
  }

  face(playing) {
    const b = this.buttons.play;
    b.classList.toggle("playing", playing);
    b.setAttribute("aria-label", t(playing ? "Pause" : "Play"));
    b.innerHTML = playing ? ICONS.pause : ICONS.play;
  }

  // While playing, frames are asked for ahead (PIPELINE at a time) and drawn as they come.
  // A frame asked for before the network changed (an older generation) is dropped.
  async loop() {
    const { session, state } = this;
    this.looping = true;
    const ask = () => {
      const slow = state.view.slow;
      const { steps, unit } = slow ? { steps: 1, unit: "batch" } : speedOf(state.view.speed);
      const generation = session.generation;
      const body = { steps, unit, trace: slow, grids: "all" };
      return session.run(() => session.stepWithin(body)).then((frame) => ({ frame, generation, slow }));
    };
    const inflight = [];
    const fill = () => {
      const depth = state.view.slow ? 1 : PIPELINE;
      while (this.playing && inflight.length < depth) inflight.push(ask());
    };
    fill();
    while (this.playing && inflight.length) {
      const { frame, generation, slow } = await inflight.shift();
      if (!frame) break; // an error was reported (and a divergence paused)
      if (!slow) fill();
      if (generation !== session.generation) continue; // the network changed meanwhile
      this.record(frame);
      if (slow) await this.phases.play(session.frame, frame, state.config.problem, false);
      await new Promise((r) => requestAnimationFrame(() => {
        if (generation === session.generation) session.draw(frame);
        r();
      }));
      fill();
      this.resumed = false; // still playing: this loop goes on
    }
    for (const p of inflight) { // those still in flight when paused: show them
      const { frame, generation } = await p;
      if (frame && generation === session.generation) { this.record(frame); session.draw(frame); }
    }
    this.looping = false;
    if (this.resumed && this.playing) { this.resumed = false; this.loop(); }
  }
}

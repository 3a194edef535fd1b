// The timeline under the charts (issue 16): a slider over the session's recorded steps. Dragging
// it shows that moment (GET .../frames/{step}: the network, its maps, the output plot, the
// counters; the server hands it to a class following the session too) with a cursor on the loss
// and gradient charts. "Now" goes back to the live state; "Continue from here" rewinds the session
// to the moment shown (POST .../rewind), with another learning rate if one is picked beside it,
// and the run it leaves stays on the loss chart as a faded curve until the next branch.
// Play and Step while a moment is shown go on from now, not from it (the row says so): only
// "Continue from here" leaves the run behind.
import { api, ApiError } from "./api.js";
import { el } from "./dom.js";
import * as format from "./format.js";
import { t } from "./i18n.js";

export class Timeline {
  // options:
  //   root     the row's element (under the charts)
  //   session  the Session (session.js): its queue, its state, draw(frame) for the moment shown
  //   player   the Player (player.js): paused while scrubbing; Play first comes back to now
  //   charts   { loss, grad }: their cursor (setCursor) and the loss's faded run (setAbandoned)
  //   rates    the learning rates the page's menu offers (/api/options choices)
  // actions (for the KEYS table): back / forward one recorded step, and back to now.
  constructor({ root, session, player, charts, rates }) {
    Object.assign(this, { root, session, player, charts });
    this.steps = [0]; // the recorded steps, as the server last listed them (and frames since)
    this.shown = null; // the index of the moment shown; null: now
    this.wanted = null; // the index the slider asks for (a drag outruns the requests)
    this.busy = false;
    this.entering = null; // the list being fetched as a scrub begins
    this.slider = el("input", { type: "range", min: "0", max: "0", value: "0", step: "1", id: "timeline-slider",
      "aria-label": t("Timeline: the recorded steps") });
    this.slider.addEventListener("input", () => this.scrub(Number(this.slider.value)));
    // dragged with the pointer, it lets the page's keys go (Space plays, "," steps back); while
    // it is held, the moments shown do not move it under the pointer
    this.slider.addEventListener("pointerdown", () => { this.held = true; });
    this.slider.addEventListener("pointerup", () => { this.held = false; this.slider.blur(); });
    this.where = el("output", { class: "timeline-where", "aria-live": "polite" });
    this.now = el("button", { type: "button", class: "timeline-now", onclick: () => this.live() }, t("Now"));
    this.rate = el("select", { "aria-label": t("Rate to continue with") });
    this.rate.append(el("option", { value: "" }, t("same rate")),
      ...rates.map((r) => el("option", { value: String(r) }, `α ${format.rate(r)}`)));
    this.go = el("button", { type: "button", class: "timeline-continue", onclick: () => this.branch() }, t("Continue from here"));
    this.note = el("span", { class: "timeline-note hint" });
    const nudge = (d, label, text) => el("button", { type: "button", class: "icon", "aria-label": label, onclick: () => this.move(d) }, text);
    root.replaceChildren(
      el("div", { class: "timeline-row" },
        el("span", { class: "timeline-label" }, t("Timeline")),
        nudge(-1, t("One recorded step back"), "‹"), this.slider, nudge(1, t("One recorded step on"), "›"), this.now),
      el("div", { class: "timeline-branch" }, this.where, this.go, this.rate, this.note));
    session.listen({ show: (s) => this.sync(s), draw: (frame) => this.drawn(frame) });
    // Play while a moment is shown: back to now first, then play on from there
    const play = player.play.bind(player);
    player.play = () => (this.shown === null ? play() : this.live().then(play));
    this.paint();
  }

  get actions() {
    return { timelineBack: () => this.move(-1), timelineOn: () => this.move(1), timelineNow: () => this.live() };
  }

  get scrubbed() { return this.shown !== null; }

  // A whole session state (create, change, reset, rewind): now, with the server's list.
  sync(s) {
    this.steps = s.timeline?.steps ?? [s.frame.step];
    this.charts.loss.setAbandoned(s.timeline?.abandoned ?? []);
    this.leave();
  }

  // Every frame drawn: one the timeline did not ask for is training's (a step, Play, a typed
  // weight), the state now, and a step request's is recorded on the server.
  drawn(frame) {
    if (this.drawing) return;
    if (frame.step > this.steps[this.steps.length - 1]) this.steps.push(frame.step);
    this.leave();
  }

  leave() {
    this.shown = this.wanted = null;
    this.charts.loss.setCursor(null);
    this.charts.grad.setCursor(null);
    this.paint();
  }

  move(d) {
    if (this.shown === null && d > 0) return; // now is the newest there is
    const from = this.shown ?? this.steps.length - 1;
    const to = Math.max(0, Math.min(this.steps.length - 1, from + d));
    if (to !== from || this.shown === null) this.scrub(to);
  }

  // Show the moment of recorded index i; while one is on its way, only the latest asked for
  // follows it.
  async scrub(i) {
    if (!this.session.current) return;
    if (this.shown === null) {
      const step = this.steps[i]; // of the list the slider showed
      this.entering ??= this.enter().finally(() => { this.entering = null; });
      await this.entering;
      i = Math.max(0, this.steps.filter((s) => s <= step).length - 1);
    }
    this.wanted = Math.max(0, Math.min(this.steps.length - 1, i));
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.wanted !== null && this.wanted !== this.shown) {
        const step = this.steps[this.wanted];
        const frame = await this.session.run(() => this.fetch(step));
        if (this.wanted === null) break; // a state came meanwhile: now again
        if (!frame) { this.wanted = Math.min(this.wanted, this.steps.length - 1); continue; }
        this.shown = this.steps.indexOf(frame.step);
        this.show(frame);
      }
    } finally {
      this.busy = false;
    }
  }

  // Leaving now: training pauses, the frames it still has on the way are not drawn over the
  // moment shown, and the list is the server's (long runs are thinned there).
  async enter() {
    this.player.pause();
    this.session.generation += 1;
    await this.session.run(() => this.refresh());
    this.shown = this.steps.length - 1; // now, until the first moment comes
  }

  async refresh() {
    this.steps = (await api.frames(this.session.id)).steps;
  }

  // One recorded step's frame; a step thinned away since the list came: the list again, null.
  async fetch(step) {
    try {
      return await api.frameAt(this.session.id, step);
    } catch (e) {
      if (!(e instanceof ApiError && e.body?.code === "timeline.not_recorded")) throw e;
      await this.refresh();
      return null;
    }
  }

  show(frame) {
    this.drawing = true;
    try {
      this.session.draw(frame);
    } finally {
      this.drawing = false;
    }
    this.charts.loss.setCursor(frame.step);
    this.charts.grad.setCursor(frame.step);
    this.paint();
  }

  // Back to the state now (its frame drawn again, the class shown it).
  live() {
    if (this.shown === null) return Promise.resolve();
    this.wanted = null;
    return this.session.run(async () => this.session.show(await api.get(this.session.id), false));
  }

  // Continue from the moment shown: the session goes back to it, with the rate picked.
  branch() {
    if (this.shown === null) return Promise.resolve();
    const step = this.steps[this.shown];
    const body = { step };
    if (this.rate.value) body.learning_rate = Number(this.rate.value);
    this.wanted = null;
    return this.session.run(async () => {
      const s = await api.rewind(this.session.id, body);
      this.session.show(s, false);
      this.rate.value = "";
      this.session.say(t("Continued from step {n}: the run after it is the faded curve.", { n: format.count(step) }));
    });
  }

  paint() {
    const n = this.steps.length, last = this.steps[n - 1];
    this.slider.max = String(n - 1);
    if (!this.held) this.slider.value = String(this.shown ?? n - 1);
    const scrubbed = this.shown !== null;
    this.root.classList.toggle("scrubbed", scrubbed);
    this.now.disabled = this.go.disabled = this.rate.disabled = !scrubbed;
    if (scrubbed) {
      const step = this.steps[this.shown];
      this.where.textContent = t("step {n} of {m}", { n: format.count(step), m: format.count(last) });
      this.note.textContent = t("Play goes on from now (step {m}).", { m: format.count(last) });
      this.go.title = t("Train on from step {n}; the run after it stays on the loss chart as a faded curve.",
        { n: format.count(step) });
    } else {
      this.where.textContent = this.note.textContent = "";
    }
  }
}

// The comparison page (/compare): two sessions with the same data, seed and initial weights
// (POST /api/sessions/{id}/twin), differing in one setting, trained in lockstep: every frame
// steps both by the same steps and unit, so their step counters stay equal. Each run shows its
// network and output map; one chart holds both runs' losses.
//
// The URL holds the comparison: the shared configuration in the network page's keys (state.js),
// vary (a row of comparevary.js), a and b (the two values), lesson (a comparison lesson of
// /api/lessons, which sets all of them when the URL gives no configuration of its own).
import { api, ApiError } from "./api.js";
import { CompareChart } from "./comparechart.js";
import { compareLessonHref } from "./comparelink.js";
import { Side } from "./compareside.js";
import { VARY, describe, otherValue } from "./comparevary.js";
import { ICONS, el } from "./dom.js";
import { language, languageMenu, setLanguage, t, translatePage } from "./i18n.js";
import { bindKeys } from "./keys.js";
import { SPEEDS, speedOf } from "./speeds.js";
import { State } from "./state.js";
import { Lessons } from "./teaching.js";
import * as format from "./format.js";

const $ = (id) => document.getElementById(id);
const PIPELINE = 2; // pairs of step requests in flight while playing
const options = JSON.parse($("options").textContent);
const state = new State(options).load();
await setLanguage(state.view.lang, options.messages);
state.view.lang = language;

// The keyboard (keys.js): each row names an action of the page below.
const KEYS = () => [
  { keys: [" "], label: t("Space"), help: t("Play / pause"), action: "play" },
  { keys: ["ArrowRight"], label: "→", help: t("One step in both runs"), action: "step" },
  { keys: ["r", "R"], label: "R", help: t("Both runs back to their start"), action: "reset" },
  { keys: ["p", "P"], label: "P", help: t("Projector mode"), action: "projector" },
  { keys: ["l", "L"], label: "L", help: t("Lessons"), action: "lessons" },
  { keys: ["?"], label: "?", help: t("This help"), action: "help" },
  { keys: ["Escape"], anywhere: true, label: "Esc", help: t("Close"), action: "close" },
];

class ComparePage {
  constructor() {
    const q = (this.query = new URLSearchParams(location.search)); // as opened (save() rewrites it)
    this.lessonId = q.get("lesson");
    this.vary = Object.hasOwn(VARY, q.get("vary")) ? q.get("vary") : "activation";
    this.values = [q.get("a"), q.get("b")];
    this.sides = [new Side("a", options), new Side("b", options)];
    this.chart = new CompareChart($("compare-chart"));
    this.queue = Promise.resolve();
    this.generation = 0; // one more at every rebuild: frames of the runs before are dropped
    this.playing = false;
    this.status = $("status");
    this.status.addEventListener("click", () => this.say(""));
  }

  async start() {
    translatePage();
    languageMenu($("language"), (lang) => { state.view.lang = lang; this.save(); location.reload(); });
    this.setProjector(state.view.projector, false);
    const lessons = await api.lessons().catch(() => []);
    const comparisons = lessons.filter((l) => l.compare);
    const lesson = comparisons.find((l) => l.id === this.lessonId);
    this.lessonId = lesson ? lesson.id : null; // another lesson (from the network page's link) is not one here
    const own = [...this.query.keys()].some((k) => Object.hasOwn(state.defaults, k));
    if (lesson && !own) {
      Object.assign(state.config, lesson.config);
    }
    // the lesson's view, where the link says nothing of its own (projector mode and the
    // language are the room's)
    if (lesson) for (const [k, v] of Object.entries(lesson.view)) if (!this.query.has(k)) state.view[k] = v;
    if (lesson && !this.query.has("vary")) {
      this.vary = lesson.compare.vary;
      this.values = [String(lesson.compare.a), String(lesson.compare.b)];
    }
    this.lessons = new Lessons($("lessons"), $("lesson-bar"), language, (l) => this.openLesson(l));
    this.lessons.show(comparisons, lesson ? lesson.id : null);
    this.fillValues();
    this.buildControls();
    this.keys = bindKeys({ rows: KEYS(), list: $("help-keys"), actions: {
      play: () => this.toggle(), step: () => this.stepOnce("batch"), reset: () => this.rebuild(),
      projector: () => this.setProjector(!state.view.projector), lessons: () => this.lessons.open(),
      help: () => { $("help-overlay").hidden = !$("help-overlay").hidden; }, close: () => { $("help-overlay").hidden = true; },
    } });
    let resizing = null;
    window.addEventListener("resize", () => { clearTimeout(resizing); resizing = setTimeout(() => this.relayout(), 150); });
    await this.rebuild();
    document.body.dataset.ready = "1";
  }

  // The two values of the setting varied: the URL's, else the shared configuration's and its
  // opposite; a value the menu does not have is replaced.
  fillValues() {
    const row = VARY[this.vary], known = row.values(options).map((x) => x.value);
    const ok = (v) => v !== null && known.includes(String(v));
    let [a, b] = this.values;
    if (!ok(a)) a = ok(b) ? otherValue(this.vary, options, b) : row.current(state.config);
    if (!ok(a)) a = known[0];
    if (!ok(b) || b === a) b = otherValue(this.vary, options, a);
    this.values = [String(a), String(b)];
  }

  buildControls() {
    const fill = (select, items, value) => { // a value off the menu (a hand-made link) is offered too
      const known = items.some((x) => String(x.value) === String(value));
      const all = known ? items : [{ value, label: typeof value === "number" ? format.rate(value) : String(value) }, ...items];
      select.replaceChildren(...all.map((x) => el("option", { value: String(x.value) }, x.label)));
      select.value = String(value);
    };
    const problem = options.problems.find((p) => p.name === state.config.problem) || options.problems[0];
    fill($("dataset"), problem.datasets.map((d) => ({ value: d.name, label: t(d.description) })), state.config.dataset);
    const rates = VARY.learning_rate.values(options);
    fill($("learning-rate"), rates, state.config.learning_rate);
    fill($("vary"), Object.entries(VARY).map(([value, row]) => ({ value, label: row.label() })), this.vary);
    fill($("speed"), SPEEDS.map((s) => ({ value: s.value, label: t(s.label) })), speedOf(state.view.speed).value);
    this.fillSides();
    const change = (fn) => () => { fn(); this.leaveLesson(); this.rebuild(); };
    $("dataset").addEventListener("change", change(() => { state.config.dataset = $("dataset").value; }));
    $("learning-rate").addEventListener("change", change(() => { state.config.learning_rate = Number($("learning-rate").value); }));
    $("vary").addEventListener("change", change(() => { this.vary = $("vary").value; this.values = [null, null]; this.fillValues(); this.fillSides(); }));
    for (const [i, id] of [[0, "value-a"], [1, "value-b"]]) {
      $(id).addEventListener("change", change(() => { this.values[i] = $(id).value; }));
    }
    $("speed").addEventListener("change", () => { state.view.speed = $("speed").value; this.save(); });
    $("compare-settings").addEventListener("submit", (e) => e.preventDefault());
    $("play").addEventListener("click", () => this.toggle());
    $("step").addEventListener("click", () => this.stepOnce("batch"));
    $("epoch").addEventListener("click", () => this.stepOnce("epoch"));
    $("reset").addEventListener("click", () => this.rebuild());
    $("projector").addEventListener("click", () => this.setProjector(!state.view.projector));
    $("help").addEventListener("click", () => { $("help-overlay").hidden = false; });
    $("help-close").addEventListener("click", () => { $("help-overlay").hidden = true; });
  }

  fillSides() {
    const items = VARY[this.vary].values(options);
    ["value-a", "value-b"].forEach((id, i) => {
      $(id).replaceChildren(...items.map((x) => el("option", { value: x.value }, x.label)));
      $(id).value = this.values[i];
    });
    // the rate is shared unless it is what differs
    $("learning-rate").disabled = this.vary === "learning_rate";
  }

  // A changed setting is no longer the lesson: its caption goes.
  leaveLesson() {
    this.lessonId = null;
    $("lesson-bar").hidden = true;
    $("lessons").value = "";
  }

  openLesson(lesson) {
    location.href = compareLessonHref(lesson, state.view);
  }

  run(task) {
    const p = this.queue.then(task);
    this.queue = p.catch(() => {});
    return p.catch((e) => this.report(e));
  }

  report(e) {
    this.pause();
    if (e instanceof ApiError && e.status === 404 && !this.rebuilding) { this.rebuild(); return; } // forgotten: again
    this.say(e instanceof ApiError ? e.message : `Error: ${e.message}`);
    if (!(e instanceof ApiError)) console.error(e);
  }

  say(text) {
    this.status.textContent = text;
  }

  // Both runs afresh: A from the shared configuration with its value, B its twin with its own.
  rebuild() {
    this.pause();
    this.generation += 1;
    this.save();
    return this.run(async () => {
      this.rebuilding = true;
      try {
        const old = this.sides.map((s) => s.id).filter(Boolean);
        const changes = this.values.map((v) => VARY[this.vary].changes(state.config, v));
        let a;
        try {
          a = await api.create({ ...state.config, ...changes[0] });
        } catch (e) {
          if (!(e instanceof ApiError && e.status === 422)) throw e;
          this.say(e.message); // a hand-edited link with a bad value: the defaults
          state.config = structuredClone(options.defaults);
          a = await api.create({ ...state.config, ...VARY[this.vary].changes(state.config, this.values[0]) });
        }
        const b = await api.twin(a.id, VARY[this.vary].changes(a.config, this.values[1]));
        for (const id of old) api.remove(id).catch(() => {});
        const what = this.values.map((v) => describe(this.vary, options, v));
        this.sides.forEach((side, i) => side.show([a, b][i], what[i]));
        this.chart.reset(this.sides.map((s, i) => ({ name: s.name, what: what[i], frame: s.frame })));
        this.showCounters();
        $("to-network").href = `/${state.toSearch()}`;
      } finally {
        this.rebuilding = false;
      }
    });
  }

  save() {
    const q = new URLSearchParams(state.toSearch().slice(1));
    q.set("vary", this.vary);
    q.set("a", this.values[0]);
    q.set("b", this.values[1]);
    if (this.lessonId) q.set("lesson", this.lessonId);
    history.replaceState(null, "", `${location.pathname}?${q}`);
  }

  showCounters() {
    const f = this.sides[0].frame;
    $("step-count").textContent = format.count(f.step);
    $("epoch-count").textContent = format.count(f.epoch);
  }

  // One request's worth on one side: as many steps as asked, in pieces if its network allows
  // fewer at a time (a 422 names the most); the last frame.
  async stepSide(side, steps, unit) {
    let frame = null;
    for (let left = steps; left > 0;) {
      const n = Math.min(left, side.limit);
      try {
        frame = await api.step(side.id, { steps: n, unit, grids: "all" });
        left -= n;
      } catch (e) {
        const limit = e instanceof ApiError && e.status === 422 && e.body.limit;
        if (!(limit >= 1 && limit < n)) throw e;
        side.limit = limit;
      }
    }
    return frame;
  }

  // Both sides by the same steps: [settled result of A, of B] and the generation asked in.
  async stepBoth(steps, unit) {
    const generation = this.generation;
    const results = await Promise.allSettled(this.sides.map((s) => this.stepSide(s, steps, unit)));
    return { results, generation };
  }

  // Draw both sides' new frames; a side that diverged says so. False when one did not step
  // (the play stops), or when the runs were rebuilt meanwhile.
  show({ results, generation }) {
    if (generation !== this.generation) return false;
    let ok = true;
    results.forEach((r, i) => {
      const side = this.sides[i];
      if (r.status === "fulfilled") {
        side.draw(r.value);
        this.chart.add(i, r.value);
        return;
      }
      ok = false;
      const e = r.reason;
      if (e instanceof ApiError && e.status === 409) side.say(t("Run {side} diverged at step {n}: reset, or lower its rate.", { side: side.name, n: format.count(e.body.step) }));
      else this.report(e);
    });
    this.showCounters();
    if (!this.playing || !ok) this.chart.flush();
    return ok;
  }

  stepOnce(unit) {
    if (this.playing) return;
    return this.run(async () => this.show(await this.stepBoth(1, unit)));
  }

  toggle() {
    if (this.playing) this.pause();
    else this.play();
  }

  play() {
    if (this.playing || !this.sides[0].current) return;
    this.playing = true;
    this.face();
    if (!this.looping) this.loop(); // Play soon after Pause: the loop still draining goes on
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    this.chart.flush();
    this.face();
  }

  face() {
    const b = $("play");
    b.classList.toggle("playing", this.playing);
    b.setAttribute("aria-label", t(this.playing ? "Pause" : "Play"));
    b.innerHTML = this.playing ? ICONS.pause : ICONS.play;
  }

  // While playing, the next pair of steps is asked for while a pair is drawn (PIPELINE
  // pairs in flight; each session answers its requests in order).
  async loop() {
    const ask = () => {
      const { steps, unit } = speedOf(state.view.speed);
      return this.run(() => this.stepBoth(steps, unit));
    };
    this.looping = true;
    const inflight = [];
    const fill = () => { while (this.playing && inflight.length < PIPELINE) inflight.push(ask()); };
    fill();
    while (this.playing && inflight.length) {
      const pair = await inflight.shift();
      fill();
      const ok = await new Promise((r) => requestAnimationFrame(() => r(pair && this.show(pair))));
      if (!ok) this.pause();
    }
    for (const p of inflight) { // those still in flight when paused: shown, so both counters tell the server's
      const pair = await p;
      if (pair) this.show(pair);
    }
    this.looping = false;
    if (this.playing) this.loop();
  }

  setProjector(on, redraw = true) {
    state.view.projector = on;
    document.body.classList.toggle("projector", on);
    $("projector").setAttribute("aria-pressed", String(on));
    this.save();
    if (redraw) this.relayout();
  }

  relayout() {
    for (const s of this.sides) s.relayout();
  }
}

const page = new ComparePage();

// window.backpropCompare: what tests (and a curious teacher at the console) may read of the
// comparison page. Read-only, frozen; each member returns a copy or a measurement:
//   sides()              [{name, id, what, step, epoch, loss: {train, test}, config}] of A and B
//   curves()             a promise of the loss chart's curves as drawn:
//                        [{name, points, color, dash}], A's training and test, then B's
//   idle()               a promise that resolves once no request is queued (after Pause)
//   outputPixel(i, x1, x2)  [r, g, b] side i's (0: A, 1: B) output map shows at (x1, x2)
//   keys()               the keyboard table: [[key, what it does], ...]
window.backpropCompare = Object.freeze({
  sides: () => page.sides.map((s) => structuredClone({ name: s.name, id: s.id ?? null, what: s.elements.what.textContent,
    step: s.frame?.step ?? null, epoch: s.frame?.epoch ?? null, loss: s.frame?.loss ?? null, config: s.current?.config ?? null })),
  curves: () => page.chart.curves(),
  idle: async () => {
    let tail;
    do { tail = page.queue; await tail; } while (tail !== page.queue);
  },
  outputPixel: (i, x1, x2) => page.sides[i].output.pixelAt(x1, x2),
  keys: () => page.keys.rows.map((r) => [r.label, r.help]),
});

page.start().catch((e) => page.report(e));

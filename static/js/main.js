// Wires the panels together: the state, the API, and each panel's update(frame).
import { api, ApiError } from "./api.js";
import { GradChart, LossChart } from "./charts.js";
import { Controls } from "./controls.js";
import { speedOf } from "./speeds.js";
import { DivergenceNotice } from "./divergence.js";
import { NetworkView } from "./network.js";
import { OutputPlot } from "./output.js";
import { OwnDataPanel } from "./owndata.js";
import { Phases } from "./phases.js";
import { State } from "./state.js";
import { KEYS, Lessons, renderGradcheck, renderNeuron, renderShapes, renderWeight } from "./teaching.js";
import { decode } from "./typed.js";
import { ICONS, el, mathml } from "./dom.js";
import { bindKeys } from "./keys.js"; // issue 12.9: one key table for the handler and the help
import { Drawer, fitEquations } from "./drawer.js"; // issue 12.4: the inspector beside the output
import { language, languageMenu, setLanguage, t, translatePage } from "./i18n.js";
import * as format from "./format.js"; // issue 12.2: every number the page shows
import { NotesCodePanel } from "./notescode.js"; // issue 13: the notes' two-layer code, run by the server

const $ = (id) => document.getElementById(id);
const options = JSON.parse($("options").textContent);
const state = new State(options).load();

// The inspected example's numbers refresh at most this often while training plays.
const FOLLOW_MS = 500;

class App {
  constructor() {
    this.session = null;
    this.frame = null;
    this.playing = false;
    this.queue = Promise.resolve(); // every server call runs in order, one at a time
    this.neuronMaps = null;
    const intents = {
      change: (changes) => this.change(changes),
      regenerate: () => this.change({ seed: Math.floor(Math.random() * 2 ** 31) }),
      previews: (problem, classes) => api.datasets(problem, classes),
      toggleFeature: (name) => this.toggleFeature(name),
      setUnits: (l, n) => this.change({ hidden: state.config.hidden.map((h, i) => (i === l - 1 ? { ...h, units: n } : h)) }),
      setActivation: (l, a) => this.change({ hidden: state.config.hidden.map((h, i) => (i === l - 1 ? { ...h, activation: a } : h)) }),
      editWeight: (edit, e) => this.openWeightEditor(edit, e),
      hoverNeuron: (l, j) => this.hoverNeuron(l, j),
      inspectNeuron: (l, j) => this.inspectNeuron(l, j),
    };
    this.controls = new Controls(options, state, intents);
    this.net = new NetworkView($("network"), options, intents);
    this.output = new OutputPlot($("output-plot"), (i) => this.inspect(i),
      (x, y, keys, oneD) => this.own.click(x, y, keys, oneD), () => this.own.drawing);
    this.own = new OwnDataPanel($("own-data"), {
      session: () => this.session,
      send: (points) => this.changeData(() => api.putData(this.session.id, points)),
      importCsv: (text, standardize) => this.changeData(() => api.importCsv(this.session.id, text, standardize)),
      importModel: (model) => this.importModel(model),
      exportPng: () => Promise.all([this.output.exportPng(), this.lossChart.exportPng("backprop-lab-loss")]),
      preview: (data) => this.output.setData(data, state.config, this.frame.grid || this.session.frame.grid),
      pause: () => this.pause(),
      report: (e) => this.report(e),
    });
    this.lossChart = new LossChart($("loss-chart"));
    this.gradChart = new GradChart($("grad-chart"));
    this.phases = new Phases(this.net, { bar: $("phases"), caption: $("phase-caption"), next: $("next-phase"),
      mark: (i) => this.output.markExample(i) });
    this.lessons = new Lessons($("lessons"), $("lesson-bar"), language, (lesson) => this.openLesson(lesson));
    this.notesCode = new NotesCodePanel($("notes-code-panel"), { run: (body) => api.notesTwoLayer(body), limits: options.limits, open: new URLSearchParams(location.search).get("lesson") === "notes-two-layer", report: (e) => this.report(e) });
    this.drawer = new Drawer($("inspector"), { topbar: document.querySelector(".topbar"), output: document.querySelector(".column.output") });
    // divergence (static/js/divergence.js): a 409 offers going back; a bouncing loss, a hint
    this.divergence = new DivergenceNotice($("divergence"), {
      restore: (rate) => this.run(async () => this.show(await api.restore(this.session.id, rate), false)),
      play: () => this.play(),
      setRate: (rate) => this.change({ learning_rate: rate }),
      rates: options.choices.learning_rate,
      rate: () => state.config.learning_rate,
    });
  }

  // A lesson is a link: its configuration and view in the URL, loaded afresh.
  openLesson(lesson) {
    const next = new State(options);
    Object.assign(next.config, lesson.config);
    Object.assign(next.view, lesson.view, { projector: state.view.projector, lang: state.view.lang });
    const q = new URLSearchParams(next.toSearch().slice(1));
    q.set("lesson", lesson.id);
    location.search = q.toString();
  }

  // One training example's pass, written out with its numbers (MathML from the server), and
  // its path lit in the diagram.
  inspect(index) {
    return this.run(async () => {
      this.showExample(await api.example(this.session.id, index, true), this.frame.step);
      this.following = true;
    });
  }

  // While the drawer shows an example, its numbers follow training: at once after a step,
  // at most twice a second while playing; one request at a time, outside the queue.
  follow(frame) {
    if (!this.following || $("inspector").hidden || this.followBusy || this.phases?.running) return;
    if (this.inspectedStep === frame.step) return;
    const now = performance.now();
    if (this.playing && now - (this.followedAt || 0) < FOLLOW_MS) return;
    this.followBusy = true;
    this.followedAt = now;
    const { id } = this.session, { index } = this.inspected;
    api.example(id, index, true)
      .then((r) => { if (this.following && id === this.session.id) this.showExample(r, frame.step); })
      .catch(() => { this.following = false; })
      .finally(() => { this.followBusy = false; });
  }

  showExample(r, step) {
    this.inspected = r;
    this.inspectedStep = step;
    const scroll = $("inspector").scrollTop;
    $("inspector-title").textContent = t("Example #{i}: label {y}, prediction {p}", { i: r.index, y: format.value(r.label), p: format.value(r.prediction) });
    const body = $("inspector-body");
    body.replaceChildren();
    let kind = null;
    for (const eq of r.equations) {
      if (eq.kind !== kind) {
        kind = eq.kind;
        const h = document.createElement("h3");
        h.className = kind;
        h.textContent = t({ forward: "Forward", loss: "Loss", backward: "Backward" }[kind]);
        body.append(h);
      }
      const div = document.createElement("div");
      div.className = "eq";
      div.dataset.kind = eq.kind;
      div.append(el("div", { class: "title" }), mathml(eq.mathml)); // made by latex2mathml
      div.querySelector(".title").textContent = eq.title.replace(/^Layer (\d+): /, (_, l) => `${t("Layer {l}", { l })}: `).replace(/^Loss/, t("Loss"));
      body.append(div);
    }
    $("inspector").hidden = false;
    fitEquations(body); // a wide equation (say W of 3 x 5 with its vectors) breaks at "=" to fit
    $("inspector").scrollTop = scroll;
    this.net.clearLights();
    r.layers.forEach((layer, i) => this.net.light(i + 1, layer.a, "a ="));
  }

  // The example the details use: the one inspected, or the first training example.
  async exampleRecord() {
    if (!this.inspected || this.inspectedStep !== this.frame.step) {
      this.inspected = await api.example(this.session.id, this.inspected ? this.inspected.index : 0);
      this.inspectedStep = this.frame.step;
    }
    return this.inspected;
  }

  inspectNeuron(l, j) {
    return this.run(async () => {
      const layer = this.frame.layers[l - 1];
      // softmax couples the outputs: it has no curve of one z
      const [record, curve] = await Promise.all([this.exampleRecord(),
        layer.activation === "softmax" ? null : api.curve(layer.activation)]);
      const detail = document.createElement("div");
      $("inspector-body").prepend(detail);
      const maps = this.neuronMaps && this.neuronMaps[l - 1];
      await renderNeuron(detail, api, {
        l, j, frame: this.frame, record, curve, map: maps,
        drawMap: (canvas) => this.net.paintBig(canvas, maps, j, layer.activation),
      });
      this.following = false;
      $("inspector-title").textContent = t("Neuron {j} of layer {l}", { j: j + 1, l });
      $("inspector").hidden = false;
      detail.scrollIntoView();
    });
  }

  // detail: the box of a weight detail already shown, to rewrite in place (after a typed weight)
  weightDetail(edit, detail = null) {
    return this.run(async () => {
      const record = await this.exampleRecord();
      const fresh = !detail?.isConnected;
      if (fresh) $("inspector-body").prepend(detail = document.createElement("div"));
      this.weightBox = detail;
      const c = state.config, plain = c.optimizer === "sgd" && !c.l1 && !c.l2;
      await renderWeight(detail, api, { ...edit, l: edit.layer, j: edit.row, k: edit.col, frame: this.frame, previous: this.previous, record, lr: c.learning_rate, plain });
      this.following = false;
      $("inspector-title").textContent = `${t("Weight")} W[${edit.layer}] ${edit.row + 1},${edit.col + 1}`;
      $("inspector").hidden = false;
      if (fresh) detail.scrollIntoView();
    });
  }

  // The hyper-parameter row can be folded away (a projector at 1280 x 720 has little height).
  showSettings(on, redraw = true) {
    state.setView({ settings: on });
    document.body.classList.toggle("settings-hidden", !on);
    $("settings").setAttribute("aria-pressed", String(on));
    if (redraw) this.relayout();
  }

  setProjector(on, redraw = true) {
    state.setView({ projector: on });
    document.body.classList.toggle("projector", on);
    $("projector").setAttribute("aria-pressed", String(on));
    const view = new URLSearchParams();
    if (on) view.set("projector", "1");
    if (state.view.lang !== "en") view.set("lang", state.view.lang);
    $("to-circuit").href = `/circuit${view.toString() ? `?${view}` : ""}`;
    if (!redraw) return;
    this.relayout();
    if (this.session) this.output.setData(this.session.data, state.config, this.frame.grid || this.session.frame.grid);
  }

  async start() {
    translatePage();
    languageMenu($("language"), (lang) => { state.setView({ lang }); location.reload(); });
    this.setProjector(state.view.projector, false);
    this.showSettings(state.view.settings, false);
    this.controls.build();
    this.own.build();
    const q = new URLSearchParams(location.search);
    const lessons = api.lessons();
    lessons.then((l) => this.lessons.show(l, q.get("lesson"))).catch((e) => this.report(e));
    // a bare lesson link (?lesson=id, typed or shared by hand) sets up the lesson's network;
    // a link with settings of its own keeps them
    if (q.has("lesson") && ![...q.keys()].some((k) => Object.hasOwn(state.defaults, k))) {
      const lesson = (await lessons.catch(() => [])).find((x) => x.id === q.get("lesson"));
      if (lesson) {
        Object.assign(state.config, lesson.config);
        Object.assign(state.view, lesson.view, { projector: state.view.projector, lang: state.view.lang });
      }
    }
    this.bindButtons();
    $("slow").checked = state.view.slow;
    $("show-test").checked = state.view.showTest;
    $("discretize").checked = state.view.discretize;
    this.output.setView({ showTest: state.view.showTest, discretize: state.view.discretize });
    let s;
    try {
      s = await api.create(state.config);
    } catch (e) {
      this.report(e); // a hand-edited link with a bad value: start from the defaults
      s = await api.create({});
    }
    this.show(s, true);
    document.body.dataset.ready = "1";
    this.readyAt = performance.now(); // first meaningful paint: controls, network, maps drawn
  }

  bindButtons() {
    $("play").addEventListener("click", () => this.togglePlay());
    $("step").addEventListener("click", () => this.stepOnce("batch"));
    $("epoch").addEventListener("click", () => this.stepOnce("epoch"));
    $("reset").addEventListener("click", () => this.reset());
    $("next-phase").addEventListener("click", () => this.phases.next());
    $("status").addEventListener("click", () => { $("status").textContent = ""; });
    $("projector").addEventListener("click", () => this.setProjector(!state.view.projector));
    $("settings").addEventListener("click", () => this.showSettings(!state.view.settings));
    $("help").addEventListener("click", () => { $("help-overlay").hidden = false; });
    $("inspector-close").addEventListener("click", () => { $("inspector").hidden = true; this.net.clearLights(); });
    $("help-close").addEventListener("click", () => { $("help-overlay").hidden = true; });
    $("gradcheck").addEventListener("click", () => this.run(async () => {
      $("gradcheck-result").textContent = t("Checking…");
      renderGradcheck($("gradcheck-result"), await api.gradcheck(this.session.id));
    }));
    $("add-layer").addEventListener("click", () => {
      const last = state.config.hidden[state.config.hidden.length - 1];
      this.change({ hidden: [...state.config.hidden, { units: last ? last.units : 4, activation: last ? last.activation : "tanh" }] });
    });
    $("remove-layer").addEventListener("click", () => this.change({ hidden: state.config.hidden.slice(0, -1) }));
    $("slow").addEventListener("change", (e) => state.setView({ slow: e.target.checked }));
    $("show-test").addEventListener("change", (e) => { state.setView({ showTest: e.target.checked }); this.output.setView({ showTest: e.target.checked }); });
    $("discretize").addEventListener("change", (e) => { state.setView({ discretize: e.target.checked }); this.output.setView({ discretize: e.target.checked }); });
    $("weight-editor").addEventListener("submit", (e) => { e.preventDefault(); this.submitWeight(); });
    this.bindKeys();
    let resizing = null;
    window.addEventListener("resize", () => {
      clearTimeout(resizing);
      resizing = setTimeout(() => this.relayout(), 150);
    });
    document.addEventListener("click", (e) => {
      const ed = $("weight-editor");
      if (!ed.hidden && !ed.contains(e.target)) ed.hidden = true;
    });
  }

  // issue 12.9: the keyboard is the table in teaching.js (KEYS); these are its actions
  bindKeys() {
    const help = $("help-overlay");
    this.keys = bindKeys({ rows: KEYS(), list: $("help-keys"), actions: {
      play: () => this.togglePlay(),
      step: () => this.stepOnce("batch"),
      phase: () => this.phases.next(),
      reset: () => this.reset(),
      projector: () => this.setProjector(!state.view.projector),
      settings: () => this.showSettings(!state.view.settings),
      lessons: () => this.lessons.open(),
      help: () => { help.hidden = !help.hidden; },
      close: () => { help.hidden = true; $("inspector").hidden = true; this.net.clearLights(); },
    } });
  }

  run(task) {
    const p = this.queue.then(task);
    this.queue = p.catch(() => {});
    return p.catch((e) => this.report(e));
  }

  report(e) {
    if (e instanceof ApiError && e.status === 404 && this.frame && !this.reviving) { this.revive(); return; }
    if (e instanceof ApiError && e.status === 409) { this.pause(); this.divergence.diverged(e.body); return; }
    $("status").textContent = e instanceof ApiError ? e.message : `Error: ${e.message}`;
    if (!(e instanceof ApiError)) console.error(e);
  }

  // The server forgets a session idle for an hour (a page set up before the lesson, say):
  // rebuild it from what the page holds (configuration, the weights shown, own points, the
  // step count) and go on as if nothing happened; only the loss curves start afresh.
  revive() {
    const wasPlaying = this.playing;
    this.reviving = true;
    this.pause();
    return this.run(async () => {
      const f = this.frame, d = this.session.data;
      const s = await api.importModel({
        ...options.model_format, config: this.session.config, step: f.step, epoch: f.epoch,
        layers: f.layers.map((layer) => ({ activation: layer.activation, W: layer.W, b: layer.b })),
        data: d.own ? { train: d.train, test: d.test, scaling: d.scaling ?? null } : null,
      });
      this.show(s, true);
      if (wasPlaying) this.play();
      $("status").textContent = t("The server had forgotten this idle session; it was rebuilt from the weights on the page.");
    }).finally(() => { this.reviving = false; });
  }

  // A whole session state (create, get, patch, reset): layout, data, maps, history.
  show(s, fresh, newData = false) {
    this.generation = (this.generation || 0) + 1; // frames asked for before this are stale
    const structural = fresh || !this.session || JSON.stringify(layoutKey(s.config)) !== JSON.stringify(layoutKey(state.config))
      || JSON.stringify(s.frame.grid?.input_names) !== JSON.stringify(this.inputNames);
    const dataChanged = fresh || newData || JSON.stringify(s.data.train.y.slice(0, 20)) !== JSON.stringify(this.session?.data.train.y.slice(0, 20))
      || s.data.train.X.length !== this.session?.data.train.X.length || s.config.dataset !== state.config.dataset
      || s.config.seed !== state.config.seed || s.config.noise !== state.config.noise;
    if (dataChanged) this.following = false; // the inspected index may be another point now
    this.session = s;
    this.divergence.sync(s);
    $("no-test").hidden = !(s.data.own && s.data.test.X.length === 0);
    state.setConfig(s.config);
    this.controls.sync(s.config);
    this.inputNames = s.frame.grid?.input_names || this.inputNames;
    $("layer-count").textContent = t(s.config.hidden.length === 1 ? "{n} hidden layer" : "{n} hidden layers", { n: s.config.hidden.length });
    $("add-layer").disabled = s.config.hidden.length >= options.limits.max_hidden_layers;
    $("remove-layer").disabled = s.config.hidden.length === 0;
    $("acc-row").hidden = s.config.problem === "regression";
    if (structural) this.net.layout(s.config, this.inputNames);
    if (dataChanged || structural) this.output.setData(s.data, s.config, s.frame.grid);
    this.own.sync(s);
    $("datasets").classList.toggle("own", s.data.own); // own points: no generated set is in use
    renderShapes($("shapes"), s.frame, s.config);
    $("gradcheck-result").replaceChildren();
    $("gradcheck-penalty").hidden = !(s.config.l1 > 0 || s.config.l2 > 0); // issue 12.9: it checks the data loss
    const history = s.history || [];
    // issue 12.9: the curve starts at the state shown; a mark where the data changed
    if (fresh) this.lossChart.clearMarks();
    else if (dataChanged) this.lossChart.markData(s.frame.step, t("New data"));
    this.lossChart.reset(history, s.config.problem !== "regression", s.frame);
    this.gradChart.reset(history, s.frame.layers.length);
    this.draw(s.frame);
  }

  // The window changed size: lay the diagram out again and redraw what is shown.
  relayout() {
    if (!this.session || !this.frame) return;
    this.net.layout(state.config, this.inputNames);
    this.output.placeCanvas();
    this.draw(this.frame);
  }

  draw(frame) {
    if (frame !== this.frame) this.previous = this.frame; // the weight detail's W before the update
    this.frame = frame;
    this.draws = (this.draws || 0) + 1;
    this.follow(frame);
    this.divergence.watch(frame, state.config.learning_rate);
    if (frame.grid && frame.grid.neurons) this.neuronMaps = frame.grid.neurons.map((t) => decode(t));
    this.net.update(frame);
    this.output.update(frame);
    $("step-count").textContent = format.count(frame.step);
    $("epoch-count").textContent = format.count(frame.epoch);
    $("loss-train").textContent = format.loss(frame.loss.train);
    $("loss-test").textContent = format.loss(frame.loss.test);
    $("acc-test").textContent = format.percent(frame.accuracy?.test);
  }

  record(frame) {
    this.lossChart.add(frame);
    this.gradChart.add(frame);
    // batched while playing; a step, or the last frame after Pause, shows at once
    if (!this.playing) { this.lossChart.flush(); this.gradChart.flush(); }
  }

  speed() {
    return speedOf(state.view.speed);
  }

  // A large network may allow fewer epochs a request than the speed asks: the server names the
  // most (the error's limit); play on with that many.
  // It is remembered until the network or the data change (a new generation).
  async stepWithin(body) {
    const known = this.stepLimit && this.stepLimit.generation === this.generation ? this.stepLimit.limit : Infinity;
    const ask = { ...body, steps: Math.min(body.steps, known) };
    try {
      return await api.step(this.session.id, ask);
    } catch (e) {
      const limit = e instanceof ApiError && e.status === 422 && e.body.limit;
      if (!(limit >= 1 && limit < ask.steps)) throw e;
      this.stepLimit = { generation: this.generation, limit };
      $("status").textContent = t("This network allows {n} at a time: playing that many.", { n: limit });
      return api.step(this.session.id, { ...body, steps: limit });
    }
  }

  async stepOnce(unit) {
    if (this.playing || this.phases.running) return;
    await this.run(async () => {
      const prev = this.frame;
      const frame = await api.step(this.session.id, { steps: 1, unit, trace: true, grids: "all" });
      $("status").textContent = "";
      this.record(frame);
      if (state.view.slow && unit === "batch") {
        $("step-count").textContent = format.count(frame.step);
        await this.phases.play(prev, frame, state.config.problem, true);
      }
      this.draw(frame);
    });
  }

  togglePlay() {
    if (this.playing) this.pause();
    else this.play();
  }

  play() {
    if (this.phases.running && !this.looping) return; // a step's phases walked by hand
    if (this.own.cleared) { $("status").textContent = t("Draw a point first: click the output plot."); return; }
    this.playing = true;
    $("play").classList.add("playing");
    $("play").setAttribute("aria-label", t("Pause"));
    $("play").innerHTML = ICONS.pause;
    $("status").textContent = "";
    if (this.looping) this.resumed = true; // Play soon after Pause: the loop still running goes on
    else this.loop();
  }

  pause() {
    this.playing = false;
    this.lossChart.flush();
    this.gradChart.flush();
    $("play").classList.remove("playing");
    $("play").setAttribute("aria-label", t("Play"));
    $("play").innerHTML = ICONS.play;
  }

  // While playing, frames are asked for ahead (PIPELINE at a time) and drawn as they come:
  // the server computes the next frames while the page paints this one.
  async loop() {
    this.looping = true;
    const ask = () => {
      const slow = state.view.slow;
      const { steps, unit } = slow ? { steps: 1, unit: "batch" } : this.speed();
      const generation = this.generation;
      const body = { steps, unit, trace: slow, grids: "all" };
      return this.run(() => this.stepWithin(body)).then((frame) => ({ frame, generation, slow }));
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
      if (generation !== this.generation) continue; // the network changed meanwhile
      this.record(frame);
      if (slow) await this.phases.play(this.frame, frame, state.config.problem, false);
      await new Promise((r) => requestAnimationFrame(() => {
        if (generation === this.generation) this.draw(frame);
        r();
      }));
      fill();
      this.resumed = false; // still playing: this loop goes on
    }
    for (const p of inflight) { // those still in flight when paused: show them
      const { frame, generation } = await p;
      if (frame && generation === this.generation) { this.record(frame); this.draw(frame); }
    }
    this.looping = false;
    if (this.resumed && this.playing) { this.resumed = false; this.loop(); }
  }

  change(changes) {
    return this.run(async () => {
      const s = await api.patch(this.session.id, changes);
      $("status").textContent = "";
      s.history = s.history || [];
      this.show(s, false);
    });
  }

  // New points (drawn or imported): training goes on with the weights it has.
  changeData(request) {
    return this.run(async () => {
      const s = await request();
      $("status").textContent = "";
      s.history = s.history || [];
      this.show(s, false, true);
    });
  }

  // A saved model: a new session with its configuration, data and weights.
  importModel(model) {
    this.pause();
    return this.run(async () => {
      const s = await api.importModel(model);
      const old = this.session.id;
      this.show(s, true);
      $("status").textContent = t("Model imported: step {n}'s weights, ready to train on.", { n: model.step ?? 0 });
      api.remove(old).catch(() => {});
    });
  }

  toggleFeature(name) {
    const on = state.config.features.includes(name);
    const features = on ? state.config.features.filter((f) => f !== name) : [...state.config.features, name];
    if (features.length === 0) return;
    this.change({ features });
  }

  reset() {
    this.pause();
    return this.run(async () => {
      this.show(await api.reset(this.session.id), false);
      $("status").textContent = "";
    });
  }

  hoverNeuron(l, j) {
    if (l === null || !this.neuronMaps) this.output.showNeuron(null);
    else this.output.showNeuron(this.neuronMaps[l - 1], j, this.frame.layers[l - 1].activation);
  }

  openWeightEditor(edit, e) {
    this.editing = edit;
    this.weightDetail(edit);
    const ed = $("weight-editor");
    $("weight-editor-label").textContent = `W[${edit.layer}] ${edit.row + 1},${edit.col + 1}`;
    const input = $("weight-editor-input");
    input.value = format.weight(this.frame.layers[edit.layer - 1].W[edit.row][edit.col]);
    ed.style.left = `${e.clientX + 8}px`;
    ed.style.top = `${e.clientY + 8}px`;
    ed.hidden = false;
    input.focus();
    input.select();
  }

  submitWeight() {
    const value = Number($("weight-editor-input").value);
    $("weight-editor").hidden = true;
    if (!Number.isFinite(value)) return;
    const edit = { ...this.editing, value };
    this.run(async () => {
      const frame = await api.setWeight(this.session.id, edit);
      this.draw(frame);
      this.previous = null; // a typed weight is no update to write out
      this.inspectedStep = null; // the example's numbers change with the weight: ask again
      if (!$("inspector").hidden) this.follow(frame);
    });
    if (!$("inspector").hidden) this.weightDetail(this.editing, this.weightBox); // queued: the new W
  }
}

const PIPELINE = 2;

function layoutKey(c) {
  return [c.problem, c.classes, c.features, c.hidden];
}

await setLanguage(state.view.lang, options.messages);
state.view.lang = language; // a code that is no language (say "toString") is English
const app = new App();
window.backpropLab = app; // for the console, and for tests that read the current frame
app.start().catch((e) => app.report(e));

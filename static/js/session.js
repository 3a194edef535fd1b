// The session on the server and the one queue every request to it goes through. It creates,
// changes, resets, restores and imports sessions, sends new data, reports errors (reviving a
// session the server forgot, handing a divergence to its notice), and tells the panels about
// every state (show) and every frame (draw).
import { api, ApiError } from "./api.js";
import { t } from "./i18n.js";
import { decode } from "./typed.js";

export class Session {
  // options:
  //   state    the page's State (state.js); its config follows the server's after every state
  //   model    the model file's header from /api/options (options.model_format): a session
  //            the server forgot is imported again under it
  //   status   the status line (<p>): errors and notes; a click clears it
  //   panels   the panels told about each state, in this order:
  //              divergence.sync(s), controls.sync(config), counters.show(s),
  //              net.layout(config, inputNames) (a new shape), output.setData(data, config, grid)
  //              (new data or shape), own.sync(s), charts.loss / charts.grad (reset, marks),
  //            and about each frame: divergence.watch(frame, rate), net.update(frame),
  //            output.update(frame), counters.draw(frame)
  //   player   { playing(), play(), pause() }: the play loop (a 409 pauses it; a revived
  //            session plays on if it was playing)
  // Controllers made later listen with listen({ show(s, change), draw(frame) }): after the
  // panels, each state with change = {fresh, structural, dataChanged}; before them, each frame.
  constructor({ state, model, status, panels, player }) {
    Object.assign(this, { state, model, status, panels, player });
    this.current = null; // the server's session: {id, config, data, frame, history}
    this.frame = null; // the frame shown
    this.previous = null; // the frame before it (a weight's update, written out)
    this.generation = 0; // one more at every state: frames asked for before it are stale
    this.queue = Promise.resolve(); // every server call runs in order, one at a time
    this.neuronMaps = null; // every layer's neuron maps of the frame shown, decoded
    this.inputNames = null;
    this.draws = 0; // frames drawn
    this.listeners = [];
    status.addEventListener("click", () => this.say(""));
  }

  get id() { return this.current?.id; }
  get config() { return this.current?.config; }
  get data() { return this.current?.data; }
  get grid() { return this.frame?.grid || this.current?.frame.grid; }

  listen(listener) {
    this.listeners.push(listener);
  }

  say(text) {
    this.status.textContent = text;
  }

  run(task) {
    const p = this.queue.then(task);
    this.queue = p.catch(() => {});
    return p.catch((e) => this.report(e));
  }

  report(e) {
    if (e instanceof ApiError && e.status === 404 && this.frame && !this.reviving) { this.revive(); return; }
    if (e instanceof ApiError && e.status === 409) { this.player.pause(); this.panels.divergence.diverged(e.body); return; }
    this.say(e instanceof ApiError ? e.message : `Error: ${e.message}`);
    if (!(e instanceof ApiError)) console.error(e);
  }

  // A new session for the configuration; a hand-edited link with a bad value starts from the
  // defaults (the error is said).
  async open(config) {
    let s;
    try {
      s = await api.create(config);
    } catch (e) {
      this.report(e);
      s = await api.create({});
    }
    this.show(s, true);
  }

  // A session made elsewhere (a student's copy of a class's, app/routes/classes.py explore):
  // shown as it is, with its history; one the server no longer has gives a new session.
  async adopt(id) {
    try {
      this.show(await api.get(id), true);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) throw e;
      await this.open(this.state.config);
    }
  }

  // The server forgets a session idle for an hour (a page set up before the lesson, say):
  // rebuild it from what the page holds (configuration, the weights shown, own points, the
  // step count) and go on as if nothing happened; only the loss curves start afresh.
  revive() {
    const wasPlaying = this.player.playing();
    this.reviving = true;
    this.player.pause();
    return this.run(async () => {
      const f = this.frame, d = this.data;
      const s = await api.importModel({
        ...this.model, config: this.config, step: f.step, epoch: f.epoch,
        layers: f.layers.map((layer) => ({ activation: layer.activation, W: layer.W, b: layer.b })),
        data: d.own ? { train: d.train, test: d.test, scaling: d.scaling ?? null } : null,
      });
      this.show(s, true);
      if (wasPlaying) this.player.play();
      this.say(t("The server had forgotten this idle session; it was rebuilt from the weights on the page."));
    }).finally(() => { this.reviving = false; });
  }

  // A whole session state (create, get, patch, reset): layout, data, maps, history.
  show(s, fresh, newData = false) {
    this.generation += 1;
    const old = this.current, config = this.state.config;
    const structural = fresh || !old || JSON.stringify(layoutKey(s.config)) !== JSON.stringify(layoutKey(config))
      || JSON.stringify(s.frame.grid?.input_names) !== JSON.stringify(this.inputNames);
    const dataChanged = fresh || newData || JSON.stringify(s.data.train.y.slice(0, 20)) !== JSON.stringify(old?.data.train.y.slice(0, 20))
      || s.data.train.X.length !== old?.data.train.X.length || s.config.dataset !== config.dataset
      || s.config.seed !== config.seed || s.config.noise !== config.noise;
    const { divergence, controls, counters, net, output, own, charts } = this.panels;
    this.current = s;
    divergence.sync(s);
    this.state.setConfig(s.config);
    controls.sync(s.config);
    this.inputNames = s.frame.grid?.input_names || this.inputNames;
    counters.show(s);
    if (structural) net.layout(s.config, this.inputNames);
    if (dataChanged || structural) output.setData(s.data, s.config, s.frame.grid);
    own.sync(s);
    const history = s.history || [];
    // issue 12.9: the curve starts at the state shown; a mark where the data changed
    if (fresh) charts.loss.clearMarks();
    else if (dataChanged) charts.loss.markData(s.frame.step, t("New data"));
    charts.loss.reset(history, s.config.problem !== "regression", s.frame);
    charts.grad.reset(history, s.frame.layers.length);
    for (const l of this.listeners) l.show?.(s, { fresh, structural, dataChanged });
    this.draw(s.frame);
  }

  draw(frame) {
    if (frame !== this.frame) this.previous = this.frame; // the weight detail's W before the update
    this.frame = frame;
    this.draws += 1;
    for (const l of this.listeners) l.draw?.(frame);
    const { divergence, net, output, counters } = this.panels;
    divergence.watch(frame, this.state.config.learning_rate);
    if (frame.grid && frame.grid.neurons) this.neuronMaps = frame.grid.neurons.map((m) => decode(m));
    net.update(frame);
    output.update(frame);
    counters.draw(frame);
  }

  // The window changed size (or projector mode, or the settings row): lay the diagram out
  // again and redraw what is shown.
  relayout() {
    if (!this.current || !this.frame) return;
    this.panels.net.layout(this.state.config, this.inputNames);
    this.panels.output.placeCanvas();
    this.draw(this.frame);
  }

  // A large network may allow fewer epochs a request than the speed asks: the server names the
  // most (the error's limit); play on with that many.
  // It is remembered until the network or the data change (a new generation).
  async stepWithin(body) {
    const known = this.stepLimit && this.stepLimit.generation === this.generation ? this.stepLimit.limit : Infinity;
    const ask = { ...body, steps: Math.min(body.steps, known) };
    try {
      return await api.step(this.id, ask);
    } catch (e) {
      const limit = e instanceof ApiError && e.status === 422 && e.body.limit;
      if (!(limit >= 1 && limit < ask.steps)) throw e;
      this.stepLimit = { generation: this.generation, limit };
      this.say(t("This network allows {n} at a time: playing that many.", { n: limit }));
      return api.step(this.id, { ...body, steps: limit });
    }
  }

  change(changes) {
    return this.run(async () => {
      const s = await api.patch(this.id, changes);
      this.say("");
      s.history = s.history || [];
      this.show(s, false);
    });
  }

  regenerate() {
    return this.change({ seed: Math.floor(Math.random() * 2 ** 31) });
  }

  toggleFeature(name) {
    const { features } = this.state.config;
    const next = features.includes(name) ? features.filter((f) => f !== name) : [...features, name];
    if (next.length === 0) return;
    this.change({ features: next });
  }

  // Hidden layer l (from 1) with some of its fields changed: {units} or {activation}.
  setLayer(l, fields) {
    return this.change({ hidden: this.state.config.hidden.map((h, i) => (i === l - 1 ? { ...h, ...fields } : h)) });
  }

  addLayer() {
    const { hidden } = this.state.config, last = hidden[hidden.length - 1];
    return this.change({ hidden: [...hidden, { units: last ? last.units : 4, activation: last ? last.activation : "tanh" }] });
  }

  removeLayer() {
    return this.change({ hidden: this.state.config.hidden.slice(0, -1) });
  }

  // New points (drawn or imported): training goes on with the weights it has.
  // request(id) -> the new state (api.putData or api.importCsv).
  changeData(request) {
    return this.run(async () => {
      const s = await request(this.id);
      this.say("");
      s.history = s.history || [];
      this.show(s, false, true);
    });
  }

  // A saved model: a new session with its configuration, data and weights.
  importModel(model) {
    this.player.pause();
    return this.run(async () => {
      const s = await api.importModel(model);
      const old = this.id;
      this.show(s, true);
      this.say(t("Model imported: step {n}'s weights, ready to train on.", { n: model.step ?? 0 }));
      api.remove(old).catch(() => {});
    });
  }

  reset() {
    if (!this.current) return;
    this.player.pause();
    return this.run(async () => {
      this.show(await api.reset(this.id), false);
      this.say("");
    });
  }

  // Back to the last good step before a divergence, with a lower rate.
  restore(rate) {
    return this.run(async () => this.show(await api.restore(this.id, rate), false));
  }

  // A hovered neuron's map on the output plot (l null: the network's output again).
  hoverNeuron(l, j) {
    if (l === null || !this.neuronMaps) this.panels.output.showNeuron(null);
    else this.panels.output.showNeuron(this.neuronMaps[l - 1], j, this.frame.layers[l - 1].activation);
  }
}

function layoutKey(c) {
  return [c.problem, c.classes, c.features, c.hidden];
}

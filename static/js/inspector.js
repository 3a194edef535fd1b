// The example inspector: one training example's pass written out with its numbers (MathML
// from the server) and its path lit in the diagram; the numbers follow training. A neuron's
// and a weight's detail open in the same drawer, for the example inspected.
import { api } from "./api.js";
import { el, mathml } from "./dom.js";
import { fitEquations } from "./drawer.js";
import * as format from "./format.js";
import { t } from "./i18n.js";
import { renderNeuron, renderWeight } from "./teaching.js";

// The inspected example's numbers refresh at most this often while training plays.
const FOLLOW_MS = 500;

export class Inspector {
  // options:
  //   session   the Session (session.js): its queue and frames; the inspector listens to it
  //   net       the NetworkView: lights the example's path, paints a neuron's map large
  //   phases    the Phases: no refresh while slow motion plays a step
  //   playing   () => boolean: refreshes are spaced out while training plays
  //   elements  { drawer, title, body, close }: the <aside>, its title, its body, its × button
  constructor({ session, net, phases, playing, elements }) {
    Object.assign(this, { session, net, phases, playing, elements });
    this.record = null; // the example record shown (or the one the details use)
    this.step = null; // the step its numbers are of
    this.following = false; // an example is shown: its numbers follow training
    this.weightBox = null; // the weight detail shown, rewritten in place after a typed weight
    this.refreshing = null; // the refresh on its way while following (testhook idle() awaits it)
    elements.close.addEventListener("click", () => this.close());
    session.listen({
      show: (s, change) => { if (change.dataChanged) this.following = false; }, // another point now
      draw: (frame) => this.follow(frame),
    });
  }

  get hidden() {
    return this.elements.drawer.hidden;
  }

  close() {
    this.elements.drawer.hidden = true;
    this.following = false; // closed, it rests: a refresh still on its way is not shown
    this.net.clearLights();
  }

  inspect(index) {
    const { session } = this;
    return session.run(async () => {
      this.showExample(await api.example(session.id, index, true), session.frame.step);
      this.following = true;
    });
  }

  // While the drawer shows an example, its numbers follow training: at once after a step,
  // at most twice a second while playing; one request at a time, outside the queue.
  follow(frame) {
    if (!this.following || this.hidden || this.busy || this.phases.running) return;
    if (this.step === frame.step) return;
    const now = performance.now();
    if (this.playing() && now - (this.followedAt || 0) < FOLLOW_MS) return;
    this.busy = true;
    this.followedAt = now;
    const { id } = this.session, { index } = this.record;
    this.refreshing = api.example(id, index, true)
      .then((r) => { if (this.following && id === this.session.id) this.showExample(r, frame.step); })
      .catch(() => { this.following = false; })
      .finally(() => { this.busy = false; });
  }

  showExample(r, step) {
    const { drawer, title, body } = this.elements;
    this.record = r;
    this.step = step;
    const scroll = drawer.scrollTop;
    title.textContent = t("Example #{i}: label {y}, prediction {p}", { i: r.index, y: format.value(r.label), p: format.value(r.prediction) });
    body.replaceChildren();
    let kind = null;
    for (const eq of r.equations) {
      if (eq.kind !== kind) {
        kind = eq.kind;
        body.append(el("h3", { class: kind }, t({ forward: "Forward", loss: "Loss", backward: "Backward" }[kind])));
      }
      const div = el("div", { class: "eq" }, el("div", { class: "title" }), mathml(eq.mathml)); // made by latex2mathml
      div.dataset.kind = eq.kind;
      div.querySelector(".title").textContent = eq.title.replace(/^Layer (\d+): /, (_, l) => `${t("Layer {l}", { l })}: `).replace(/^Loss/, t("Loss"));
      if (eq.note) div.append(el("div", { class: "note misprint" }, t(eq.note))); // where the notes misprint it
      body.append(div);
    }
    drawer.hidden = false;
    fitEquations(body); // a wide equation (say W of 3 x 5 with its vectors) breaks at "=" to fit
    drawer.scrollTop = scroll;
    this.net.clearLights();
    r.layers.forEach((layer, i) => this.net.light(i + 1, layer.a, "a ="));
  }

  // The example the details use: the one inspected, or the first training example.
  async exampleRecord() {
    const { session } = this;
    if (!this.record || this.step !== session.frame.step) {
      this.record = await api.example(session.id, this.record ? this.record.index : 0);
      this.step = session.frame.step;
    }
    return this.record;
  }

  // A detail shown at the top of the drawer: the drawer opens with its title.
  open(heading) {
    this.following = false;
    this.elements.title.textContent = heading;
    this.elements.drawer.hidden = false;
  }

  inspectNeuron(l, j) {
    const { session } = this;
    return session.run(async () => {
      const layer = session.frame.layers[l - 1];
      // softmax couples the outputs: it has no curve of one z
      const [record, curve] = await Promise.all([this.exampleRecord(),
        layer.activation === "softmax" ? null : api.curve(layer.activation)]);
      const detail = document.createElement("div");
      this.elements.body.prepend(detail);
      const maps = session.neuronMaps && session.neuronMaps[l - 1];
      await renderNeuron(detail, api, {
        l, j, frame: session.frame, record, curve, map: maps, sessionId: session.id,
        drawMap: (canvas) => this.net.paintBig(canvas, maps, j, layer.activation),
      });
      this.open(t("Neuron {j} of layer {l}", { j: j + 1, l }));
      detail.scrollIntoView();
    });
  }

  // edit: {layer, row, col}; detail: the box of a weight detail already shown, to rewrite in
  // place (after a typed weight).
  weightDetail(edit, detail = null) {
    const { session } = this;
    return session.run(async () => {
      const record = await this.exampleRecord();
      const fresh = !detail?.isConnected;
      if (fresh) this.elements.body.prepend(detail = document.createElement("div"));
      this.weightBox = detail;
      await renderWeight(detail, api, {
        ...edit, l: edit.layer, j: edit.row, k: edit.col, frame: session.frame, previous: session.previous,
        record, sessionId: session.id,
      });
      this.open(`${t("Weight")} W[${edit.layer}] ${edit.row + 1},${edit.col + 1}`);
      if (fresh) detail.scrollIntoView();
    });
  }

  // A weight was typed (the frame after it is drawn): the example's numbers change with it, so
  // they are asked for again; an open weight detail is rewritten, queued after the new W.
  weightTyped(frame) {
    this.step = null;
    if (!this.hidden) this.follow(frame);
  }

  rewriteWeight(edit) {
    if (!this.hidden) this.weightDetail(edit, this.weightBox);
  }
}

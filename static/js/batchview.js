// "The mini-batch as matrices": the last step's mini-batch as the server writes it out (X with
// one column per example, Z = W A + b with b added to every column, A, the loss, dZ, dW, db,
// dA, each with its shape), and "Loop vs vectorized": the notes' `for i = 1 to m` timed on the
// server beside the matrix form on the same data.
//
// new BatchPanel({
//   panel,       the <details>: its content is asked for only while it is open
//   root,        where the view is drawn (inside the panel)
//   api,         api.js's object: api.batch(id) and api.vectorize(id, data, repeats)
//   session,     () => the current session (its id, config and data), or null
//   maxExamples, the limits' max_loop_examples: examples x repeats of one comparison
//   run,         (task) => App.run(task): the comparison queues behind the steps
// })
// update(frame) after each frame drawn: the view follows training while the panel is open,
// one request at a time and at most every REFRESH_MS.

import { ApiError } from "./api.js";
import { t } from "./i18n.js";
import { el, mathml } from "./dom.js";
import { fitEquations } from "./drawer.js";
import * as format from "./format.js";

const REFRESH_MS = 700;
const REPEATS = 5; // timed runs of each form; the server returns their median

export class BatchPanel {
  constructor({ panel, root, api, session, maxExamples, run }) {
    Object.assign(this, { panel, root, api, session, maxExamples, run });
    this.frame = null; // the frame drawn last, and the one the view shows
    this.shown = null;
    this.busy = false;
    this.at = 0;
    this.view = el("div", { class: "batch-equations" });
    this.data = el("select", { "aria-label": t("Data to compare on") });
    this.button = el("button", { type: "button", onclick: () => this.compare() }, t("Loop vs vectorized"));
    this.result = el("div", { class: "loop-result", "aria-live": "polite" });
    root.replaceChildren(el("div", { class: "loop-controls" }, this.button, this.data), this.result, this.view);
    panel.addEventListener("toggle", () => { if (panel.open) { this.refresh(); this.fit(); } });
  }

  update(frame) {
    this.frame = frame;
    if (this.panel.open) this.refresh();
  }

  // The comparison runs on the training set or on the last mini-batch, each with its m: their
  // sizes change only with a new session state (configuration, data), not with every frame.
  syncChoices() {
    const s = this.session();
    if (!s) return;
    const m = s.data.train.X.length, batch = Math.min(s.config.batch_size, m);
    const choices = [["train", t("on the training set (m = {m})", { m })], ["batch", t("on the last mini-batch (m = {m})", { m: batch })]];
    const key = JSON.stringify(choices);
    if (key === this.choices) return;
    this.choices = key;
    const value = this.data.value || "train";
    this.data.replaceChildren(...choices.map(([v, label]) => new Option(label, v)));
    this.data.value = value;
  }

  // Ask for the batch of the frame drawn last, unless it is shown or a request is out.
  refresh() {
    const frame = this.frame, s = this.session();
    if (!frame || !s || frame === this.shown || this.busy) return;
    if (frame.step === 0) { this.shown = frame; this.message(t("Take a step: its mini-batch is written out here as matrices.")); return; }
    const wait = this.at + REFRESH_MS - performance.now();
    if (wait > 0) { clearTimeout(this.timer); this.timer = setTimeout(() => this.refresh(), wait); return; }
    this.busy = true;
    this.at = performance.now();
    this.api.batch(s.id)
      .then((v) => { this.shown = frame; this.render(v); })
      .catch((e) => { this.shown = frame; this.message(e instanceof ApiError ? e.message : String(e)); })
      .finally(() => { this.busy = false; if (this.frame !== this.shown && this.panel.open) this.refresh(); });
  }

  message(text) {
    this.view.replaceChildren(el("p", { class: "hint" }, text));
  }

  render(v) {
    const parts = [el("p", { class: "hint" }, t("The mini-batch of step {step}: m = {m} examples, one column each, at the weights before its update.", { step: format.count(v.step), m: v.m }))];
    let kind = null;
    for (const eq of v.equations) {
      if (eq.kind !== kind) {
        kind = eq.kind;
        parts.push(el("h3", { class: kind }, t({ forward: "Forward", loss: "Loss", backward: "Backward" }[kind])));
      }
      const div = el("div", { class: "eq", "data-name": eq.name }, el("div", { class: "title" }, `${eq.symbol} ${eq.shape_text}`.trim()));
      div.append(mathml(eq.mathml)); // typeset on the server (latex2mathml)
      const note = NOTES[eq.name];
      if (note) div.append(el("div", { class: "note" }, note(eq, v)));
      if (eq.note) div.append(el("div", { class: "note misprint" }, t(eq.note))); // the notes' own typo
      parts.push(div);
    }
    this.view.replaceChildren(...parts);
    this.fit();
  }

  // Wide matrices break at "=" and, if still too wide, are set smaller (drawer.js). A line of
  // MathML can paint past the box fitEquations measures (by its indent): shrink it by that too.
  fit() {
    fitEquations(this.view);
    for (const div of this.view.querySelectorAll(".eq")) {
      const left = div.getBoundingClientRect().left, size = parseFloat(getComputedStyle(div).fontSize);
      for (const math of div.querySelectorAll("math")) {
        const need = math.getBoundingClientRect().left - left + math.scrollWidth;
        if (need <= div.clientWidth) continue;
        const em = parseFloat(getComputedStyle(math).fontSize) / size;
        math.style.fontSize = `${(em * 0.98 * div.clientWidth / need).toFixed(3)}em`;
      }
    }
  }

  compare() {
    const s = this.session();
    if (!s) return;
    const data = this.data.value || "train";
    const m = data === "batch" ? Math.min(s.config.batch_size, s.data.train.X.length) : s.data.train.X.length;
    const repeats = Math.max(1, Math.min(REPEATS, Math.floor(this.maxExamples / m)));
    this.button.disabled = true;
    this.result.replaceChildren(el("p", { class: "hint" }, t("Timing both on the server…")));
    return this.run(async () => {
      try {
        this.showComparison(await this.api.vectorize(s.id, data, repeats));
      } catch (e) {
        this.result.replaceChildren(el("p", { class: "hint" }, e instanceof ApiError ? e.message : String(e)));
      } finally {
        this.button.disabled = false;
      }
    });
  }

  showComparison(c) {
    const ms = (s) => `${format.value(s * 1000)} ms`;
    const row = (label, value, name) => el("tr", {}, el("th", {}, label), el("td", { "data-name": name }, value));
    this.result.replaceChildren(
      el("table", { class: "shapes" }, el("tbody", {},
        row(t("for i = 1 to m: one column at a time, in Python"), ms(c.loop_seconds), "loop"),
        row(t("Matrix form: all m columns at once"), ms(c.vectorized_seconds), "vectorized"),
        row(t("Speed-up"), `${c.speedup >= 100 ? format.count(Math.round(c.speedup)) : format.value(c.speedup)}×`, "speedup"),
        row(t("Largest difference in dW, db"), format.value(c.max_difference), "difference"))),
      el("p", { class: "hint" }, t("m = {m} examples, the median of {r} runs each; the loop went through {n} examples one by one.", { m: c.examples, r: c.repeats, n: c.loop_iterations })),
      el("p", { class: "hint" }, t("Both keep the loop over the layers, for l = 1 to {L}: each layer needs the one before it, so that loop cannot be vectorized away.", { L: c.layers })));
  }
}

// A line under some equations: what the matrix form does there.
const NOTES = {
  X: (eq, v) => t("Column i is example i of the mini-batch (training point {first} is the first).", { first: v.indices[0] }),
  Z: (eq) => t("b[{l}] is ({n}, 1): it is added to every one of the m columns (NumPy broadcasts it).", { l: eq.layer, n: eq.shape[0] }),
  db: () => t("The sum runs along each row, over the m examples; keepdims keeps the column shape."),
};

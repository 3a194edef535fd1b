// The teaching panels: the lesson menu and caption, the shapes and counts of the current
// network, the gradient check, and the keyboard help.

import { t } from "./i18n.js";
import { el, mathml } from "./dom.js";
import { fitEquations } from "./drawer.js";
import * as format from "./format.js";
import { INK, NEGATIVE, POSITIVE } from "./palette.js";

export class Lessons {
  // choose(lesson) is called with the lesson picked from the menu.
  constructor(select, bar, lang, choose) {
    this.select = select;
    this.bar = bar;
    this.lang = lang;
    this.choose = choose;
    this.lessons = [];
  }

  show(lessons, current) {
    this.lessons = lessons;
    this.select.replaceChildren(el("option", { value: "" }, t("Lessons…")));
    for (const l of lessons) this.select.append(el("option", { value: l.id }, l.title[this.lang]));
    this.select.value = current || "";
    this.select.addEventListener("change", () => {
      const l = this.lessons.find((x) => x.id === this.select.value);
      if (l) this.choose(l);
    });
    const lesson = lessons.find((l) => l.id === current);
    this.bar.hidden = !lesson;
    if (lesson) this.caption(lesson);
  }

  // The lesson opened on this page (in a class: lessonlink.js openLessonHere): chosen in the
  // menu, its caption in the bar.
  mark(lesson) {
    this.select.value = lesson.id;
    this.bar.hidden = false;
    this.bar.classList.remove("open");
    this.caption(lesson);
  }

  // The id of the lesson shown, or null.
  current() {
    return this.lessons.some((l) => l.id === this.select.value) ? this.select.value : null;
  }

  // The caption; in projector mode clamped to two lines (app.css), with "more" while it is cut.
  // Closed, it gives its height back: the page lays out again as on a resize.
  caption(lesson) {
    const text = el("span", { class: "lesson-text" }, el("strong", {}, lesson.title[this.lang]), " ", lesson.caption[this.lang]);
    const more = el("button", { type: "button", class: "more", "aria-expanded": "false" }, t("more"));
    more.addEventListener("click", () => {
      const open = this.bar.classList.toggle("open");
      more.setAttribute("aria-expanded", String(open));
      more.textContent = t(open ? "less" : "more");
    });
    const close = () => { this.bar.hidden = true; window.dispatchEvent(new Event("resize")); };
    this.bar.replaceChildren(text, more,
      el("button", { type: "button", class: "close", "aria-label": t("Close the lesson"), onclick: close }, "×"));
    new ResizeObserver(() => {
      more.hidden = !this.bar.classList.contains("open") && text.scrollHeight <= text.clientHeight + 1;
    }).observe(text);
  }

  open() {
    this.select.focus();
    if (this.select.showPicker) {
      try { this.select.showPicker(); } catch { /* not allowed without a user gesture */ }
    }
  }
}

// W[l]: (n[l], n[l-1]) and the rest, read off the frame's own matrices; m is the batch. The
// notes size a network by its neurons (the inputs not counted) and its parameters, weights and
// biases counted apart: the 3-4-2 network has 6 neurons, 20 weights and 6 biases, 26 in all.
export function renderShapes(root, frame, config) {
  const m = "m";
  const rows = [];
  let neurons = 0, weights = 0;
  frame.layers.forEach((layer, i) => {
    const l = i + 1;
    const n = layer.W.length, prev = layer.W[0].length;
    neurons += n;
    weights += n * prev;
    rows.push(el("tr", {},
      el("td", {}, `${l}`),
      el("td", {}, `W[${l}] (${n}, ${prev})`),
      el("td", {}, `b[${l}] (${n}, 1)`),
      el("td", {}, `Z[${l}], A[${l}] (${n}, ${m})`),
      el("td", {}, `${n}`),
      el("td", {}, `${n * prev}`),
      el("td", {}, `${n}`),
      el("td", {}, `${n * prev + n}`)));
  });
  const batch = config.batch_size >= Math.round(config.n_samples * config.train_fraction) ? t("the whole training set") : t("a mini-batch of {n}", { n: config.batch_size });
  const total = (label, value) => el("td", { "aria-label": t(label) }, `${value}`);
  root.replaceChildren(
    el("table", { class: "shapes" },
      el("thead", {}, el("tr", {}, ...["l", "W", "b", "Z, A", "neurons", "weights", "biases", "parameters"].map((h) => el("th", {}, t(h))))),
      el("tbody", {}, ...rows),
      el("tfoot", {}, el("tr", {},
        el("td", { colspan: "4" }, t("Total (m = {batch}; dW, db have the shapes of W, b)", { batch })),
        total("Neuron count", neurons), total("Weight count", weights), total("Bias count", neurons),
        total("Parameter count", weights + neurons)))));
}

export function renderGradcheck(root, result) {
  const rows = result.layers.map((la) => {
    const ok = la.error !== null && la.error < 1e-6;
    return el("tr", {},
      el("td", {}, `${la.layer}`),
      el("td", {}, format.value(la.dW[0][0])),
      el("td", {}, format.value(la.dW_numerical[0][0])),
      el("td", { class: ok ? "good" : "bad" }, format.value(la.error)));
  });
  root.replaceChildren(
    el("p", {}, t("Backprop against centred differences (J(θ+h) − J(θ−h)) / 2h, h = 1e-5, on {n} examples.", { n: result.examples })),
    el("table", { class: "shapes" },
      el("thead", {}, el("tr", {}, ...["l", "dW[l]₁₁ backprop", "numerical", "relative error"].map((h) => el("th", {}, t(h))))),
      el("tbody", {}, ...rows)));
}

// The network page's keyboard (keys.js): each row names an action of main.js.
export const KEYS = () => [
  { keys: [" "], label: t("Space"), help: t("Play / pause"), action: "play" },
  { keys: ["ArrowRight"], shift: false, label: "→", help: t("One step"), action: "step" },
  { keys: ["ArrowRight"], shift: true, label: "Shift + →", help: t("Next phase (slow motion)"), action: "phase" },
  { keys: ["r", "R"], label: "R", help: t("Reset"), action: "reset" },
  { keys: ["p", "P"], label: "P", help: t("Projector mode"), action: "projector" },
  { keys: ["s", "S"], label: "S", help: t("Show or hide the settings row"), action: "settings" },
  { keys: ["l", "L"], label: "L", help: t("Lessons"), action: "lessons" },
  { keys: ["q", "Q"], label: "Q", help: t("Show or hide the class's QR code"), action: "qr" },
  { keys: ["v", "V"], label: "V", help: t("Preview the next step (again: hide it)"), action: "preview" },
  { keys: ["w", "W"], label: "W", help: t("Loss landscape: pick two weights"), action: "landscape" },
  { keys: [","], label: ",", help: t("Timeline: one recorded step back"), action: "timelineBack" },
  { keys: ["."], label: ".", help: t("Timeline: one recorded step on"), action: "timelineOn" },
  { keys: ["End"], label: "End", help: t("Timeline: back to now"), action: "timelineNow" },
  { keys: ["?"], label: "?", help: t("This help"), action: "help" },
  { keys: ["Escape"], label: "Esc", help: t("Close"), action: "close" },
];

// One equation from the server (app/equations.py writes them all): its title in the page's
// language, filled with its params, over its MathML.
export function equation(eq) {
  const div = el("div", { class: "eq", "data-kind": eq.kind }, el("div", { class: "title" }, t(eq.title, eq.params)), mathml(eq.mathml));
  if (eq.note) div.append(el("div", { class: "note misprint" }, t(eq.note))); // where the notes print it wrong
  return div;
}

// Click a neuron: its weights, bias, z_j = w_j^T a + b_j for the inspected example, its
// activation and slope g'(z_j) (the server's equations), the curve with that z marked, and its
// map large.
export async function renderNeuron(root, api, { sessionId, l, j, frame, record, curve, map, drawMap }) {
  const layer = frame.layers[l - 1];
  const z = record.layers[l - 1].z[j], a = record.layers[l - 1].a[j];
  const { equations } = await api.neuron(sessionId, l, j, record.index);
  const parts = [
    el("h3", { class: "forward" }, `${t("Layer {l}, unit {j}", { l, j: j + 1 })} (${layer.activation})`),
    ...equations.map(equation),
    el("p", { class: "hint" }, curve ? t("Example #{i}. The curve: g(z) and g′(z), the dot at this z.", { i: record.index })
      : t("Example #{i}.", { i: record.index })),
  ];
  const chart = el("div", { class: "curve" });
  const big = el("canvas", { class: "big-map", width: 160, height: 160 });
  root.replaceChildren(...parts, el("div", { class: "neuron-detail" }, ...(curve ? [chart] : []), big));
  fitEquations(root);
  if (map) drawMap(big);
  if (!curve) return; // softmax: its last equation says why there is no one curve
  const { withPlotly } = await import("./plotly.js");
  withPlotly((Plotly) => Plotly.react(chart, [
    { x: curve.z, y: curve.a, name: "g(z)", mode: "lines", line: { color: POSITIVE, width: 2 } },
    { x: curve.z, y: curve.derivative, name: "g′(z)", mode: "lines", line: { color: NEGATIVE, width: 2, dash: "dot" } },
    { x: [z], y: [a], name: `z = ${format.value(z)}`, mode: "markers", marker: { size: 10, color: INK } },
  ], { margin: { l: 34, r: 8, t: 8, b: 26 }, showlegend: true, legend: { orientation: "h", y: -0.25 }, xaxis: { range: [-5, 5] } },
  { displayModeBar: false }));
}

// Click a weight: its value, this example's dW = dz a_prev, the batch's average, and the update
// that made it, from W before (the previous frame's) to now; the server writes one plain
// gradient-descent step out as W - alpha dW.
export async function renderWeight(root, api, { sessionId, l, j, k, frame, previous, record }) {
  const before = previous && previous.step < frame.step ? previous.layers[l - 1]?.W[j]?.[k] : undefined;
  const updates = before === undefined ? undefined : frame.step - previous.step; // none after a typed weight
  const { equations } = await api.weight(sessionId, l, j, k, record.index, before, updates);
  root.replaceChildren(el("h3", { class: "backward" }, `${t("Weight")} W[${l}] ${j + 1},${k + 1}`), ...equations.map(equation));
  fitEquations(root);
}

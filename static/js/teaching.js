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

// W[l]: (n[l], n[l-1]) and the rest, read off the frame's own matrices; m is the batch.
export function renderShapes(root, frame, config) {
  const m = "m";
  const rows = [];
  let total = 0;
  frame.layers.forEach((layer, i) => {
    const l = i + 1;
    const n = layer.W.length, prev = layer.W[0].length;
    total += n * prev + n;
    rows.push(el("tr", {},
      el("td", {}, `${l}`),
      el("td", {}, `W[${l}] (${n}, ${prev})`),
      el("td", {}, `b[${l}] (${n}, 1)`),
      el("td", {}, `Z[${l}], A[${l}] (${n}, ${m})`),
      el("td", {}, `${n * prev + n}`)));
  });
  const batch = config.batch_size >= Math.round(config.n_samples * config.train_fraction) ? t("the whole training set") : t("a mini-batch of {n}", { n: config.batch_size });
  root.replaceChildren(
    el("table", { class: "shapes" },
      el("thead", {}, el("tr", {}, ...["l", "weights", "bias", "values", "parameters"].map((h) => el("th", {}, t(h))))),
      el("tbody", {}, ...rows),
      el("tfoot", {}, el("tr", {}, el("td", { colspan: "4" }, t("Total parameters (m = {batch}; dW, db have the shapes of W, b)", { batch })), el("td", { "aria-label": t("Parameter count") }, `${total}`)))));
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
  { keys: ["?"], label: "?", help: t("This help"), action: "help" },
  { keys: ["Escape"], label: "Esc", help: t("Close"), action: "close" },
];

const tex = format.texValue; // as the server writes the example's equations
const vec = (v) => `\\begin{pmatrix}${v.map(tex).join(" \\\\ ")}\\end{pmatrix}`;
const row = (v) => `\\begin{pmatrix}${v.map(tex).join(" & ")}\\end{pmatrix}`; // a transposed vector

async function typeset(api, latex) {
  const div = el("div", { class: "eq" });
  div.append(mathml((await api.mathml(latex)).mathml)); // made by latex2mathml on the server
  return div;
}

// Click a neuron: its weights, bias, z_j = w_j^T a + b_j for the inspected example, its
// activation and derivative with that z marked, and its map large.
export async function renderNeuron(root, api, { l, j, frame, record, curve, map, drawMap }) {
  const layer = frame.layers[l - 1];
  const w = layer.W[j], b = layer.b[j][0];
  const aPrev = l === 1 ? record.a0 : record.layers[l - 2].a;
  const z = record.layers[l - 1].z[j], a = record.layers[l - 1].a[j];
  const parts = [
    el("h3", { class: "forward" }, `${t("Layer {l}, unit {j}", { l, j: j + 1 })} (${layer.activation})`),
    await typeset(api, `w_{${j + 1}}^{[${l}]} = ${vec(w)}, \\quad b_{${j + 1}}^{[${l}]} = ${tex(b)}`),
    await typeset(api, `z_{${j + 1}}^{[${l}]} = w_{${j + 1}}^{[${l}]T} a^{[${l - 1}]} + b_{${j + 1}}^{[${l}]} = ${row(w)} ${vec(aPrev)} + ${tex(b)} = ${tex(z)}`),
    await typeset(api, `a_{${j + 1}}^{[${l}]} = g(z_{${j + 1}}^{[${l}]}) = ${tex(a)}`),
    el("p", { class: "hint" }, curve ? t("Example #{i}. The curve: g(z) and g′(z), the dot at this z.", { i: record.index })
      : t("Example #{i}.", { i: record.index })),
  ];
  const chart = el("div", { class: "curve" });
  const big = el("canvas", { class: "big-map", width: 160, height: 160 });
  root.replaceChildren(...parts, el("div", { class: "neuron-detail" }, chart, big));
  fitEquations(root);
  if (map) drawMap(big);
  if (!curve) { chart.textContent = t("softmax: each output depends on every z of the layer"); return; }
  const { withPlotly } = await import("./plotly.js");
  withPlotly((Plotly) => Plotly.react(chart, [
    { x: curve.z, y: curve.a, name: "g(z)", mode: "lines", line: { color: POSITIVE, width: 2 } },
    { x: curve.z, y: curve.derivative, name: "g′(z)", mode: "lines", line: { color: NEGATIVE, width: 2, dash: "dot" } },
    { x: [z], y: [a], name: `z = ${format.value(z)}`, mode: "markers", marker: { size: 10, color: INK } },
  ], { margin: { l: 34, r: 8, t: 8, b: 26 }, showlegend: true, legend: { orientation: "h", y: -0.25 }, xaxis: { range: [-5, 5] } },
  { displayModeBar: false }));
}

// Click a weight: its value, this example's dW = dz a_prev, the batch's average, and the update
// that made it: W before (the previous frame's) and after. One plain SGD step is written out as
// W - a dW; any other change (momentum, Adam, a penalty, several steps) as before and after.
export async function renderWeight(root, api, { l, j, k, frame, previous, record, lr, plain }) {
  const layer = frame.layers[l - 1];
  const w = layer.W[j][k], dW = layer.dW[j][k];
  const before = previous && previous.step < frame.step ? previous.layers[l - 1]?.W[j]?.[k] : undefined;
  const dz = record.layers[l - 1].dz[j];
  const aPrev = (l === 1 ? record.a0 : record.layers[l - 2].a)[k];
  const s = `_{${j + 1},${k + 1}}^{[${l}]}`;
  root.replaceChildren(
    el("h3", { class: "backward" }, `${t("Weight")} W[${l}] ${j + 1},${k + 1}`),
    await typeset(api, `W${s} = ${tex(w)}`),
    await typeset(api, `dW${s} = dz_{${j + 1}}^{[${l}]}\\, a_{${k + 1}}^{[${l - 1}]} = ${tex(dz)} \\times ${tex(aPrev)} = ${tex(dz * aPrev)} \\quad \\text{(${t("example #{i}", { i: record.index })})}`),
    await typeset(api, `dW${s} = \\frac{1}{m} \\sum_i dz_{${j + 1}}^{[${l}](i)} a_{${k + 1}}^{[${l - 1}](i)} = ${tex(dW)} \\quad \\text{(${t("last mini-batch")})}`),
  );
  if (before === undefined) { fitEquations(root); return; } // no update yet, or a typed weight
  const steps = frame.step - previous.step;
  root.append(plain && steps === 1
    ? await typeset(api, `W${s} := W${s} - \\alpha\\, dW${s} = ${tex(before)} - ${tex(lr)} \\times ${tex(dW)} = ${tex(w)}`)
    : await typeset(api, `W${s}: ${tex(before)} \\to ${tex(w)} \\quad \\text{(${t(steps === 1 ? "the last update" : "the last {n} updates", { n: steps })})}`));
  fitEquations(root);
}

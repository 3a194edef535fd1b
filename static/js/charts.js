// Loss and gradient-flow charts (Plotly). Points are appended with extendTraces, batched so
// that a chart redraws at most a few times a second however fast training runs.
import { CLASS_COLORS, CURSOR, FADED, INK, layerColor } from "./palette.js";
import { t } from "./i18n.js";
import { withPlotly } from "./plotly.js";
import * as format from "./format.js";

// Above the plot, pushing its top margin down however many lines it wraps to.
const legend = (font) => ({ orientation: "h", x: 0, xanchor: "left", y: 1, yanchor: "bottom", itemwidth: 30,
  font: { ...font, size: projector() ? font.size : font.size * 0.85 } });

// Hover text is written by the page (static/js/format.js), not by Plotly's own number format:
// a loss reads the same in the hover as in the counters.
const HOVER = "%{text}<extra></extra>";

const INTERVAL_MS = 700; // a Plotly redraw costs ~20 ms: a few a second is plenty

const projector = () => document.body.classList.contains("projector");

// Projector: every label of a chart (ticks and legend too) at 20 px, legible across a room.
export function fontOf() {
  const cs = getComputedStyle(document.body);
  return { family: cs.fontFamily, size: projector() ? 20 : parseFloat(cs.fontSize) * 0.8 };
}

// Each subclass says how a point reads: label(i, x, y) is trace i's hover text at (x, y), and
// keeps what it has drawn (history, and its draw() arguments) to draw it again when projector
// mode turns on or off: its type, and the loss legend's names, change with it.
class Chart {
  constructor(root) {
    this.root = root;
    this.pending = null;
    this.timer = null;
    this.history = null;
    this.cursorAt = null; // the timeline's moment shown (timeline.js): a vertical line there
    let was = projector();
    new MutationObserver(() => {
      if (projector() === was) return;
      was = projector();
      if (this.history) this.redraw();
    }).observe(document.body, { attributes: true, attributeFilter: ["class"] });
  }

  exportPng(filename) {
    this.flush();
    return withPlotly((Plotly) => Plotly.downloadImage(this.root, { format: "png", filename, scale: 2 }));
  }

  push(x, ys) {
    if (!this.pending) this.pending = { x: ys.map(() => []), y: ys.map(() => []), text: ys.map(() => []) };
    ys.forEach((v, i) => {
      this.pending.x[i].push(x);
      this.pending.y[i].push(v);
      this.pending.text[i].push(this.label(i, x, v));
    });
    if (!this.timer) this.timer = setTimeout(() => this.flush(), INTERVAL_MS);
  }

  flush() {
    clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending) return;
    const p = this.pending;
    this.pending = null;
    withPlotly((Plotly) => Plotly.extendTraces(this.root, { x: p.x, y: p.y, text: p.text }, p.x.map((_, i) => i)));
  }

  // Trace i's hover texts for its points.
  texts(i, x, y) {
    return x.map((step, k) => this.label(i, step, y[k]));
  }

  // The timeline's cursor at this step (null: none, the page shows now).
  setCursor(step) {
    if (step === this.cursorAt) return;
    this.cursorAt = step;
    if (this.history) withPlotly((Plotly) => Plotly.relayout(this.root, { shapes: this.shapes() }));
  }

  shapes() {
    if (this.cursorAt === null) return [];
    return [{ type: "line", xref: "x", yref: "paper", x0: this.cursorAt, x1: this.cursorAt, y0: 0, y1: 1,
      line: { color: CURSOR, width: 2 } }];
  }
}

const stepText = (x) => `${t("step")} ${format.count(x)}`;

// The loss chart's traces read as the counters do: "Training loss 0.6931", "Test accuracy 52.4%".
const LOSS_LABELS = [
  (y) => `${t("Training loss")} ${format.loss(y)}`,
  (y) => `${t("Test loss")} ${format.loss(y)}`,
  (y) => `${t("Test accuracy")} ${format.percent(y)}`,
];

export class LossChart extends Chart {
  constructor(root) {
    super(root);
    this.marks = []; // [{step, label}]: where the data changed, a vertical line each
    this.abandoned = []; // the history a rewind left (timeline.js), drawn faded
  }

  // history: the server's entries (one per step request, none for the state before the first);
  // frame: the state shown now, which starts the curve when no entry has its step (a new
  // session, a reset, or new data), so that one step already draws a line to a point.
  reset(history, hasAccuracy, frame = null) {
    this.pending = null;
    const last = history[history.length - 1];
    if (frame && (!last || last.step !== frame.step || last.loss_train !== frame.loss.train)) {
      history = [...history, { step: frame.step, loss_train: frame.loss.train, loss_test: frame.loss.test,
        accuracy_test: frame.accuracy ? frame.accuracy.test : null }];
    }
    this.history = [...history];
    // marks after the step shown belong to a run undone (Reset, Back to step N)
    if (frame) this.marks = this.marks.filter((m) => m.step <= frame.step);
    const x = history.map((h) => h.step);
    // the projector's legend names are short (the axis says "loss"): one row at 20 px
    const short = projector();
    const traces = [
      { name: short ? t("Train") : t("Train loss"), x, y: history.map((h) => h.loss_train), line: { color: INK, width: 2 } },
      { name: short ? t("Test") : t("Test loss"), x, y: history.map((h) => h.loss_test), line: { color: INK, width: 2, dash: "dot" } },
    ];
    if (hasAccuracy) {
      traces.push({ name: short ? t("Accuracy") : t("Test accuracy"), x, y: history.map((h) => h.accuracy_test), yaxis: "y2",
        line: { color: CLASS_COLORS[2], width: 1.5 } });
    }
    this.hasAccuracy = hasAccuracy;
    const data = traces.map((tr, i) => ({ type: "scatter", mode: "lines", ...tr, text: this.texts(i, x, tr.y), hovertemplate: HOVER }));
    if (this.abandoned.length) { // last: the traces extended as training goes on keep their places
      const ax = this.abandoned.map((h) => h.step), ay = this.abandoned.map((h) => h.loss_train);
      data.push({ type: "scatter", mode: "lines", name: t("Run left behind"), showlegend: !short, x: ax, y: ay,
        line: { color: FADED, width: 2 }, hovertemplate: HOVER,
        text: ay.map((y, k) => `${t("Run left behind")} ${format.loss(y)}<br>${stepText(ax[k])}`) });
    }
    const font = fontOf();
    // Projector: the legend's short names in one row at 20 px. A horizontal legend wraps at
    // the plot's width, or (starting left of the plot, x < 0) at the plot's and its left
    // margin's: so it starts there, and the accuracy's ticks sit inside, leaving no right margin.
    const layout = {
      margin: { l: 44, r: hasAccuracy && !short ? 38 : 8, t: 6, b: 26 },
      font,
      showlegend: true,
      legend: { ...legend(font), ...(short ? { x: -0.2 } : {}) },
      xaxis: { title: { text: t("step"), standoff: 0 }, rangemode: "tozero", automargin: true },
      yaxis: { title: { text: t("loss"), standoff: 4 }, rangemode: "tozero", automargin: true },
      yaxis2: { overlaying: "y", side: "right", range: [0, 1], dtick: 0.25, showgrid: false, tickformat: ".0%",
        visible: hasAccuracy, automargin: true, ticklabelposition: short ? "inside" : "outside" },
      uirevision: "keep",
      ...this.markLayout(),
    };
    withPlotly((Plotly) => Plotly.react(this.root, data, layout, { displayModeBar: false, responsive: true }));
  }

  // The loss curve a rewind left behind (history entries), faded, until the next one.
  setAbandoned(entries) {
    const key = (a) => a.map((h) => `${h.step}:${h.loss_train}`).join();
    if (key(entries) === key(this.abandoned)) return;
    this.abandoned = entries;
    if (this.history) this.redraw();
  }

  // The data changed at this step (another dataset, noise or seed; points drawn or imported):
  // a dashed vertical line there, labelled at its top, from the next reset() on. One mark a step.
  markData(step, label) {
    if (!(step > 0) || this.marks.some((m) => m.step === step)) return;
    this.marks.push({ step, label }); // drawn by the next reset()
  }

  clearMarks() {
    this.marks = [];
  }

  markLayout() {
    const font = fontOf();
    return {
      shapes: this.shapes(),
      annotations: this.marks.map((m) => ({ xref: "x", yref: "paper", x: m.step, y: 1, xanchor: "left", yanchor: "top",
        text: m.label, showarrow: false, font: { ...font, size: font.size * 0.85, color: "#555" } })),
    };
  }

  add(frame) {
    const accuracy = frame.accuracy ? frame.accuracy.test : null;
    const ys = [frame.loss.train, frame.loss.test];
    if (this.hasAccuracy) ys.push(accuracy);
    this.history.push({ step: frame.step, loss_train: ys[0], loss_test: ys[1], accuracy_test: accuracy });
    this.push(frame.step, ys);
  }

  shapes() {
    return [...this.marks.map((m) => ({ type: "line", xref: "x", yref: "paper", x0: m.step, x1: m.step, y0: 0, y1: 1,
      line: { color: "#888", width: 1.5, dash: "dash" } })), ...super.shapes()];
  }

  redraw() {
    this.reset(this.history, this.hasAccuracy);
  }

  label(i, x, y) {
    return `${LOSS_LABELS[i](y)}<br>${stepText(x)}`;
  }

  // A ghost of the next step (static/js/preview.js): a dotted line from the point shown to a
  // hollow marker at the previewed loss; null takes it away. from, to: {step, loss}. It is the
  // last trace, which the curve's extendTraces (traces 0, 1, 2) never touch; a reset drops it.
  ghost(from, to = null) {
    this.flush();
    withPlotly((Plotly) => {
      const last = (this.root.data || []).length - 1;
      if (last >= 0 && this.root.data[last].meta === "ghost") Plotly.deleteTraces(this.root, last);
      if (!to) return;
      Plotly.addTraces(this.root, { type: "scatter", mode: "lines+markers", meta: "ghost", showlegend: false,
        x: [from.step, to.step], y: [from.loss, to.loss], text: ["", `${t("Next step")}: ${LOSS_LABELS[0](to.loss)}`],
        hovertemplate: HOVER, line: { color: INK, width: 1.5, dash: "dot" },
        marker: { symbol: "circle-open", size: [0, 13], color: INK, line: { width: 2.5 } } });
    });
  }
}

export class GradChart extends Chart {
  reset(history, layers) {
    this.pending = null;
    this.history = [...history];
    this.layers = layers;
    this.span = null;
    this.ticks = null;
    const x = history.map((h) => h.step);
    for (const h of history) this.widen(h.grad_norm_W);
    const traces = Array.from({ length: layers }, (_, l) => ({
      type: "scatter", mode: "lines", name: `‖dW[${l + 1}]‖`, x,
      y: history.map((h) => h.grad_norm_W[l] || null),
      line: { width: 2, color: layerColor(l, layers) },
    }));
    traces.forEach((tr, l) => Object.assign(tr, { text: this.texts(l, x, tr.y), hovertemplate: HOVER }));
    const font = fontOf();
    this.ticks = decadeTicks(this.span);
    const layout = {
      margin: { l: 52, r: 8, t: 6, b: 26 },
      font,
      showlegend: true,
      legend: legend(font),
      xaxis: { title: { text: t("step"), standoff: 0 }, automargin: true },
      yaxis: { type: "log", title: { text: t("gradient norm"), standoff: 4 }, automargin: true, ...this.ticks },
      uirevision: "keep",
      shapes: this.shapes(),
    };
    withPlotly((Plotly) => Plotly.react(this.root, traces, layout, { displayModeBar: false, responsive: true }));
  }

  label(l, x, y) {
    return `‖dW[${l + 1}]‖ ${format.value(y)}<br>${stepText(x)}`;
  }

  redraw() {
    this.reset(this.history, this.layers);
  }

  add(frame) {
    const norms = frame.layers.map((l) => l.grad_norm.W || null);
    this.history.push({ step: frame.step, grad_norm_W: norms });
    this.widen(norms);
    this.push(frame.step, norms);
  }

  // The decades the norms have reached so far (log10 of the smallest and the largest).
  widen(norms) {
    for (const v of norms) {
      if (!(v > 0) || !Number.isFinite(v)) continue;
      const e = Math.log10(v);
      this.span = this.span ? [Math.min(this.span[0], e), Math.max(this.span[1], e)] : [e, e];
    }
  }

  flush() {
    const had = this.pending;
    super.flush();
    const ticks = decadeTicks(this.span);
    if (!had || JSON.stringify(ticks) === JSON.stringify(this.ticks)) return;
    this.ticks = ticks;
    withPlotly((Plotly) => Plotly.relayout(this.root, Object.fromEntries(
      Object.entries(ticks).map(([k, v]) => [`yaxis.${k}`, v]))));
  }
}

const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

// A log axis labelled every d-th decade, d the smallest that keeps to `most` labels over the
// decades reached (a rate of 10 spreads the norms from 1e-17 to 10: 19 labels in 90 px before).
// Labels are plain text (10⁻⁴), so they are as large as the chart's font, superscript included.
export function decadeTicks(span, most = 5) {
  let lo = span ? Math.floor(span[0]) : -3;
  let hi = span ? Math.ceil(span[1]) : 1;
  if (hi <= lo) hi = lo + 1;
  let d = 1;
  while (Math.ceil(hi / d) - Math.floor(lo / d) + 1 > most) d++;
  lo = Math.floor(lo / d) * d;
  hi = Math.ceil(hi / d) * d;
  const exps = [];
  for (let k = lo; k <= hi; k += d) exps.push(k);
  const pad = (hi - lo) * 0.04;
  return {
    range: [lo - pad, hi + pad], tickmode: "array",
    tickvals: exps.map((k) => 10 ** k),
    ticktext: exps.map((k) => (k === 0 ? "1" : k === 1 ? "10" : `10${[...String(k)].map((c) => SUPERSCRIPT[c]).join("")}`)),
  };
}

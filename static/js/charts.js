// Loss and gradient-flow charts (Plotly). Points are appended with extendTraces, batched so
// that a chart redraws at most a few times a second however fast training runs.
import { CLASS_COLORS } from "./palette.js";
import { t } from "./i18n.js";
import { withPlotly } from "./plotly.js";

// Above the plot, pushing its top margin down however many lines it wraps to (projector type).
const legend = (font) => ({ orientation: "h", x: 0, xanchor: "left", y: 1, yanchor: "bottom", itemwidth: 30,
  font: { ...font, size: font.size * 0.85 } });

const INTERVAL_MS = 700; // a Plotly redraw costs ~20 ms: a few a second is plenty

function fontOf() {
  const cs = getComputedStyle(document.body);
  return { family: cs.fontFamily, size: parseFloat(cs.fontSize) * 0.8 };
}

class Chart {
  constructor(root) {
    this.root = root;
    this.pending = null;
    this.timer = null;
  }

  exportPng(filename) {
    this.flush();
    return withPlotly((Plotly) => Plotly.downloadImage(this.root, { format: "png", filename, scale: 2 }));
  }

  push(x, ys) {
    if (!this.pending) this.pending = { x: ys.map(() => []), y: ys.map(() => []) };
    ys.forEach((v, i) => { this.pending.x[i].push(x); this.pending.y[i].push(v); });
    if (!this.timer) this.timer = setTimeout(() => this.flush(), INTERVAL_MS);
  }

  flush() {
    clearTimeout(this.timer);
    this.timer = null;
    if (!this.pending) return;
    const p = this.pending;
    this.pending = null;
    withPlotly((Plotly) => Plotly.extendTraces(this.root, { x: p.x, y: p.y }, p.x.map((_, i) => i)));
  }
}

export class LossChart extends Chart {
  reset(history, hasAccuracy) {
    this.pending = null;
    const x = history.map((h) => h.step);
    const traces = [
      { name: t("Train loss"), x, y: history.map((h) => h.loss_train), line: { color: "#183d4e", width: 2 } },
      { name: t("Test loss"), x, y: history.map((h) => h.loss_test), line: { color: "#183d4e", width: 2, dash: "dot" } },
    ];
    if (hasAccuracy) {
      traces.push({ name: t("Test accuracy"), x, y: history.map((h) => h.accuracy_test), yaxis: "y2",
        line: { color: "#009e73", width: 1.5 } });
    }
    this.hasAccuracy = hasAccuracy;
    const data = traces.map((tr) => ({ type: "scatter", mode: "lines", ...tr,
      hovertemplate: `${tr.name} %{y:.4f}<br>${t("step")} %{x}<extra></extra>` }));
    const font = fontOf();
    const layout = {
      margin: { l: 44, r: hasAccuracy ? 38 : 8, t: 6, b: 26 },
      font,
      showlegend: true,
      legend: legend(font),
      xaxis: { title: { text: t("step"), standoff: 0 }, rangemode: "tozero", automargin: true },
      yaxis: { title: { text: t("loss"), standoff: 4 }, rangemode: "tozero", automargin: true },
      yaxis2: { overlaying: "y", side: "right", range: [0, 1], dtick: 0.25, showgrid: false, tickformat: ".0%", visible: hasAccuracy,
        automargin: true },
      uirevision: "keep",
    };
    withPlotly((Plotly) => Plotly.react(this.root, data, layout, { displayModeBar: false, responsive: true }));
  }

  add(frame) {
    const ys = [frame.loss.train, frame.loss.test];
    if (this.hasAccuracy) ys.push(frame.accuracy ? frame.accuracy.test : null);
    this.push(frame.step, ys);
  }
}

export class GradChart extends Chart {
  reset(history, layers) {
    this.pending = null;
    this.layers = layers;
    const x = history.map((h) => h.step);
    const traces = Array.from({ length: layers }, (_, l) => ({
      type: "scatter", mode: "lines", name: `‖dW[${l + 1}]‖`, x,
      y: history.map((h) => h.grad_norm_W[l]),
      line: { width: 1.8, color: shade(l, layers) },
      hovertemplate: `‖dW[${l + 1}]‖ %{y:.2e}<br>${t("step")} %{x}<extra></extra>`,
    }));
    const font = fontOf();
    const layout = {
      margin: { l: 52, r: 8, t: 6, b: 26 },
      font,
      showlegend: true,
      legend: legend(font),
      xaxis: { title: { text: t("step"), standoff: 0 }, automargin: true },
      yaxis: { type: "log", dtick: 1, title: { text: t("gradient norm"), standoff: 4 }, exponentformat: "power", automargin: true },
      uirevision: "keep",
    };
    withPlotly((Plotly) => Plotly.react(this.root, traces, layout, { displayModeBar: false, responsive: true }));
  }

  add(frame) {
    this.push(frame.step, frame.layers.map((l) => l.grad_norm.W || null));
  }
}

// Layers from input to output: light to dark, in the page's blue.
function shade(l, n) {
  if (n === 1) return CLASS_COLORS[1];
  const t = l / (n - 1);
  return `rgb(${Math.round(150 - 142 * t)},${Math.round(200 - 81 * t)},${Math.round(230 - 41 * t)})`;
}

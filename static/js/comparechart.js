// The comparison's one loss chart: both runs' training and test losses. A run has one colour
// (its side's, palette.js SIDES, as in its header); training solid, test dotted, as on the
// network page. The legend names each curve with its latest loss. Points are appended with
// extendTraces, a few times a second at most, as charts.js does.
import { fontOf } from "./charts.js";
import { t } from "./i18n.js";
import { SIDES } from "./palette.js";
import { withPlotly } from "./plotly.js";
import * as format from "./format.js";

const INTERVAL_MS = 600;
const HOVER = "%{text}<extra></extra>";
const KINDS = [["train", "Train", "solid"], ["test", "Test", "dot"]];

export class CompareChart {
  constructor(root) {
    this.root = root;
    this.runs = []; // per run: {name, what, points: [{step, train, test}]}
    this.pending = null;
    this.timer = null;
    this.drawn = Promise.resolve(); // the last Plotly call
    let was = document.body.classList.contains("projector");
    new MutationObserver(() => {
      const now = document.body.classList.contains("projector");
      if (now !== was && this.runs.length) this.redraw();
      was = now;
    }).observe(document.body, { attributes: true, attributeFilter: ["class"] });
  }

  // Both runs afresh from their first frames: runs [{name, what, frame}].
  reset(runs) {
    clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
    this.runs = runs.map((r) => ({ name: r.name, what: r.what, points: [point(r.frame)] }));
    this.redraw();
  }

  // Run i's frame after a step: drawn with the next flush.
  add(i, frame) {
    this.runs[i].points.push(point(frame));
    if (!this.pending) this.pending = this.runs.map(() => []);
    this.pending[i].push(point(frame));
    if (!this.timer) this.timer = setTimeout(() => this.flush(), INTERVAL_MS);
  }

  flush() {
    clearTimeout(this.timer);
    this.timer = null;
    const p = this.pending;
    this.pending = null;
    if (!p) return;
    const x = [], y = [], text = [], indices = [];
    p.forEach((points, i) => KINDS.forEach(([key], k) => {
      x.push(points.map((q) => q.step));
      y.push(points.map((q) => q[key]));
      text.push(points.map((q) => this.label(i, k, q)));
      indices.push(i * KINDS.length + k);
    }));
    const names = this.names();
    this.drawn = withPlotly(async (Plotly) => {
      await Plotly.extendTraces(this.root, { x, y, text }, indices);
      await Plotly.restyle(this.root, { name: names, mode: "lines" }, names.map((_, i) => i));
    });
  }

  // "A train 0.1234": the run, the curve and its latest loss.
  names() {
    return this.runs.flatMap((run) => KINDS.map(([key, word]) => {
      const last = run.points[run.points.length - 1];
      return `${run.name} ${t(word)} ${format.loss(last[key])}`;
    }));
  }

  label(i, k, q) {
    const run = this.runs[i];
    return `${run.name} (${run.what})<br>${t(KINDS[k][1])} ${format.loss(q[KINDS[k][0]])}<br>${t("step")} ${format.count(q.step)}`;
  }

  redraw() {
    const names = this.names();
    const data = this.runs.flatMap((run, i) => KINDS.map(([key, , dash], k) => ({
      // a run's first point alone is a dot (a line needs two)
      type: "scatter", mode: run.points.length > 1 ? "lines" : "lines+markers", name: names[i * KINDS.length + k],
      x: run.points.map((q) => q.step), y: run.points.map((q) => q[key]),
      text: run.points.map((q) => this.label(i, k, q)), hovertemplate: HOVER,
      line: { color: SIDES[i], width: key === "train" ? 2.5 : 2, dash },
    })));
    const font = fontOf();
    const layout = {
      margin: { l: 50, r: 10, t: 6, b: 30 },
      font,
      showlegend: true,
      // the legend names the runs and their losses: a little larger than the ticks off the projector
      legend: { orientation: "h", x: 0, xanchor: "left", y: 1, yanchor: "bottom",
        font: { ...font, size: Math.max(font.size, 13) } },
      // at least ten steps wide: no fractions of a step on the axis before the first ones
      xaxis: { title: { text: t("step"), standoff: 0 }, rangemode: "tozero", automargin: true,
        autorangeoptions: { include: [0, 10] } },
      // projector: few ticks, as the chart is short there
      yaxis: { title: { text: t("loss"), standoff: 4 }, rangemode: "tozero", automargin: true,
        nticks: document.body.classList.contains("projector") ? 3 : 0 },
      uirevision: "keep",
    };
    this.drawn = withPlotly((Plotly) => Plotly.react(this.root, data, layout, { displayModeBar: false, responsive: true }));
  }

  // What the chart shows, for the test hook: per curve its name (with its latest loss), its
  // number of points, its colour and its dash.
  async curves() {
    this.flush();
    await this.drawn;
    return (this.root.data || []).map((tr) => ({ name: tr.name, points: tr.x.length, color: tr.line.color, dash: tr.line.dash }));
  }
}

const point = (f) => ({ step: f.step, train: f.loss.train, test: f.loss.test });

// The output plot: the decision boundary (or fitted surface, or curve) with the data points.
// Plotly draws the axes and points; the map itself is painted on a canvas under Plotly's plot
// area, so that redrawing it every frame costs one putImageData, not a Plotly redraw.
import { INK, MARK, flipRows, labelColor, paint, paintOutput, scaleFor } from "./palette.js";
import { outputRangeOf, rangeOf } from "./problems.js";
import { t } from "./i18n.js";
import { withPlotly } from "./plotly.js";
import { decode, slice } from "./typed.js";
import * as format from "./format.js";

const MARGIN = { l: 38, r: 8, t: 8, b: 30 };
// The map a little paler than the points, so a point stands out on a region of its own colour.
const MAP_OPACITY = 0.78;

export class OutputPlot {
  // options: /api/options (the activations' and problems' ranges)
  constructor(root, onPick, onDraw = () => {}, isDrawing = () => false, options = null) {
    this.root = root;
    this.options = options;
    this.onPick = onPick; // (training-set index) when a training point is clicked
    this.onDraw = onDraw; // (x, y, {shift, alt}, oneD) when the plot is clicked in draw mode
    this.isDrawing = isDrawing;
    this.canvas = document.createElement("canvas");
    this.canvas.className = "map";
    this.canvas.style.opacity = MAP_OPACITY;
    this.ctx = this.canvas.getContext("2d");
    this.root.append(this.canvas);
    this.plot = document.createElement("div");
    this.plot.style.position = "absolute";
    this.plot.style.inset = "0";
    this.root.append(this.plot);
    this.view = { showTest: false, discretize: false };
    this.neuron = null; // {maps, index, activation} while a neuron is hovered
  }

  // New data or problem: redraw the points (Plotly.react, rare).
  setData(data, config, grid) {
    this.config = config;
    this.data = data;
    this.oneD = grid.y === null;
    this.grid = grid;
    this.redrawPoints();
  }

  setView(view) {
    Object.assign(this.view, view);
    if (this.data) this.redrawPoints();
    if (this.frame) this.paint();
  }

  redrawPoints() {
    const { data, config } = this;
    const traces = [];
    const sets = [["train", "Training data", false]];
    if (this.view.showTest) sets.push(["test", "Test data", true]);
    for (const [key, name, outlined] of sets) {
      const X = data[key].X;
      const y = data[key].y;
      // 1-D: the height is the value, so one dark colour reads best against the curve
      const colors = this.oneD ? "#555" : y.map((v) => labelColor(v, config.problem));
      traces.push({
        type: "scatter",
        mode: "markers",
        name,
        x: X.map((p) => p[0]),
        y: this.oneD ? y : X.map((p) => p[1]),
        marker: { color: colors, size: 6, line: { color: outlined ? "#111" : "#fff", width: 1 } },
        // the page's number format, as everywhere else (static/js/format.js)
        text: X.map((p, i) => (this.oneD ? `x ${format.value(p[0])}<br>y ${format.value(y[i])}`
          : `x₁ ${format.value(p[0])}<br>x₂ ${format.value(p[1])}`)),
        hovertemplate: `%{text}${outlined ? "" : `<br>${t("click: inspect")}`}<extra></extra>`,
      });
    }
    if (this.oneD) {
      traces.push({ type: "scatter", mode: "lines", name: t("Network output"), x: this.grid.x, y: this.grid.x.map(() => 0),
        line: { color: INK, width: 3 }, hoverinfo: "skip", meta: "curve" });
    }
    const g = this.grid;
    const layout = {
      margin: MARGIN,
      showlegend: false,
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: this.oneD ? "#fafafa" : "rgba(0,0,0,0)",
      xaxis: { range: [g.x[0], g.x[g.x.length - 1]], zeroline: false, fixedrange: true, automargin: true, title: { text: "x₁", standoff: 4 } },
      yaxis: this.oneD
        ? { range: this.valueRange(data), zeroline: false, fixedrange: true, automargin: true, title: { text: "y", standoff: 4 } }
        : { range: [g.y[0], g.y[g.y.length - 1]], zeroline: false, fixedrange: true, automargin: true, title: { text: "x₂", standoff: 4 } },
      uirevision: "keep",
      font: { family: getComputedStyle(document.body).fontFamily, size: parseFloat(getComputedStyle(document.body).fontSize) * 0.85 },
    };
    this.placeCanvas();
    withPlotly((Plotly) => {
      Plotly.react(this.plot, traces, layout, { displayModeBar: false, responsive: true });
      this.placeCanvas();
      if (!this.clickBound) {
        this.clickBound = true;
        this.plot.on("plotly_click", (ev) => {
          const p = ev.points[0];
          if (p && p.curveNumber === 0 && !this.isDrawing()) this.onPick(p.pointIndex);
        });
        this.plot.addEventListener("click", (e) => {
          if (!this.isDrawing()) return;
          const at = this.toData(e);
          if (at) this.onDraw(at[0], at[1], { shift: e.shiftKey, alt: e.altKey }, this.oneD);
        });
      }
    });
  }

  // 1-D: the value axis spans the targets and [-1, 1], 10% wider, and holds still while the
  // curve trains and while points are drawn inside it (a point drawn beyond it widens it).
  valueRange(data) {
    const ys = [...data.train.y, ...data.test.y];
    let lo = -1, hi = 1;
    for (const v of ys) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const pad = (hi - lo) * 0.1;
    const r = this.yRange;
    if (this.isDrawing() && r && ys.every((v) => v >= r[0] && v <= r[1])) return r;
    return (this.yRange = [lo - pad, hi + pad]);
  }

  // A mouse event's position in data coordinates, or null outside the plot area.
  toData(e) {
    const fl = this.plot._fullLayout;
    if (!fl) return null;
    const box = this.plot.getBoundingClientRect();
    const px = e.clientX - box.left - fl._size.l;
    const py = e.clientY - box.top - fl._size.t;
    if (px < 0 || py < 0 || px > fl._size.w || py > fl._size.h) return null;
    return [fl.xaxis.p2c(px), fl.yaxis.p2c(py)];
  }

  // The other way: the client coordinates of training point i, or null before the plot is laid out.
  pointAt(i) {
    const fl = this.plot._fullLayout;
    const p = this.data?.train.X[i];
    if (!fl || !p) return null;
    const box = this.plot.getBoundingClientRect();
    const y = this.oneD ? this.data.train.y[i] : p[1];
    return { x: box.left + fl._size.l + fl.xaxis.c2p(p[0]), y: box.top + fl._size.t + fl.yaxis.c2p(y) };
  }

  // The colour the map shows at data coordinates (x1, x2), as painted on its canvas (the grid's
  // sample nearest to it): [r, g, b], or null off the map or with no map (1-D).
  pixelAt(x1, x2) {
    const g = this.grid, R = this.canvas.width;
    if (this.oneD || !this.image || !g) return null;
    const fx = (x1 - g.x[0]) / (g.x[g.x.length - 1] - g.x[0]);
    const fy = (x2 - g.y[0]) / (g.y[g.y.length - 1] - g.y[0]);
    if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) return null;
    const d = this.ctx.getImageData(Math.round(fx * (R - 1)), R - 1 - Math.round(fy * (R - 1)), 1, 1).data;
    return [d[0], d[1], d[2]];
  }

  // Plotly's own PNG export, with the map (a canvas under the plot) laid in as an image.
  exportPng() {
    return withPlotly(async (Plotly) => {
      const g = this.grid;
      const images = this.oneD ? [] : [{
        source: this.canvas.toDataURL("image/png"), xref: "x", yref: "y", layer: "below",
        x: g.x[0], y: g.y[g.y.length - 1], sizex: g.x[g.x.length - 1] - g.x[0], sizey: g.y[g.y.length - 1] - g.y[0],
        sizing: "stretch", opacity: MAP_OPACITY,
      }];
      await Plotly.relayout(this.plot, { images });
      try {
        await Plotly.downloadImage(this.plot, { format: "png", filename: "backprop-lab-output", scale: 2 });
      } finally {
        await Plotly.relayout(this.plot, { images: [] });
      }
    });
  }

  // Ring one training point (slow motion's traced example), or none (null).
  markExample(index) {
    const p = index === null || index === undefined || !this.data ? null : this.data.train.X[index];
    const shapes = !p ? [] : [{
      type: "circle", xref: "x", yref: "y", xsizemode: "pixel", ysizemode: "pixel",
      xanchor: p[0], yanchor: this.oneD ? this.data.train.y[index] : p[1], x0: -9, x1: 9, y0: -9, y1: 9,
      line: { color: MARK, width: 3 },
    }];
    withPlotly((Plotly) => Plotly.relayout(this.plot, { shapes }));
  }

  // A ghost of the map after the next step (static/js/preview.js), over the map shown: its
  // decision boundary dashed (each class's 0.5 line for several classes), its value's contour
  // lines for regression, its curve for one input; null takes it away. The last traces.
  ghost(grid) {
    withPlotly((Plotly) => {
      const ghosts = (this.plot.data || []).flatMap((d, i) => (d.meta === "ghost" ? [i] : []));
      if (ghosts.length) Plotly.deleteTraces(this.plot, ghosts);
      if (!grid || !grid.output) return;
      const line = { color: INK, width: 2.5, dash: "dash" };
      if (this.oneD) {
        Plotly.addTraces(this.plot, { type: "scatter", mode: "lines", meta: "ghost", x: grid.x,
          y: Array.from(decode(grid.output).values), line, hoverinfo: "skip" });
        return;
      }
      const regression = this.config.problem === "regression";
      const maps = Array.isArray(grid.output) ? grid.output : [grid.output];
      const contours = regression ? { coloring: "none", showlabels: true, labelfont: { color: INK } }
        : { coloring: "none", start: 0.5, end: 0.5, size: 1 };
      Plotly.addTraces(this.plot, maps.map((z) => ({ type: "contour", meta: "ghost", x: grid.x, y: grid.y, z,
        contours, ncontours: regression ? 8 : undefined, line, showscale: false, hoverinfo: "skip" })));
    });
  }

  placeCanvas() {
    const s = this.plot._fullLayout && this.plot._fullLayout._size;
    const w = this.root.clientWidth, h = this.root.clientHeight;
    const box = s ? { l: s.l, t: s.t, w: s.w, h: s.h } : { l: MARGIN.l, t: MARGIN.t, w: w - MARGIN.l - MARGIN.r, h: h - MARGIN.t - MARGIN.b };
    Object.assign(this.canvas.style, { left: `${box.l}px`, top: `${box.t}px`, width: `${box.w}px`, height: `${box.h}px` });
    this.canvas.hidden = this.oneD;
  }

  update(frame) {
    this.frame = frame;
    if (!frame.grid) return;
    this.grid = frame.grid;
    this.paint();
  }

  showNeuron(maps, index, activation) {
    this.neuron = maps ? { maps, index, activation } : null;
    if (this.frame) this.paint();
  }

  paint() {
    const g = this.grid;
    if (!g || !g.output) return;
    if (this.oneD) {
      const curve = Array.from(decode(g.output).values);
      withPlotly((Plotly) => Plotly.restyle(this.plot, { x: [g.x], y: [curve] },
        [this.plot.data.findIndex((d) => d.meta === "curve")]));
      return;
    }
    if (this.neuron) {
      const m = this.neuron.maps;
      const R = m.shape[1];
      const values = slice(m, this.neuron.index);
      let extent = 0;
      for (const v of values) extent = Math.max(extent, Math.abs(v));
      const [center, half] = scaleFor(rangeOf(this.options, this.neuron.activation), extent);
      this.ensure(R);
      paint(this.image, flipRows([values], R)[0], center, half);
    } else {
      this.ensure(g.resolution);
      paintOutput(this.image, g, this.config.problem, outputRangeOf(this.options, this.config), this.view.discretize);
    }
    this.ctx.putImageData(this.image, 0, 0);
  }

  ensure(R) {
    if (!this.image || this.canvas.width !== R) {
      this.canvas.width = this.canvas.height = R;
      this.image = this.ctx.createImageData(R, R);
    }
  }
}


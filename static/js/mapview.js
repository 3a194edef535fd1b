// The output map on a student's page: the network's output over the data's plane (50 x 50,
// from the class's frames) with the training points, on one canvas. No Plotly here: a room
// of phones should not each fetch 1.5 MB to draw a square. 1-D data (regression on x1) is
// drawn as the main page draws it: the points and the network's curve through them.
import { INK, MARK, labelColor, paintOutput } from "./palette.js";
import { outputRangeOf } from "./problems.js";
import { decode } from "./typed.js";

const MAP_OPACITY = 0.78; // as output.js: a point stands out on a region of its own colour
const POINT = 3.2; // px: a training point's radius

export class MapView {
  // canvas: the <canvas> (square, sized by CSS); options: /api/options (the output ranges)
  constructor(canvas, options) {
    Object.assign(this, { canvas, options });
    this.scratch = document.createElement("canvas");
    this.image = null;
    this.marked = null;
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  // The data and the maps' coordinates (a setup): the points and the axes' spans.
  setData(data, config, maps) {
    Object.assign(this, { data, config, maps });
    this.oneD = maps.y === null;
    this.values = null;
    this.draw();
  }

  // A frame's output map (merged with the setup's maps: {resolution, x, y, output}).
  update(grid) {
    if (!grid?.output || !this.maps) return;
    if (this.oneD) {
      this.values = decode(grid.output).values;
    } else {
      const R = grid.resolution;
      if (!this.image || this.image.width !== R) this.image = new ImageData(R, R);
      paintOutput(this.image, grid, this.config.problem, outputRangeOf(this.options, this.config));
      this.scratch.width = this.scratch.height = R;
      this.scratch.getContext("2d").putImageData(this.image, 0, 0);
    }
    this.draw();
  }

  // Ring training point i (a class question's point), or none.
  mark(index) {
    this.marked = index ?? null;
    this.draw();
  }

  draw() {
    if (!this.maps) return;
    const c = this.canvas, dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth, h = c.clientHeight;
    if (!w || !h) return;
    if (c.width !== Math.round(w * dpr)) c.width = Math.round(w * dpr);
    if (c.height !== Math.round(h * dpr)) c.height = Math.round(h * dpr);
    const g = c.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const { x, y } = this.maps;
    const X = this.data.train.X, Y = this.data.train.y;
    const sx = (v) => ((v - x[0]) / (x[x.length - 1] - x[0])) * w;
    let sy;
    if (this.oneD) {
      const [lo, hi] = valueRange(this.data);
      sy = (v) => h - ((v - lo) / (hi - lo)) * h;
      g.fillStyle = "#fafafa";
      g.fillRect(0, 0, w, h);
    } else {
      sy = (v) => h - ((v - y[0]) / (y[y.length - 1] - y[0])) * h;
      if (this.image) {
        g.globalAlpha = MAP_OPACITY;
        g.imageSmoothingEnabled = true;
        g.drawImage(this.scratch, 0, 0, w, h);
        g.globalAlpha = 1;
      }
    }
    g.lineWidth = 1;
    X.forEach((p, i) => {
      g.beginPath();
      g.arc(sx(p[0]), sy(this.oneD ? Y[i] : p[1]), POINT, 0, 2 * Math.PI);
      g.fillStyle = this.oneD ? "#555" : labelColor(Y[i], this.config.problem);
      g.strokeStyle = "#fff";
      g.fill();
      g.stroke();
    });
    if (this.oneD && this.values) {
      g.strokeStyle = INK;
      g.lineWidth = 3;
      g.beginPath();
      x.forEach((v, i) => (i ? g.lineTo(sx(v), sy(this.values[i])) : g.moveTo(sx(v), sy(this.values[i]))));
      g.stroke();
    }
    const m = this.marked !== null && X[this.marked];
    if (m) {
      g.strokeStyle = MARK;
      g.lineWidth = 3;
      g.beginPath();
      g.arc(sx(m[0]), sy(this.oneD ? Y[this.marked] : m[1]), 9, 0, 2 * Math.PI);
      g.stroke();
    }
  }
}

// 1-D: the value axis spans the targets and [-1, 1], 10% wider (as output.js).
function valueRange(data) {
  let lo = -1, hi = 1;
  for (const v of [...data.train.y, ...data.test.y]) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  const pad = (hi - lo) * 0.1;
  return [lo - pad, hi + pad];
}

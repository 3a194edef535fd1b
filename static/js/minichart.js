// The loss as a student follows it: the training loss (solid) and the test loss (dotted) of
// the frames received, on one small canvas, the span of steps and of losses written at its
// edges (no Plotly on a phone). A step counter going back (a reset) starts it afresh.
import * as format from "./format.js";
import { t } from "./i18n.js";
import { INK } from "./palette.js";

const MOST = 2000; // points kept; older ones are thinned out
const PAD = { l: 4, r: 4, t: 18, b: 18 };

export class LossChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.points = []; // [step, train, test]
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  add(frame) {
    const last = this.points[this.points.length - 1];
    if (last && frame.step < last[0]) this.points = [];
    if (last && frame.step === last[0]) this.points.pop();
    this.points.push([frame.step, frame.loss.train, frame.loss.test]);
    if (this.points.length > MOST) this.points = this.points.filter((_, i) => i % 2 === 0 || i === this.points.length - 1);
    this.draw();
  }

  draw() {
    const c = this.canvas, dpr = window.devicePixelRatio || 1;
    const w = c.clientWidth, h = c.clientHeight;
    if (!w || !h) return;
    c.width = Math.round(w * dpr);
    c.height = Math.round(h * dpr);
    const g = c.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const font = getComputedStyle(c).font;
    g.font = font;
    g.fillStyle = "#666";
    const pts = this.points.filter((p) => Number.isFinite(p[1]));
    if (!pts.length) return;
    const x0 = pts[0][0], x1 = Math.max(pts[pts.length - 1][0], x0 + 1);
    // the span the losses take, a little wider (a flat line sits in the middle)
    let lo = Infinity, hi = -Infinity;
    for (const p of pts) for (const v of [p[1], p[2]]) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const pad = Math.max((hi - lo) * 0.08, Math.abs(hi) * 0.01, 1e-6);
    lo = Math.max(0, lo - pad);
    hi += pad;
    const sx = (s) => PAD.l + ((s - x0) / (x1 - x0)) * (w - PAD.l - PAD.r);
    const sy = (v) => PAD.t + (1 - (v - lo) / (hi - lo)) * (h - PAD.t - PAD.b);
    g.strokeStyle = "#ddd";
    g.lineWidth = 1;
    g.strokeRect(PAD.l, PAD.t, w - PAD.l - PAD.r, h - PAD.t - PAD.b);
    g.textBaseline = "top";
    g.fillText(`${t("loss")} ${format.loss(lo)} – ${format.loss(hi)}`, PAD.l, 2);
    g.textBaseline = "bottom";
    g.fillText(`${t("step")} ${format.count(x0)}`, PAD.l, h);
    g.textAlign = "right";
    g.fillText(format.count(pts[pts.length - 1][0]), w - PAD.r, h);
    g.textAlign = "left";
    for (const [i, dash] of [[2, [3, 4]], [1, []]]) {
      g.setLineDash(dash);
      g.strokeStyle = INK;
      g.lineWidth = 2;
      g.beginPath();
      let on = false;
      for (const p of pts) {
        if (!Number.isFinite(p[i])) { on = false; continue; }
        if (on) g.lineTo(sx(p[0]), sy(p[i]));
        else g.moveTo(sx(p[0]), sy(p[i]));
        on = true;
      }
      g.stroke();
    }
    g.setLineDash([]);
  }
}

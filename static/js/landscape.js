// "Loss landscape": pick two weights by clicking two edges of the network, and see the training
// loss over a grid of their values (every other weight at its current value, computed by the
// server: GET .../landscape) as a contour plot, with the optimizer's path through the recorded
// steps and the point now. It follows training, at most every FOLLOW_MS (longer when the
// server takes long over it: the training it follows goes on meanwhile).
import { api } from "./api.js";
import { el } from "./dom.js";
import * as format from "./format.js";
import { t } from "./i18n.js";
import { INK, LOSS_SCALE, MARK } from "./palette.js";
import { withPlotly } from "./plotly.js";
import { fontOf } from "./charts.js";

const FOLLOW_MS = 500;
const SHARE = 4; // while playing, a landscape takes at most 1 / SHARE of the server's time
const SUB = "₀₁₂₃₄₅₆₇₈₉";
const sub = (n) => String(n).replace(/\d/g, (d) => SUB[d]);

// W[2]₁₃: the weight into unit j + 1 of layer l from unit k + 1 below, as the page counts them.
export function weightName({ l, j, k }) {
  return `W[${l}]${sub(j + 1)}${j + 1 > 9 || k + 1 > 9 ? "," : ""}${sub(k + 1)}`;
}

export class LandscapePanel {
  // options:
  //   session   the Session (session.js): its queue, id and frames; the panel listens to it
  //   net       the NetworkView: edgeAt(x, y) finds the edge clicked, markPicks() rings them
  //   playing   () => boolean: while training plays the plot follows at most every FOLLOW_MS
  //   elements  { teach }: the row of teaching panels under the network the panel joins
  constructor({ session, net, playing, elements }) {
    Object.assign(this, { session, net, playing });
    this.picks = []; // [{l, j, k}], at most two
    this.step = null; // the step the plot shows
    this.busy = false;
    this.at = 0;
    this.gap = FOLLOW_MS; // between two requests while playing
    this.hint = el("p", { class: "hint landscape-hint", "aria-live": "polite" });
    this.plot = el("div", { class: "landscape-plot", role: "img", "aria-label": t("Loss landscape") });
    this.caption = el("p", { class: "hint landscape-caption" });
    this.panel = el("details", { id: "landscape-panel" }, el("summary", {}, t("Loss landscape")), this.hint, this.plot, this.caption);
    elements.teach.append(this.panel);
    // while picking, the hint also floats over the page: the panel may be below the screen's edge
    this.badge = el("div", { class: "pick-hint", role: "status", hidden: "" });
    document.body.append(this.badge);
    this.panel.addEventListener("toggle", () => {
      this.mark();
      this.say();
      if (this.panel.open) this.refresh(true);
    });
    // Captured before the weight editor's click: while the panel is open an edge is picked.
    net.root.addEventListener("click", (ev) => this.click(ev), true);
    session.listen({
      show: (s, change) => { if (change.structural) this.forget(); else this.refresh(true); },
      draw: () => this.refresh(false),
    });
  }

  open() {
    this.panel.open = true;
    if (this.picks.length === 2) this.panel.scrollIntoView({ block: "nearest" });
  }

  click(ev) {
    if (!this.panel.open || (ev.target !== this.net.root && ev.target !== this.net.canvas)) return;
    const r = this.net.root.getBoundingClientRect();
    const e = this.net.edgeAt(ev.clientX - r.left, ev.clientY - r.top);
    if (!e) return;
    ev.stopImmediatePropagation();
    const w = { l: e.l, j: e.j, k: e.k };
    const same = (p) => p.l === w.l && p.j === w.j && p.k === w.k;
    if (this.picks.length === 2) this.picks = [w];
    else if (!this.picks.some(same)) this.picks.push(w);
    this.mark();
    this.say();
    this.reveal = this.picks.length === 2; // the plot scrolled into view once it is drawn
    if (this.reveal) this.refresh(true);
    else withPlotly((Plotly) => Plotly.purge(this.plot));
  }

  mark() {
    this.net.markPicks(this.panel.open ? this.picks.map((p) => ({ layer: p.l, row: p.j, col: p.k })) : null);
  }

  say() {
    const [a, b] = this.picks.map(weightName);
    this.hint.textContent = !a ? t("Click two edges of the network: the first weight, then the second.")
      : !b ? t("{a} picked: now click a second edge.", { a })
      : t("{a} and {b}. Click another edge to start a new pair; close this panel to type weights again.", { a, b });
    this.badge.textContent = this.hint.textContent;
    this.badge.hidden = !(this.panel.open && !b);
  }

  // The network changed shape: the weights picked may be no more.
  forget() {
    this.picks = [];
    this.step = null;
    this.mark();
    this.say();
    this.caption.textContent = "";
    withPlotly((Plotly) => Plotly.purge(this.plot));
  }

  // Ask again when the step shown is not the plot's; `now`: also for the same step (the
  // settings or the weights changed). While playing, one request at a time, at most every
  // `gap` ms, and once more after the last frame.
  refresh(now) {
    const { session } = this;
    if (!this.panel.open || this.picks.length < 2 || !session.frame) return;
    if (!now && this.step === session.frame.step) return;
    clearTimeout(this.later);
    const wait = this.at + this.gap - performance.now();
    if (this.busy || (this.playing() && wait > 0)) {
      this.later = setTimeout(() => this.refresh(now), Math.max(wait, 50));
      return;
    }
    this.busy = true;
    this.at = performance.now();
    const [a, b] = this.picks, id = session.id, step = session.frame.step;
    api.landscape(id, a, b)
      .then((s) => { if (id === session.id && this.picks[1] === b) this.draw(s, step); })
      .catch((e) => session.report(e))
      .finally(() => { this.busy = false; });
  }

  draw(s, step) {
    this.step = step;
    this.gap = Math.max(FOLLOW_MS, SHARE * s.seconds * 1e3);
    const n = s.a.values.length;
    const z = s.b.values.map((_, q) => s.a.values.map((__, i) => s.loss[i][q])); // rows follow b
    const [na, nb] = [weightName(s.a), weightName(s.b)];
    const at = (wa, wb, loss) => `${na} ${format.value(wa)}<br>${nb} ${format.value(wb)}<br>${t("loss")} ${format.loss(loss)}`;
    const text = s.b.values.map((wb, q) => s.a.values.map((wa, i) => at(wa, wb, z[q][i])));
    const path = s.path;
    const font = fontOf();
    const traces = [
      { type: "contour", x: s.a.values, y: s.b.values, z, text, hovertemplate: "%{text}<extra></extra>",
        colorscale: LOSS_SCALE, ncontours: 14, contours: { coloring: "heatmap" }, line: { color: "rgba(255,255,255,0.7)", width: 0.6 },
        colorbar: { thickness: 10, outlinewidth: 0, tickfont: { ...font, size: font.size * 0.85 } } },
      { type: "scatter", mode: "lines+markers", name: t("path"), x: path.map((p) => p.a), y: path.map((p) => p.b),
        text: path.map((p) => `${t("step")} ${format.count(p.step)}<br>${at(p.a, p.b, p.loss)}`), hovertemplate: "%{text}<extra></extra>",
        line: { color: INK, width: 2 }, marker: { color: INK, size: 4 } },
      { type: "scatter", mode: "markers", name: t("now"), x: [s.current.a], y: [s.current.b],
        text: [`${t("now")}: ${t("step")} ${format.count(s.current.step)}<br>${at(s.current.a, s.current.b, s.current.loss)}`],
        hovertemplate: "%{text}<extra></extra>", marker: { color: MARK, size: 12, line: { color: "#fff", width: 2 } } },
    ];
    if (path.length > 1) {
      traces.push({ type: "scatter", mode: "markers", name: t("start"), x: [path[0].a], y: [path[0].b], hoverinfo: "skip",
        marker: { symbol: "circle-open", color: INK, size: 11, line: { width: 2 } } });
    }
    const layout = {
      margin: { l: 56, r: 8, t: 8, b: 44 }, font, showlegend: false, uirevision: `${na} ${nb}`,
      xaxis: { title: { text: na, standoff: 4 }, automargin: true },
      yaxis: { title: { text: nb, standoff: 4 }, automargin: true },
    };
    withPlotly(async (Plotly) => {
      await Plotly.react(this.plot, traces, layout, { displayModeBar: false, responsive: true });
      if (this.reveal) this.plot.scrollIntoView({ block: "nearest" });
      this.reveal = false;
    });
    this.caption.textContent = `${t("The surface: the training loss with every other weight at its value now. The path: the loss the run had at each recorded step, every weight as it was then, so it need not lie on the surface.")} ${
      t("{n} × {n} grid, {ms} ms on the server.", { n, ms: format.value(s.seconds * 1e3) })}`;
  }
}

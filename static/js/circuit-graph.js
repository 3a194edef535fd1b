// A circuit of gates drawn left to right as SVG, as the lecture draws it: each wire with its
// value above (green, forward) and its gradient below (red, backward). What is shown depends on
// the position in the timeline: position 0 shows the inputs; 1..G compute one gate each
// (forward order); G+1 seeds df/df = 1 at the output; G+1+j has back-propagated j gates.
// A constant has no gradient (it is no variable): its wire shows "n/a" instead of a number.

import { t } from "./i18n.js";
import * as format from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
const SHORT = { sigmoid: "σ", relu: "ReLU" };

function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// Numbers as the rest of the page writes them (format.js): 3 significant digits.
export const fmt = format.value;
const wireText = (upstream, local) => (local === null ? t("n/a") : fmt(upstream * local));

// The timeline of a circuit: which gates run forward, and in which order backward.
export class Timeline {
  constructor(circuit) {
    this.c = circuit;
    this.byId = new Map(circuit.nodes.map((n) => [n.id, n]));
    this.gates = circuit.order.filter((id) => !["input", "const"].includes(this.byId.get(id).op));
    this.backward = [...this.gates].reverse();
    this.incoming = new Map(circuit.nodes.map((n) => [n.id, []]));
    this.outgoing = new Map(circuit.nodes.map((n) => [n.id, []]));
    for (const e of circuit.edges) {
      this.incoming.get(e.to).push(e);
      this.outgoing.get(e.from).push(e);
    }
    this.names = this.nameNodes();
  }

  get G() { return this.gates.length; }
  get end() { return 2 * this.G + 1; }

  // What is known at position t: values computed, gradients per wire, partial sums per node.
  at(t) {
    const G = this.G;
    const computed = new Set(this.c.nodes.filter((n) => n.op === "input" || n.op === "const").map((n) => n.id));
    for (const id of this.gates.slice(0, Math.min(t, G))) computed.add(id);
    const seeded = t > G;
    const done = new Set(seeded ? this.backward.slice(0, t - G - 1) : []);
    const wireGrad = new Map(); // edge -> upstream x local (null from a constant), once its gate has run backward
    const grad = new Map(); // node -> its gradient so far (summed over finished branches)
    if (seeded) grad.set(this.c.output.node, 1);
    for (const id of done) {
      for (const e of this.incoming.get(id)) {
        if (e.local === null) { wireGrad.set(e, null); continue; }
        const g = this.byId.get(e.to).grad * e.local;
        wireGrad.set(e, g);
        grad.set(e.from, (grad.get(e.from) ?? 0) + g);
      }
    }
    // a node all of whose branches are in takes the server's sum (the same number, rounded once)
    for (const id of grad.keys()) {
      const out = this.outgoing.get(id);
      if (out.length && out.every((e) => wireGrad.has(e))) grad.set(id, this.byId.get(id).grad);
    }
    let current = null;
    if (t >= 1 && t <= G) current = this.gates[t - 1];
    else if (t === G + 1) current = this.c.output.node;
    else if (t > G + 1) current = this.backward[t - G - 2];
    return { t, computed, seeded, done, wireGrad, grad, current, phase: t <= G ? "forward" : "backward" };
  }

  // Names for the captions, as the lecture names its stages: an input by its name, a constant
  // by its value, a gate by the name its program line gives it (sigy, num, ...) or else g1,
  // g2, ... in forward order (drawn above the gate).
  nameNodes() {
    const names = new Map();
    for (const n of this.c.nodes) {
      const own = n.op === "input" || n.op === "const" ? n.label : `g${this.gates.indexOf(n.id) + 1}`;
      names.set(n.id, n.name ?? own);
    }
    return names;
  }
}

// Drawn as a tree from the output back, as the lecture draws it: the output in the last column,
// each gate one column left of the gate it feeds, the inputs in the first column and a constant
// just left of its gate. Rows come from a depth-first walk from the output, so the drawing reads
// top to bottom as the formula reads left to right; a gate sits between its inputs.
function layout(tl) {
  const fromOut = new Map([[tl.c.output.node, 0]]);
  for (const id of [...tl.c.order].reverse()) {
    if (!fromOut.has(id)) continue;
    for (const e of tl.incoming.get(id)) {
      fromOut.set(e.from, Math.max(fromOut.get(e.from) ?? 0, fromOut.get(id) + 1));
    }
  }
  const gates = tl.c.nodes.filter((n) => n.op !== "input" && n.op !== "const");
  const deepest = Math.max(0, ...gates.map((n) => fromOut.get(n.id) ?? 0));
  const depth = new Map();
  for (const n of tl.c.nodes) {
    if (n.op === "input") depth.set(n.id, 0);
    else if (n.op !== "const") depth.set(n.id, deepest - (fromOut.get(n.id) ?? 0) + 1);
  }
  for (const n of tl.c.nodes) {
    if (n.op !== "const") continue;
    const out = tl.outgoing.get(n.id);
    depth.set(n.id, out.length ? depth.get(out[0].to) - 1 : 0);
  }
  if (tl.c.nodes.length === 1) depth.set(tl.c.output.node, 0);
  // every use of an input gets a row of its own (so each gate's subtree keeps its own band);
  // the input is then drawn at the mean of its uses
  const row = new Map();
  const uses = new Map();
  let slot = 0;
  const walk = (id) => {
    const n = tl.byId.get(id);
    const ins = tl.incoming.get(id);
    if (!ins.length) {
      const r = slot++;
      if (n.op === "input") (uses.get(id) ?? uses.set(id, []).get(id)).push(r);
      else row.set(id, r);
      return r;
    }
    const rows = ins.map((e) => walk(e.from));
    const r = rows.reduce((a, b) => a + b, 0) / rows.length;
    row.set(id, r);
    return r;
  };
  walk(tl.c.output.node);
  for (const [id, rs] of uses) row.set(id, rs.reduce((a, b) => a + b, 0) / rs.length);
  const top = Math.min(...row.values());
  for (const [id, r] of row) row.set(id, r - top);
  // no two nodes of a column closer than one row
  const columns = new Map();
  for (const [id, d] of depth) (columns.get(d) ?? columns.set(d, []).get(d)).push(id);
  for (const ids of columns.values()) {
    ids.sort((a, b) => row.get(a) - row.get(b));
    for (let i = 1; i < ids.length; i++) row.set(ids[i], Math.max(row.get(ids[i]), row.get(ids[i - 1]) + 1));
  }
  return { depth, row, columns: Math.max(...depth.values()) + 1, rows: Math.max(...row.values()) + 1 };
}

export class CircuitView {
  constructor(host) {
    this.host = host;
  }

  // below: the height (px) of what is shown under the drawing, which it leaves room for
  draw(tl, position, { projector = false, below = 0 } = {}) {
    const s = tl.at(position);
    const { depth, row, columns, rows } = layout(tl);
    const font = projector ? 22 : 15;
    const colW = font * (projector ? 6.8 : 9);
    const rowH = font * (projector ? 4.2 : 4.6);
    const pad = font * 2;
    const outW = font * 6;
    const half = new Map(tl.c.nodes.map((n) => [n.id, this.halfWidth(n, font)]));
    // room on the left for the inputs' gradients, written beside them (bold digits ~0.6 em)
    const left = Math.max(font * 3, ...tl.c.nodes.filter((n) => n.op === "input" && depth.get(n.id) === 0)
      .map((n) => half.get(n.id) + font * (0.4 + 0.6 * fmt(n.grad).length) - pad));
    const X = (id) => pad + left + depth.get(id) * colW;
    const Y = (id) => pad + font * 1.5 + row.get(id) * rowH;
    const width = pad * 2 + left + font * 3 + (columns - 1) * colW + outW;
    const height = pad * 2 + font * 3 + (rows - 1) * rowH;
    // as large as the panel allows (up to 1.8x), never so small that the numbers cannot be read
    const room = this.host.getBoundingClientRect();
    // what is below the drawing may take at most 40% of its room (the rest scrolls)
    const space = window.innerHeight - room.top - font * 9;
    const tall = Math.max(260, space * 0.6, space - below);
    const scale = Math.max(projector ? 0.8 : 0.75, Math.min(1.8, (room.width - 20) / width, tall / height));
    const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width: width * scale, height: height * scale,
      class: "circuit-svg", role: "img",
      "font-size": font });

    const wires = svg("g", { class: "wires" });
    const labels = svg("g", { class: "wire-labels" });
    // Label boxes must not cover each other or a gate: each label slides along its wire, from
    // just before the gate it feeds towards its source, to the first free spot. Positions are
    // found for the final numbers, so labels do not move while stepping.
    const taken = tl.c.nodes.map((n) => [X(n.id) - half.get(n.id), Y(n.id) - font * 1.2, X(n.id) + half.get(n.id), Y(n.id) + font * 1.2]);
    const overlap = (a, b) => Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
    const geometry = tl.c.edges.map((e) => {
      const x1 = X(e.from) + half.get(e.from);
      const y1 = Y(e.from);
      const x2 = X(e.to) - half.get(e.to);
      const ins = tl.incoming.get(e.to);
      const y2 = Y(e.to) + (ins.indexOf(e) - (ins.length - 1) / 2) * font * 0.9;
      return { e, x1, y1, x2, y2 };
    });
    const place = new Map();
    for (const g of [...geometry].sort((a, b) => (a.x2 - a.x1) - (b.x2 - b.x1))) {
      const { e, x1, y1, x2, y2 } = g;
      const text = [fmt(tl.byId.get(e.from).value), wireText(tl.byId.get(e.to).grad, e.local)];
      const w = Math.max(...text.map((x) => x.length)) * 0.31 * font + font * 0.2;
      const u0 = Math.min(0.8, Math.max(0.2, 1 - Math.min(colW * 0.5, (x2 - x1) * 0.55) / Math.max(1, x2 - x1)));
      let best = null;
      for (const du of [0, -0.08, -0.16, -0.24, -0.32, -0.4, -0.48, 0.08, 0.14, -0.56, -0.64]) {
        const u = u0 + du;
        if (u < 0.08 || u > 0.92) continue;
        const [x, y] = this.bezier(x1, y1, x2, y2, u);
        const box = [x - w, y - font * 1.3, x + w, y + font * 1.35];
        const cost = taken.reduce((c, b) => c + overlap(box, b), 0) + Math.abs(du) * font;
        if (!best || cost < best.cost) best = { x, y, box, cost };
        if (cost < font) break;
      }
      taken.push(best.box);
      place.set(e, best);
    }
    for (const { e, x1, y1, x2, y2 } of geometry) {
      const dx = (x2 - x1) / 2;
      const path = svg("path", { d: `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`,
        class: "wire", "data-from": e.from, "data-to": e.to });
      if (e.to === s.current) path.classList.add("active");
      wires.append(path);
      const { x: lx, y: ly } = place.get(e);
      if (s.computed.has(e.from)) {
        labels.append(svg("text", { x: lx, y: ly - font * 0.35, class: "value", "text-anchor": "middle",
          "data-edge": `${e.from}-${e.to}` }, fmt(tl.byId.get(e.from).value)));
      }
      if (s.wireGrad.has(e)) {
        const g = s.wireGrad.get(e);
        const label = svg("text", { x: lx, y: ly + font * 1.05, class: g === null ? "na" : "grad", "text-anchor": "middle",
          "data-edge": `${e.from}-${e.to}` }, g === null ? t("n/a") : fmt(g));
        if (g === null) label.append(svg("title", {}, t("A constant has no gradient: it is not a variable that could change.")));
        labels.append(label);
      }
    }
    // the output wire, with df/df = 1 once the backward pass starts
    const out = tl.c.output.node;
    const ox = X(out) + half.get(out);
    wires.append(svg("path", { d: `M${ox},${Y(out)} h${outW - font}`, class: "wire output-wire" }));
    wires.append(svg("path", { d: `M${ox + outW - font * 1.4},${Y(out) - font * 0.4} l${font * 0.5},${font * 0.4} l${-font * 0.5},${font * 0.4}`, class: "wire output-wire" }));
    labels.append(svg("text", { x: ox + outW - font * 0.6, y: Y(out) + font * 0.35, class: "output-name" }, "f"));
    if (s.computed.has(out)) {
      labels.append(svg("text", { x: ox + outW * 0.42, y: Y(out) - font * 0.35, class: "value", "text-anchor": "middle",
        "data-edge": "output" }, fmt(tl.byId.get(out).value)));
    }
    if (s.seeded) {
      labels.append(svg("text", { x: ox + outW * 0.42, y: Y(out) + font * 1.05, class: "grad", "text-anchor": "middle",
        "data-edge": "output" }, "1"));
    }

    const nodes = svg("g", { class: "nodes" });
    for (const n of tl.c.nodes) {
      const g = svg("g", { class: `node ${n.op === "input" || n.op === "const" ? n.op : "gate"}`, "data-node": n.id,
        transform: `translate(${X(n.id)},${Y(n.id)})` });
      if (!s.computed.has(n.id)) g.classList.add("pending");
      if (s.done.has(n.id)) g.classList.add("done");
      if (n.id === s.current) g.classList.add("current");
      const w = half.get(n.id);
      const h = font * 1.1;
      g.append(svg("rect", { x: -w, y: -h, width: 2 * w, height: 2 * h, rx: n.op === "input" || n.op === "const" ? font * 0.3 : h }));
      g.append(svg("text", { y: font * 0.36, "text-anchor": "middle", class: "label" }, this.labelOf(n)));
      const title = svg("title", {}, n.op === "input" || n.op === "const" ? n.label : `${tl.names.get(n.id)}: ${t(n.role)}`);
      g.append(title);
      if (n.op !== "input" && n.op !== "const") {
        g.append(svg("text", { y: -h - font * 0.3, "text-anchor": "middle", class: n.name ? "tag named" : "tag",
          "data-name": n.name ?? "" }, tl.names.get(n.id)));
      }
      // an input's gradient: the sum over its wires, growing as each branch comes back
      if (n.op === "input" && s.grad.has(n.id)) {
        g.append(svg("text", { x: -w - font * 0.4, y: font * 0.36, "text-anchor": "end", class: "grad node-grad",
          "data-grad": n.label }, fmt(s.grad.get(n.id))));
      }
      nodes.append(g);
    }
    root.append(wires, nodes, labels);
    this.host.replaceChildren(root);
    this.state = s;
    return s;
  }

  labelOf(n) {
    if (n.op === "input" || n.op === "const") return n.label;
    return SHORT[n.label] ?? n.label;
  }

  halfWidth(n, font) {
    const text = this.labelOf(n);
    return Math.max(font * 1.3, (text.length * 0.62 + 1.2) * font / 2);
  }

  // the point at a fraction u along a wire drawn with control points (mid, y1) and (mid, y2)
  bezier(x1, y1, x2, y2, u) {
    const v = 1 - u;
    const dx = (x2 - x1) / 2;
    const x = v * v * v * x1 + 3 * v * v * u * (x1 + dx) + 3 * v * u * u * (x2 - dx) + u * u * u * x2;
    const y = (v * v * v + 3 * v * v * u) * y1 + (3 * v * u * u + u * u * u) * y2;
    return [x, y];
  }
}

// The network diagram: features on the left, hidden layers, the output on the right. Every
// neuron shows its own map (canvas); edges are coloured by the sign of the weight (or, in the
// backward phase, of its gradient) and as wide as its magnitude; a dot marks each bias.
import { INK, color, paint, scaleFor } from "./palette.js";
import { outputsOf, rangeOf } from "./problems.js";
import { decode, slice } from "./typed.js";
import { t } from "./i18n.js";
import * as format from "./format.js";

const HIT = 6; // px: how near an edge the pointer must be to pick it
const HEAD_GAP = 8; // px between a layer's controls and its top neuron
const HEAD_SPACE = 8; // px at least between two layers' controls side by side
const ROW_GAP = 4; // px between two rows of layers' controls
const EDGE_ROOM = 16; // px at least between two columns of neurons, for their edges

// In how many rows the layers' controls (widths: each hidden layer's, left to right) fit over
// columns `spacing` px apart: layer i shares its row with layer i + rows, never touching it.
export function headRows(widths, spacing) {
  const fits = (r) => widths.every((w, i) => i + r >= widths.length || (w + widths[i + r]) / 2 + HEAD_SPACE <= r * spacing);
  let rows = Math.min(1, widths.length);
  while (rows < widths.length && !fits(rows)) rows++;
  return rows;
}

function segDist2(x, y, [ax, ay], [bx, by]) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy || 1)));
  const px = ax + t * dx - x, py = ay + t * dy - y;
  return px * px + py * py;
}

export class NetworkView {
  // intents: {toggleFeature(name), setUnits(l, n), setActivation(l, a), editWeight(edit),
  // hoverNeuron(l, j|null), inspectNeuron(l, j)}; null: a read-only view (a student's page),
  // which shows each layer's units and activation and offers nothing to click.
  constructor(root, options, intents = null) {
    this.root = root;
    this.options = options;
    this.intents = intents;
    this.readOnly = !intents;
    this.tooltip = document.getElementById("tooltip");
    this.marked = null; // {layer, row, col}: an edge ringed (a class question's weight)
    this.bindPointer();
    this.frame = null;
    this.mode = "weights"; // or "gradients" during the backward phase
    this.fit = null; // or () => ({height, left, right}): a box of the page's own (compare.js)
  }

  // (Re)build the DOM for a configuration; maps and weights come with update().
  layout(config, inputNames) {
    this.config = config;
    this.inputNames = inputNames;
    const sizes = [inputNames.length, ...config.hidden.map((h) => h.units), outputsOf(this.options, config)];
    const cols = sizes.length;
    const width = this.root.clientWidth || 700;
    const projector = document.body.classList.contains("projector");
    // projector: as tall as the screen leaves below the diagram's top, so that it, the output
    // and the loss chart fit on one screen (1280 x 720)
    const top = this.root.getBoundingClientRect().top + window.scrollY;
    const fit = this.fit?.() ?? {};
    const height = fit.height ?? (projector ? Math.max(300, Math.min(640, window.innerHeight - top - 12))
      : Math.max(380, Math.min(640, window.innerHeight - 260)));
    const maxN = Math.max(...sizes);
    this.root.replaceChildren();
    // Columns: from `left` to `right` of the box; a neuron no wider than leaves EDGE_ROOM
    // between two columns. The layers' controls (units, activation) take the rows they need
    // side by side over the columns (staggered when a row is too narrow), and no neuron is
    // under them.
    const left = fit.left ?? (projector ? 150 : 90), right = fit.right ?? (projector ? 120 : 70);
    const span = width - left - right, n = cols - 1;
    const largest = Math.min(projector ? 56 : 44, Math.floor((span - EDGE_ROOM * n) / (n + 1)));
    const heads = config.hidden.map((_, i) => (this.readOnly ? this.layerLabel(i + 1) : this.layerHead(i + 1)));
    const widths = heads.map((h) => h.offsetWidth);
    const rows = headRows(widths, (span - largest) / n);
    const rowHeight = Math.max(0, ...heads.map((h) => h.offsetHeight));
    const HEAD = rows * rowHeight + Math.max(0, rows - 1) * ROW_GAP + HEAD_GAP;
    const room = height - HEAD - 10; // the last row has no gap below it, only its bias dot
    const size = Math.max(16, Math.min(largest, Math.floor(room / maxN) - 8));
    const gap = Math.min(18, Math.max(4, Math.floor((room - maxN * size) / Math.max(1, maxN - 1))));
    const xs = sizes.map((_, c) => left + c * (span - size) / n);
    this.size = size;
    this.edgeScale = parseFloat(getComputedStyle(document.body).getPropertyValue("--edge-scale")) || 1;
    this.pos = sizes.map((n, c) => Array.from({ length: n }, (_, i) => ({ x: xs[c], y: HEAD + i * (size + gap) })));
    this.height = HEAD + maxN * size + (maxN - 1) * gap + 10;
    this.root.style.height = `${this.height}px`;
    this.width = width;

    this.root.replaceChildren();
    // Edges are drawn on one canvas: hundreds of changing SVG paths cost more to raster
    // every frame than everything else on the page.
    this.canvas = document.createElement("canvas");
    this.canvas.className = "edges";
    this.root.append(this.canvas);
    this.edgeCtx = this.canvas.getContext("2d");
    // Every neuron's map is drawn on the same canvas, over the edges: one layer for the
    // compositor to take each frame, not one per neuron.
    this.scratch = document.createElement("canvas");

    this.neurons = sizes.map(() => []);
    this.edges = sizes.map(() => []);
    this.biases = sizes.map(() => []);

    // inputs: every feature the data can feed; the active ones are connected
    inputNames.forEach((name, i) => {
      const f = this.options.features.find((x) => x.name === name);
      const p = this.pos[0][i];
      const box = this.neuronBox(p, 0, i);
      box.classList.add("input");
      box.classList.toggle("off", !config.features.includes(name));
      box.setAttribute("aria-label", t("Feature {name}", { name: f.label }));
      if (!this.readOnly) {
        box.setAttribute("role", "switch");
        box.setAttribute("aria-checked", String(config.features.includes(name)));
        box.addEventListener("click", () => this.intents.toggleFeature(name));
      }
      const label = document.createElement("div");
      label.className = "feature-label";
      label.textContent = f.label;
      label.style.right = `${this.root.clientWidth - p.x + 6}px`;
      label.style.top = `${p.y + size / 2 - 8}px`;
      this.root.append(label);
    });
    for (let l = 1; l < sizes.length; l++) {
      for (let j = 0; j < sizes[l]; j++) {
        const box = this.neuronBox(this.pos[l][j], l, j);
        const dot = document.createElement("div");
        dot.className = "bias";
        dot.style.left = `${this.pos[l][j].x - 5}px`;
        dot.style.top = `${this.pos[l][j].y + size - 4}px`;
        this.root.append(dot);
        this.biases[l].push(dot);
        box.setAttribute("aria-label", t("Neuron {j} of layer {l}", { j: j + 1, l }));
        if (this.readOnly) continue;
        box.addEventListener("mouseenter", () => this.intents.hoverNeuron(l, j));
        box.addEventListener("click", () => this.intents.inspectNeuron(l, j));
        box.addEventListener("mouseleave", () => this.intents.hoverNeuron(null));
      }
      this.edges[l] = this.makeEdges(l);
    }
    heads.forEach((head, i) => {
      const w = widths[i];
      head.style.left = `${Math.max(0, Math.min(width - w, xs[i + 1] + size / 2 - w / 2))}px`;
      head.style.top = `${(i % rows) * (rowHeight + ROW_GAP)}px`;
      this.root.append(head);
    });
    this.frame = null; // the next update() brings a frame of this shape
    this.inputsShown = null;
  }

  neuronBox(p, l, j) {
    const box = document.createElement("div");
    box.className = "neuron";
    box.style.left = `${p.x}px`;
    box.style.top = `${p.y}px`;
    box.style.width = box.style.height = `${this.size}px`;
    box.addEventListener("mousemove", (e) => this.showTip(e, () => this.neuronTip(l, j)));
    box.addEventListener("mouseleave", () => this.hideTip());
    this.root.append(box);
    this.neurons[l].push({ box, x: p.x, y: p.y, image: null });
    return box;
  }

  // Edges into layer l, one per W[l][j, k]; layer 1 reads only the active features. Each keeps
  // its curve's control points and a polyline for picking it with the pointer.
  makeEdges(l) {
    const from = l === 1 ? this.config.features.map((f) => this.inputNames.indexOf(f)) : this.pos[l - 1].map((_, k) => k);
    const edges = [];
    const s = this.size;
    this.pos[l].forEach((to, j) => {
      from.forEach((src, k) => {
        const a = this.pos[l - 1][src];
        const x0 = a.x + s, y0 = a.y + s / 2, x1 = to.x, y1 = to.y + s / 2;
        const mx = (x0 + x1) / 2;
        const poly = [];
        for (let i = 0; i <= 16; i++) {
          const t = i / 16, u = 1 - t;
          poly.push([u * u * u * x0 + 3 * u * t * (u * mx + t * mx) + t * t * t * x1,
            u * u * u * y0 + 3 * u * u * t * y0 + 3 * u * t * t * y1 + t * t * t * y1]);
        }
        edges.push({ l, j, k, x0, y0, x1, y1, mx, poly, stroke: "#ccc", width: 1 });
      });
    });
    return edges;
  }

  edgeAt(x, y) {
    let best = null, bestD = HIT * HIT;
    for (const layer of this.edges) for (const e of layer) {
      if (x < e.x0 - HIT || x > e.x1 + HIT) continue;
      for (let i = 0; i < e.poly.length - 1; i++) {
        const d = segDist2(x, y, e.poly[i], e.poly[i + 1]);
        if (d < bestD) { bestD = d; best = e; }
      }
    }
    return best;
  }

  // The page coordinates of an edge's middle (for tests and tools).
  edgePoint(l, j, k) {
    const e = this.edges[l].find((x) => x.j === j && x.k === k);
    const r = this.root.getBoundingClientRect();
    return { x: r.left + e.poly[8][0], y: r.top + e.poly[8][1], width: e.width, stroke: e.stroke };
  }

  bindPointer() {
    const local = (ev) => {
      const r = this.root.getBoundingClientRect();
      return [ev.clientX - r.left, ev.clientY - r.top];
    };
    this.root.addEventListener("mousemove", (ev) => {
      if (ev.target !== this.root && ev.target !== this.canvas) return;
      const e = this.edgeAt(...local(ev));
      this.root.style.cursor = e && !this.readOnly ? "pointer" : "";
      if (e) this.showTip(ev, () => this.edgeTip(e.l, e.j, e.k));
      else this.hideTip();
    });
    this.root.addEventListener("mouseleave", () => this.hideTip());
    this.root.addEventListener("click", (ev) => {
      if (ev.target !== this.root && ev.target !== this.canvas) return;
      const e = this.readOnly ? null : this.edgeAt(...local(ev));
      if (e) {
        ev.stopPropagation();
        this.intents.editWeight({ layer: e.l, row: e.j, col: e.k }, ev);
      }
    });
  }

  drawEdges() {
    const dpr = window.devicePixelRatio || 1;
    const c = this.canvas;
    if (c.width !== Math.round(this.width * dpr) || c.height !== Math.round(this.height * dpr)) {
      c.width = Math.round(this.width * dpr);
      c.height = Math.round(this.height * dpr);
      c.style.width = `${this.width}px`;
      c.style.height = `${this.height}px`;
    }
    const g = this.edgeCtx;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, this.width, this.height);
    g.lineCap = "round";
    this.drawMark(g);
    // One stroke() per (colour, width) bucket instead of one per edge: a few dozen canvas
    // calls per frame instead of hundreds. Widths are rounded to quarter pixels.
    const buckets = new Map();
    for (const layer of this.edges) for (const e of layer) {
      const pulsing = this.pulsing && this.pulsing.l === e.l;
      const key = `${e.stroke}|${e.width}|${pulsing ? 1 : 0}`;
      let b = buckets.get(key);
      if (!b) buckets.set(key, (b = { stroke: e.stroke, width: e.width, pulsing, edges: [] }));
      b.edges.push(e);
    }
    for (const b of buckets.values()) {
      g.setLineDash(b.pulsing ? [6, 10] : []);
      g.lineDashOffset = b.pulsing ? (this.pulsing.back ? 1 : -1) * this.pulsing.offset : 0;
      g.strokeStyle = b.stroke;
      g.lineWidth = b.width;
      g.beginPath();
      for (const e of b.edges) {
        g.moveTo(e.x0, e.y0);
        g.bezierCurveTo(e.mx, e.y0, e.mx, e.y1, e.x1, e.y1);
      }
      g.stroke();
    }
    g.setLineDash([]);
    this.drawMaps(g);
  }

  // Ring the edge of W[layer][row, col] (a class question's weight); null: none.
  markEdge(target) {
    this.marked = target && target.col !== null && target.col !== undefined ? target : null;
    if (this.canvas) this.drawEdges();
  }

  // Ring the edges of the weights picked for the loss landscape (landscape.js): [{layer, row,
  // col}], drawn as a question's weight is.
  // null: not picking (a click on an edge types its weight).
  markPicks(picks) {
    this.picks = picks;
    if (this.canvas) this.drawEdges();
  }

  drawMark(g) {
    for (const m of [this.marked, ...(this.picks || [])]) {
      const e = m && this.edges[m.layer]?.find((x) => x.j === m.row && x.k === m.col);
      if (!e) continue;
      g.strokeStyle = INK;
      g.globalAlpha = 0.3;
      g.lineWidth = e.width + 10;
      g.beginPath();
      g.moveTo(e.x0, e.y0);
      g.bezierCurveTo(e.mx, e.y0, e.mx, e.y1, e.x1, e.y1);
      g.stroke();
      g.globalAlpha = 1;
    }
  }

  // A read-only layer's units and activation, where layerHead puts its controls.
  layerLabel(l) {
    const h = this.config.hidden[l - 1];
    const a = this.options.activations.find((x) => x.name === h.activation);
    const head = document.createElement("div");
    head.className = "layer-head read-only";
    head.textContent = `${h.units} · ${a ? t(a.label) : h.activation}`;
    this.root.append(head);
    return head;
  }

  // Layer l's controls (units, activation), in the box at its natural size (layout places it).
  layerHead(l) {
    const h = this.config.hidden[l - 1];
    const head = document.createElement("div");
    head.className = "layer-head";
    const minus = Object.assign(document.createElement("button"), { className: "small", textContent: "−", type: "button" });
    minus.setAttribute("aria-label", t("Fewer units in layer {l}", { l }));
    minus.disabled = h.units <= 1;
    minus.addEventListener("click", () => this.intents.setUnits(l, h.units - 1));
    const plus = Object.assign(document.createElement("button"), { className: "small", textContent: "+", type: "button" });
    plus.setAttribute("aria-label", t("More units in layer {l}", { l }));
    plus.disabled = h.units >= this.options.limits.max_units;
    plus.addEventListener("click", () => this.intents.setUnits(l, h.units + 1));
    const units = document.createElement("div");
    units.className = "units";
    units.append(minus, Object.assign(document.createElement("span"), { textContent: `${h.units}` }), plus);
    const act = document.createElement("select");
    act.setAttribute("aria-label", t("Activation of layer {l}", { l }));
    for (const a of this.options.activations) act.append(new Option(t(a.label), a.name));
    act.value = h.activation;
    act.addEventListener("change", () => this.intents.setActivation(l, act.value));
    head.append(units, act);
    this.root.append(head);
    return head;
  }

  // Draw a frame: maps, weights (or gradients), biases.
  update(frame) {
    this.frame = frame;
    const grid = frame.grid;
    if (grid && grid.neurons) {
      // the features' maps change only with the data's span: repaint them only then
      const inputs = grid.inputs && grid.inputs.bdata !== this.inputsShown ? decode(grid.inputs) : null;
      if (inputs) {
        this.inputsShown = grid.inputs.bdata;
        this.neurons[0].forEach((n, i) => {
          const v = slice(inputs, i);
          let half = 0;
          for (const x of v) half = Math.max(half, Math.abs(x));
          const on = this.config.features.includes(this.inputNames[i]);
          this.paintMap(n, v, 0, half || 1, inputs.shape, on ? 1 : 0.3);
        });
      }
      grid.neurons.forEach((typed, idx) => {
        const l = idx + 1;
        const maps = decode(typed);
        const extent = Math.max(Math.abs(typed.range[0]), Math.abs(typed.range[1]));
        const [c, w] = scaleFor(rangeOf(this.options, frame.layers[idx].activation), extent);
        this.neurons[l].forEach((n, j) => this.paintMap(n, slice(maps, j), c, w, maps.shape));
      });
    }
    this.paintEdges(frame, this.mode, true);
    frame.layers.forEach((layer, idx) => {
      this.biases[idx + 1].forEach((dot, j) => {
        const c = color(Math.tanh(layer.b[j][0]));
        if (dot.dataset.color !== c) {
          dot.dataset.color = c;
          dot.style.background = c;
        }
      });
    });
    if (this.tipMake && !this.tooltip.hidden) this.tooltip.innerHTML = this.tipMake() || this.tooltip.innerHTML;
  }

  paintMap(n, values, center, half, shape, alpha = 1) {
    const R = shape[1];
    const oneD = shape.length === 2;
    const rows = oneD ? 1 : R;
    if (!n.image || n.image.width !== R || n.image.height !== rows) n.image = new ImageData(R, rows);
    // rows of the map follow y upwards; the canvas draws row 0 at the top
    if (oneD) paint(n.image, values, center, half);
    else {
      const flipped = new Float32Array(values.length);
      for (let r = 0; r < R; r++) flipped.set(values.subarray((R - 1 - r) * R, (R - r) * R), r * R);
      paint(n.image, flipped, center, half);
    }
    n.alpha = alpha;
  }

  // Blit every neuron's map (its ImageData, through a small scratch canvas) over the edges.
  drawMaps(g) {
    const sc = this.scratch;
    const sg = sc.getContext("2d");
    g.imageSmoothingEnabled = false;
    g.fillStyle = "#fff";
    for (const col of this.neurons) for (const n of col) {
      g.fillRect(n.x, n.y, this.size, this.size);
      if (!n.image) continue;
      if (sc.width !== n.image.width || sc.height !== n.image.height) {
        sc.width = n.image.width;
        sc.height = n.image.height;
      }
      sg.putImageData(n.image, 0, 0);
      g.globalAlpha = n.alpha ?? 1;
      g.drawImage(sc, n.x, n.y, this.size, this.size);
      g.globalAlpha = 1;
    }
  }

  // A neuron's map drawn large on its own canvas (the detail panel).
  paintBig(canvas, maps, j, activation) {
    const R = maps.shape[1];
    const oneD = maps.shape.length === 2;
    const n = { image: null, x: 0, y: 0 };
    const v = slice(maps, j);
    let extent = 0;
    for (const x of v) extent = Math.max(extent, Math.abs(x));
    const [c, w] = scaleFor(rangeOf(this.options, activation), extent);
    this.paintMap(n, v, c, w, maps.shape);
    const sc = document.createElement("canvas");
    sc.width = R;
    sc.height = oneD ? 1 : R;
    sc.getContext("2d").putImageData(n.image, 0, 0);
    const g = canvas.getContext("2d");
    g.imageSmoothingEnabled = false;
    g.drawImage(sc, 0, 0, canvas.width, canvas.height);
  }

  // Colour the edges by W (or dW in "gradients" mode) of a frame, by default the shown one.
  paintEdges(frame = this.frame, mode = this.mode, redraw = false) {
    let changed = false;
    for (const [l, width, stroke] of this.edgeStyles(frame, mode)) {
      this.edges[l].forEach((e, i) => {
        // drawn widths are quarter pixels and colours 64 steps: redraw only on a visible change
        const w = Math.round(width[i] * 4) / 4;
        if (w !== e.width || stroke[i] !== e.stroke) changed = true;
        e.width = w;
        e.stroke = stroke[i];
      });
    }
    if (changed || this.pulsing || redraw) this.drawEdges();
  }

  edgeStyles(frame, mode) {
    const out = [];
    for (let l = 1; l < this.edges.length; l++) {
      const M = frame.layers[l - 1][mode === "gradients" ? "dW" : "W"];
      let norm = 1;
      if (mode === "gradients") {
        norm = 0;
        for (const row of M) for (const v of row) norm = Math.max(norm, Math.abs(v));
        norm = norm || 1;
      }
      const widths = [], strokes = [];
      for (const e of this.edges[l]) {
        const v = M[e.j][e.k] / norm;
        strokes.push(color(Math.tanh(mode === "gradients" ? v * 2 : v)));
        widths.push(Math.min(8, 0.6 + Math.abs(v) * (mode === "gradients" ? 4 : 2)) * this.edgeScale);
      }
      out.push([l, widths, strokes]);
    }
    return out;
  }

  // Update phase: every edge eases from its old weight to its new one.
  async ease(prev, frame, ms = 500) {
    const a = this.edgeStyles(prev, "weights"), b = this.edgeStyles(frame, "weights");
    const start = performance.now();
    await new Promise((resolve) => {
      const tick = (now) => {
        const t = Math.min(1, (now - start) / ms);
        const s = t * t * (3 - 2 * t);
        for (let i = 0; i < a.length; i++) {
          this.edges[a[i][0]].forEach((e, k) => {
            e.width = a[i][1][k] + (b[i][1][k] - a[i][1][k]) * s;
            e.stroke = t < 0.5 ? a[i][2][k] : b[i][2][k];
          });
        }
        this.drawEdges();
        if (t < 1) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
  }

  // Slow motion: light the neurons of layer l with the traced example's values.
  light(l, values, label) {
    for (const [j, n] of this.neurons[l].entries()) {
      n.box.classList.add("lit");
      n.box.style.setProperty("--glow", color(Math.tanh(values[j])));
      let v = n.box.querySelector(".value");
      if (!v) {
        v = document.createElement("span");
        v.className = "value";
        n.box.append(v);
      }
      v.textContent = `${label} ${format.value(values[j])}`;
    }
  }

  // Slow motion: dashes run along the edges into layer l (backward: the other way).
  pulse(l, backward = false) {
    this.pulsing = l === null ? null : { l, back: backward, offset: 0 };
    if (!this.pulsing) { this.drawEdges(); return; }
    const run = () => {
      if (!this.pulsing || this.pulsing.l !== l) return;
      this.pulsing.offset = (this.pulsing.offset + 0.8) % 16;
      this.drawEdges();
      requestAnimationFrame(run);
    };
    requestAnimationFrame(run);
  }

  clearLights() {
    for (const col of this.neurons) for (const n of col) {
      n.box.classList.remove("lit");
      n.box.querySelector(".value")?.remove();
    }
    this.pulse(null);
  }

  neuronTip(l, j) {
    const f = this.frame;
    if (!f) return "";
    if (l === 0) {
      const name = this.inputNames[j];
      const on = this.config.features.includes(name);
      const label = `${this.options.features.find((x) => x.name === name).label} — ${t(on ? "on" : "off")}`;
      return this.readOnly ? label : `${label} (${t("click to toggle")})`;
    }
    const layer = f.layers[l - 1];
    const lines = [`<b>${t("Layer {l}, unit {j}", { l, j: j + 1 })}</b> (${layer.activation})`,
      `b = ${format.value(layer.b[j][0])} &nbsp; db = ${format.value(layer.db[j][0])}`];
    if (layer.A) {
      const i = f.trace_indices[0];
      lines.push(`${t("example #{i}", { i })}: z = ${format.value(layer.Z[j][0])}, a = ${format.value(layer.A[j][0])}`);
      lines.push(`dz = ${format.value(layer.dZ[j][0])}, da = ${format.value(layer.dA[j][0])}`);
    }
    return lines.join("<br>");
  }

  edgeTip(l, j, k) {
    const f = this.frame;
    if (!f) return "";
    const layer = f.layers[l - 1];
    const src = l === 1 ? this.options.features.find((x) => x.name === this.config.features[k]).label : t("unit {k} of layer {l}", { k: k + 1, l: l - 1 });
    const lines = [`<b>W[${l}]<sub>${j + 1},${k + 1}</sub> = ${format.value(layer.W[j][k])}</b>`,
      `dW = ${format.value(layer.dW[j][k])}`, t("from {src} to unit {j} of layer {l}", { src, j: j + 1, l })];
    if (f.layers[0].A) {
      const prev = l === 1 ? null : f.layers[l - 2].A[k][0];
      if (prev !== null) lines.push(`a<sub>prev</sub> (example #${f.trace_indices[0]}) = ${format.value(prev)}`);
    }
    // while the loss landscape picks weights (landscape.js), a click picks instead
    if (!this.readOnly) lines.push(this.picks ? t("click to pick it for the loss landscape") : t("click to type a new weight"));
    return lines.join("<br>");
  }

  // make() writes the tooltip's text; it is kept so that a new frame (a typed weight, a
  // feature switched on) rewrites the tooltip still shown
  showTip(e, make) {
    const html = make();
    if (!html) return;
    this.tipMake = make;
    this.tooltip.innerHTML = html;
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${e.clientX + 14}px`;
    this.tooltip.style.top = `${e.clientY + 14}px`;
  }

  hideTip() {
    this.tipMake = null;
    this.tooltip.hidden = true;
  }
}

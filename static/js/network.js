// The network diagram: features on the left, hidden layers, the output on the right. Every
// neuron shows its own map (canvas); edges are coloured by the sign of the weight (or, in the
// backward phase, of its gradient) and as wide as its magnitude; a dot marks each bias.
import { centerFor, color, paint } from "./palette.js";
import { decode, slice } from "./typed.js";

const SVG = "http://www.w3.org/2000/svg";
const HEAD = 58; // room above the columns for each layer's controls

function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(2) : v.toFixed(3);
}

export class NetworkView {
  constructor(root, options, intents) {
    this.root = root;
    this.options = options;
    this.intents = intents; // {toggleFeature(name), setUnits(l, n), setActivation(l, a), editWeight(edit), hoverNeuron(l, j|null)}
    this.tooltip = document.getElementById("tooltip");
    this.frame = null;
    this.mode = "weights"; // or "gradients" during the backward phase
  }

  // (Re)build the DOM for a configuration; maps and weights come with update().
  layout(config, inputNames) {
    this.config = config;
    this.inputNames = inputNames;
    const sizes = [inputNames.length, ...config.hidden.map((h) => h.units), this.outputs(config)];
    const cols = sizes.length;
    const width = this.root.clientWidth || 700;
    const height = Math.max(380, Math.min(640, window.innerHeight - 260));
    const maxN = Math.max(...sizes);
    const projector = document.body.classList.contains("projector");
    const size = Math.max(16, Math.min(projector ? 56 : 44, Math.floor((height - HEAD) / maxN) - 8));
    const gap = Math.min(18, Math.max(4, Math.floor((height - HEAD - maxN * size) / Math.max(1, maxN - 1))));
    const left = projector ? 150 : 90;
    const xs = sizes.map((_, c) => left + c * (width - left - size - (projector ? 120 : 70)) / Math.max(1, cols - 1));
    this.size = size;
    this.pos = sizes.map((n, c) => Array.from({ length: n }, (_, i) => ({ x: xs[c], y: HEAD + i * (size + gap) })));
    this.root.style.height = `${HEAD + maxN * (size + gap) + 10}px`;

    this.root.replaceChildren();
    this.svg = document.createElementNS(SVG, "svg");
    this.svg.setAttribute("width", "100%");
    this.svg.setAttribute("height", "100%");
    this.root.append(this.svg);
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
      box.setAttribute("role", "switch");
      box.setAttribute("aria-label", `Feature ${f.label}`);
      box.setAttribute("aria-checked", String(config.features.includes(name)));
      box.addEventListener("click", () => this.intents.toggleFeature(name));
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
        box.addEventListener("mouseenter", () => this.intents.hoverNeuron(l, j));
        box.addEventListener("mouseleave", () => this.intents.hoverNeuron(null));
      }
      this.edges[l] = this.makeEdges(l);
      if (l < sizes.length - 1) this.layerHead(l, xs[l]);
    }
    if (this.frame) this.update(this.frame);
  }

  outputs(config) {
    return config.problem === "multiclass" ? config.classes : 1;
  }

  neuronBox(p, l, j) {
    const box = document.createElement("div");
    box.className = "neuron";
    box.style.left = `${p.x}px`;
    box.style.top = `${p.y}px`;
    box.style.width = box.style.height = `${this.size}px`;
    const canvas = document.createElement("canvas");
    box.append(canvas);
    box.addEventListener("mousemove", (e) => this.showTip(e, this.neuronTip(l, j)));
    box.addEventListener("mouseleave", () => this.hideTip());
    this.root.append(box);
    this.neurons[l].push({ box, canvas, ctx: canvas.getContext("2d"), image: null });
    return box;
  }

  // Edges into layer l, one per W[l][j, k]; layer 1 reads only the active features.
  makeEdges(l) {
    const from = l === 1 ? this.config.features.map((f) => this.inputNames.indexOf(f)) : this.pos[l - 1].map((_, k) => k);
    const edges = [];
    const s = this.size;
    this.pos[l].forEach((to, j) => {
      from.forEach((src, k) => {
        const a = this.pos[l - 1][src];
        const x0 = a.x + s, y0 = a.y + s / 2, x1 = to.x, y1 = to.y + s / 2;
        const mx = (x0 + x1) / 2;
        const path = document.createElementNS(SVG, "path");
        path.setAttribute("d", `M${x0},${y0} C${mx},${y0} ${mx},${y1} ${x1},${y1}`);
        path.setAttribute("class", "edge");
        path.dataset.layer = l;
        path.dataset.row = j;
        path.dataset.col = k;
        path.addEventListener("mousemove", (e) => this.showTip(e, this.edgeTip(l, j, k)));
        path.addEventListener("mouseleave", () => this.hideTip());
        path.addEventListener("click", (e) => this.intents.editWeight({ layer: l, row: j, col: k }, e));
        this.svg.append(path);
        edges.push(path);
      });
    });
    return edges;
  }

  layerHead(l, x) {
    const h = this.config.hidden[l - 1];
    const head = document.createElement("div");
    head.className = "layer-head";
    head.style.left = `${x - 30}px`;
    head.style.width = `${this.size + 60}px`;
    head.style.top = "0px";
    const minus = Object.assign(document.createElement("button"), { className: "small", textContent: "−", type: "button" });
    minus.setAttribute("aria-label", `Fewer units in layer ${l}`);
    minus.disabled = h.units <= 1;
    minus.addEventListener("click", () => this.intents.setUnits(l, h.units - 1));
    const plus = Object.assign(document.createElement("button"), { className: "small", textContent: "+", type: "button" });
    plus.setAttribute("aria-label", `More units in layer ${l}`);
    plus.disabled = h.units >= this.options.limits.max_units;
    plus.addEventListener("click", () => this.intents.setUnits(l, h.units + 1));
    const units = document.createElement("div");
    units.className = "units";
    units.append(minus, Object.assign(document.createElement("span"), { textContent: `${h.units}` }), plus);
    const act = document.createElement("select");
    act.setAttribute("aria-label", `Activation of layer ${l}`);
    for (const a of this.options.activations) act.append(new Option(a.label, a.name));
    act.value = h.activation;
    act.addEventListener("change", () => this.intents.setActivation(l, act.value));
    head.append(units, act);
    this.root.append(head);
  }

  // Draw a frame: maps, weights (or gradients), biases.
  update(frame) {
    this.frame = frame;
    const grid = frame.grid;
    if (grid && grid.neurons) {
      const inputs = grid.inputs ? decode(grid.inputs) : null;
      if (inputs) this.neurons[0].forEach((n, i) => this.paintMap(n, slice(inputs, i), 0, 1, inputs.shape));
      grid.neurons.forEach((typed, idx) => {
        const l = idx + 1;
        const maps = decode(typed);
        const act = frame.layers[idx].activation;
        let [c, w] = centerFor(act);
        if (act !== "sigmoid" && act !== "softmax" && act !== "tanh") {
          w = Math.max(Math.abs(typed.range[0]), Math.abs(typed.range[1])) || 1;
        }
        this.neurons[l].forEach((n, j) => this.paintMap(n, slice(maps, j), c, w, maps.shape));
      });
    }
    this.paintEdges();
    frame.layers.forEach((layer, idx) => {
      this.biases[idx + 1].forEach((dot, j) => {
        const b = layer.b[j][0];
        dot.style.background = color(Math.tanh(b));
      });
    });
  }

  paintMap(n, values, center, half, shape) {
    const R = shape[1];
    const oneD = shape.length === 2;
    if (!n.image || n.canvas.width !== R) {
      n.canvas.width = R;
      n.canvas.height = oneD ? 1 : R;
      n.image = n.ctx.createImageData(R, oneD ? 1 : R);
    }
    // rows of the map follow y upwards; the canvas draws row 0 at the top
    if (oneD) paint(n.image, values, center, half);
    else {
      const flipped = new Float32Array(values.length);
      for (let r = 0; r < R; r++) flipped.set(values.subarray((R - 1 - r) * R, (R - r) * R), r * R);
      paint(n.image, flipped, center, half);
    }
    n.ctx.putImageData(n.image, 0, 0);
  }

  // Colour the edges by W (or dW in "gradients" mode) of a frame, by default the shown one.
  paintEdges(frame = this.frame, mode = this.mode) {
    const layers = frame.layers;
    const scale = parseFloat(getComputedStyle(document.body).getPropertyValue("--edge-scale")) || 1;
    for (let l = 1; l < this.edges.length; l++) {
      const key = mode === "gradients" ? "dW" : "W";
      const M = layers[l - 1][key];
      let norm = 1;
      if (mode === "gradients") {
        norm = 0;
        for (const row of M) for (const v of row) norm = Math.max(norm, Math.abs(v));
        norm = norm || 1;
      }
      for (const path of this.edges[l]) {
        const v = M[path.dataset.row][path.dataset.col] / norm;
        path.style.stroke = color(Math.tanh(mode === "gradients" ? v * 2 : v));
        path.style.strokeWidth = `${Math.min(8, 0.6 + Math.abs(v) * (mode === "gradients" ? 4 : 2)) * scale}px`;
      }
    }
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
      v.textContent = `${label} ${fmt(values[j])}`;
    }
  }

  pulse(l, backward = false) {
    for (const layerEdges of this.edges) for (const p of layerEdges) p.classList.remove("pulse", "back");
    if (l === null) return;
    for (const p of this.edges[l]) p.classList.add("pulse", ...(backward ? ["back"] : []));
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
      return `${this.options.features.find((x) => x.name === name).label} — ${on ? "on" : "off"} (click to toggle)`;
    }
    const layer = f.layers[l - 1];
    const lines = [`<b>Layer ${l}, unit ${j + 1}</b> (${layer.activation})`,
      `b = ${fmt(layer.b[j][0])} &nbsp; db = ${fmt(layer.db[j][0])}`];
    if (layer.A) {
      const i = f.trace_indices[0];
      lines.push(`example #${i}: z = ${fmt(layer.Z[j][0])}, a = ${fmt(layer.A[j][0])}`);
      lines.push(`dz = ${fmt(layer.dZ[j][0])}, da = ${fmt(layer.dA[j][0])}`);
    }
    return lines.join("<br>");
  }

  edgeTip(l, j, k) {
    const f = this.frame;
    if (!f) return "";
    const layer = f.layers[l - 1];
    const src = l === 1 ? this.options.features.find((x) => x.name === this.config.features[k]).label : `unit ${k + 1} of layer ${l - 1}`;
    const lines = [`<b>W[${l}]<sub>${j + 1},${k + 1}</sub> = ${fmt(layer.W[j][k])}</b>`,
      `dW = ${fmt(layer.dW[j][k])}`, `from ${src} to unit ${j + 1} of layer ${l}`];
    if (f.layers[0].A) {
      const prev = l === 1 ? null : f.layers[l - 2].A[k][0];
      if (prev !== null) lines.push(`a<sub>prev</sub> (example #${f.trace_indices[0]}) = ${fmt(prev)}`);
    }
    lines.push("click to type a new weight");
    return lines.join("<br>");
  }

  showTip(e, html) {
    if (!html) return;
    this.tooltip.innerHTML = html;
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${e.clientX + 14}px`;
    this.tooltip.style.top = `${e.clientY + 14}px`;
  }

  hideTip() {
    this.tooltip.hidden = true;
  }
}

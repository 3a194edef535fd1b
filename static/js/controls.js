// The controls: built from /api/options (embedded in the page), never from a list of our own.
// They announce intents through callbacks; main.js does the work.
import { labelColor } from "./palette.js";
import { t } from "./i18n.js";
import { el } from "./dom.js";
import { SPEEDS } from "./speeds.js";
import * as format from "./format.js";

function select(id, label, items, value, onChange) {
  const s = el("select", { id, "aria-label": label });
  for (const it of items) s.append(el("option", { value: String(it.value) }, it.label));
  s.value = String(value);
  s.addEventListener("change", () => onChange(s.value));
  return s;
}

// The menu values the server offers that lie in the field's range (both from /api/options).
function choices(values, range, fmt = String) {
  const inside = (v) => (range.open_min ? v > range.min : v >= range.min) && v <= range.max;
  return values.filter(inside).map((v) => ({ value: v, label: fmt(v) }));
}

export class Controls {
  constructor(options, state, intents) {
    this.options = options;
    this.state = state;
    this.intents = intents; // {change(changes), regenerate()}
    this.previews = {};
  }

  build() {
    const { options, state } = this;
    const { ranges, choices: menus } = options;
    const change = (key, parse = Number) => (v) => this.intents.change({ [key]: parse(v) });
    const hyper = document.getElementById("hyper");
    const field = (label, control) => el("label", { class: "field" }, el("span", { class: "label" }, label), control);
    this.fields = {
      learning_rate: select("learning-rate", t("Learning rate"), choices(menus.learning_rate, ranges.learning_rate), state.config.learning_rate, change("learning_rate")),
      optimizer: select("optimizer", t("Optimizer"), options.optimizers.map((o) => ({ value: o.name, label: t(o.label) })), state.config.optimizer, change("optimizer", String)),
      momentum: select("momentum", t("Momentum"), choices(menus.momentum, ranges.momentum), state.config.momentum, change("momentum")),
      init: select("init", t("Initializer"), options.initializers.map((o) => ({ value: o.name, label: t(o.label) })), state.config.init, change("init", String)),
      l1: select("l1", t("L1 rate"), choices(menus.penalty, ranges.l1), state.config.l1, change("l1")),
      l2: select("l2", t("L2 rate"), choices(menus.penalty, ranges.l2), state.config.l2, change("l2")),
      problem: select("problem", t("Problem type"), options.problems.map((p) => ({ value: p.name, label: t(p.label) })), state.config.problem, change("problem", String)),
    };
    hyper.append(
      field(t("Learning rate"), this.fields.learning_rate),
      field(t("Optimizer"), this.fields.optimizer),
      field(t("Momentum"), this.fields.momentum),
      field(t("Initializer"), this.fields.init),
      field("L1", this.fields.l1),
      field("L2", this.fields.l2),
      field(t("Problem type"), this.fields.problem),
    );
    const speed = document.getElementById("speed");
    for (const s of SPEEDS) speed.append(el("option", { value: s.value }, t(s.label)));
    speed.value = state.view.speed;
    speed.addEventListener("change", () => state.setView({ speed: speed.value }));

    const data = document.getElementById("data-controls");
    // A slider over the field's range from /api/options (or the part of it the page shows).
    const range = (key, label, step, fmt, span = [ranges[key].min, ranges[key].max]) => {
      const [min, max] = span;
      const out = el("output", {}, fmt(state.config[key]));
      const input = el("input", { type: "range", min, max, step, value: state.config[key], "aria-label": t(label) });
      input.addEventListener("input", () => { out.textContent = fmt(Number(input.value)); });
      input.addEventListener("change", () => this.intents.change({ [key]: Number(input.value) }));
      this.fields[key] = input;
      this.fields[`${key}_out`] = out;
      return el("div", { class: "control" }, el("div", { class: "row" }, el("span", {}, t(label)), out), input);
    };
    const pct = (v) => `${Math.round(v * 100)}%`;
    this.fields.classesRow = range("classes", "Classes", 1, String);
    // issue 13: the generated inputs times a factor (the notes' x100 and its learning rate)
    this.fields.input_scale = select("input-scale", t("Input scale"), choices(menus.input_scale, ranges.input_scale, (v) => `×${format.value(v)}`), state.config.input_scale, change("input_scale"));
    const seed = el("input", { type: "number", min: ranges.seed.min, max: ranges.seed.max, step: 1, value: state.config.seed, "aria-label": t("Seed") });
    seed.addEventListener("change", () => this.intents.change({ seed: Math.min(ranges.seed.max, Math.max(ranges.seed.min, Math.floor(Number(seed.value) || 0))) }));
    this.fields.seed = seed;
    data.append(
      range("noise", "Noise", 0.05, pct),
      range("train_fraction", "Training data", 0.1, pct),
      range("n_samples", "Examples", 50, String, [Math.max(50, ranges.n_samples.min), ranges.n_samples.max]),
      range("batch_size", "Batch size", 1, String, menus.batch_size_slider.map((v) => Math.min(v, ranges.batch_size.max))),
      this.fields.classesRow,
      el("div", { class: "control" }, el("div", { class: "row" }, el("span", {}, t("Input scale"))), this.fields.input_scale),
      el("div", { class: "control" }, el("div", { class: "row" }, el("span", {}, t("Seed"))),
        el("div", { class: "inline" }, seed,
          el("button", { type: "button", "aria-label": t("Regenerate"), onclick: () => this.intents.regenerate() }, t("Regenerate")))),
    );
  }

  // Reflect the server's config (after a change, a reset, a load).
  sync(config) {
    const f = this.fields;
    for (const key of ["learning_rate", "optimizer", "momentum", "init", "l1", "l2", "problem"]) {
      f[key].value = String(config[key]);
    }
    for (const [key, fmt] of [["noise", (v) => `${Math.round(v * 100)}%`], ["train_fraction", (v) => `${Math.round(v * 100)}%`], ["n_samples", String], ["batch_size", String], ["classes", String]]) {
      f[key].value = config[key];
      f[`${key}_out`].textContent = fmt(config[key]);
    }
    f.seed.value = config.seed;
    f.input_scale.value = String(config.input_scale);
    f.classesRow.hidden = config.problem !== "multiclass";
    f.momentum.disabled = config.optimizer === "sgd";
    this.showDatasets(config);
  }

  async showDatasets(config) {
    const key = `${config.problem}/${config.classes}`;
    const box = document.getElementById("datasets");
    if (this.shown !== key) {
      this.shown = key;
      if (!this.previews[key]) this.previews[key] = await this.intents.previews(config.problem, config.classes);
      const previews = this.previews[key];
      box.replaceChildren();
      for (const [name, points] of Object.entries(previews)) {
        const info = this.options.problems.find((p) => p.name === config.problem).datasets.find((d) => d.name === name);
        const canvas = el("canvas", { width: 72, height: 72 });
        drawPreview(canvas, points, config.problem);
        const b = el("button", { type: "button", role: "radio", "aria-label": t("Dataset {name}", { name }), title: t(info.description), "data-name": name,
          onclick: () => this.intents.change({ dataset: name }) }, canvas);
        box.append(b);
      }
    }
    for (const b of box.children) b.setAttribute("aria-checked", String(b.dataset.name === config.dataset));
  }
}

function drawPreview(canvas, { X, y }, problem) {
  const g = canvas.getContext("2d");
  g.fillStyle = "#f3f3f3";
  g.fillRect(0, 0, canvas.width, canvas.height);
  const xs = X.map((p) => p[0]);
  const ys = X.map((p) => (p.length > 1 ? p[1] : null));
  const oneD = ys[0] === null;
  const vy = oneD ? y : ys;
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...vy), Math.max(...vy)];
  const ymax = Math.max(...y.map(Math.abs)) || 1;
  for (let i = 0; i < X.length; i++) {
    const px = 4 + (xs[i] - x0) / (x1 - x0 || 1) * (canvas.width - 8);
    const py = canvas.height - 4 - (vy[i] - y0) / (y1 - y0 || 1) * (canvas.height - 8);
    if (problem !== "regression") g.fillStyle = labelColor(y[i], problem);
    else g.fillStyle = oneD ? "#444" : (y[i] >= 0 ? `rgba(8,119,189,${0.25 + 0.75 * y[i] / ymax})` : `rgba(245,147,34,${0.25 - 0.75 * y[i] / ymax})`);
    g.beginPath();
    g.arc(px, py, 2, 0, 2 * Math.PI);
    g.fill();
  }
}

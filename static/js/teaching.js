// The teaching panels: the lesson menu and caption, the shapes and counts of the current
// network, the gradient check, and the keyboard help.

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

export class Lessons {
  // choose(lesson) is called with the lesson picked from the menu.
  constructor(select, bar, lang, choose) {
    this.select = select;
    this.bar = bar;
    this.lang = lang;
    this.choose = choose;
    this.lessons = [];
  }

  show(lessons, current) {
    this.lessons = lessons;
    this.select.replaceChildren(el("option", { value: "" }, "Lessons…"));
    for (const l of lessons) this.select.append(el("option", { value: l.id }, l.title[this.lang]));
    this.select.value = current || "";
    this.select.addEventListener("change", () => {
      const l = this.lessons.find((x) => x.id === this.select.value);
      if (l) this.choose(l);
    });
    const lesson = lessons.find((l) => l.id === current);
    this.bar.hidden = !lesson;
    if (lesson) {
      this.bar.replaceChildren(el("strong", {}, lesson.title[this.lang]), " ", lesson.caption[this.lang],
        el("button", { type: "button", class: "close", "aria-label": "Close the lesson", onclick: () => { this.bar.hidden = true; } }, "×"));
    }
  }

  open() {
    this.select.focus();
    if (this.select.showPicker) {
      try { this.select.showPicker(); } catch { /* not allowed without a user gesture */ }
    }
  }
}

// W[l]: (n[l], n[l-1]) and the rest, read off the frame's own matrices; m is the batch.
export function renderShapes(root, frame, config) {
  const m = "m";
  const rows = [];
  let total = 0;
  frame.layers.forEach((layer, i) => {
    const l = i + 1;
    const n = layer.W.length, prev = layer.W[0].length;
    total += n * prev + n;
    rows.push(el("tr", {},
      el("td", {}, `${l}`),
      el("td", {}, `W[${l}] (${n}, ${prev})`),
      el("td", {}, `b[${l}] (${n}, 1)`),
      el("td", {}, `Z[${l}], A[${l}] (${n}, ${m})`),
      el("td", {}, `${n * prev + n}`)));
  });
  const batch = config.batch_size >= Math.round(config.n_samples * config.train_fraction) ? "the whole training set" : `a mini-batch of ${config.batch_size}`;
  root.replaceChildren(
    el("table", { class: "shapes" },
      el("thead", {}, el("tr", {}, ...["l", "weights", "bias", "values", "parameters"].map((h) => el("th", {}, h)))),
      el("tbody", {}, ...rows),
      el("tfoot", {}, el("tr", {}, el("td", { colspan: "4" }, `Total parameters (m = ${batch}; dW, db have the shapes of W, b)`), el("td", { "aria-label": "Parameter count" }, `${total}`)))));
}

export function renderGradcheck(root, result) {
  const fmt = (v) => (v === null ? "–" : v.toExponential(2));
  const rows = result.layers.map((la) => {
    const ok = la.error !== null && la.error < 1e-6;
    return el("tr", {},
      el("td", {}, `${la.layer}`),
      el("td", {}, fmt(la.dW[0][0])),
      el("td", {}, fmt(la.dW_numerical[0][0])),
      el("td", { class: ok ? "good" : "bad" }, fmt(la.error)));
  });
  root.replaceChildren(
    el("p", {}, `Backprop against centred differences (J(θ+h) − J(θ−h)) / 2h, h = 1e-5, on ${result.examples} examples.`),
    el("table", { class: "shapes" },
      el("thead", {}, el("tr", {}, ...["l", "dW[l]₁₁ backprop", "numerical", "relative error"].map((h) => el("th", {}, h)))),
      el("tbody", {}, ...rows)));
}

export const KEYS = [
  ["Space", "Play / pause"],
  ["→", "One step"],
  ["Shift + →", "Next phase (slow motion)"],
  ["R", "Reset"],
  ["P", "Projector mode"],
  ["L", "Lessons"],
  ["?", "This help"],
];

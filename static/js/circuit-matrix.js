// The vectorized gates of the notes, as matrices: f = ||W x||^2 (q = W x, f = sum q^2, then
// dq, dW, dx) and the diagonal Jacobian of max(0, x). The server computes every number with
// NumPy and writes each step in LaTeX and MathML; this shows the steps with their shapes, and
// lets the numbers of the inputs be edited.
import { api, ApiError } from "./api.js";
import { el, mathml } from "./dom.js";
import { t } from "./i18n.js";
import { count, weight } from "./format.js";

const shapeText = (shape) => (shape.length ? `${shape[0]} × ${shape[1]}` : t("a number"));

// What each step says, by its name (and the preset's kind).
function words(kind, step, r) {
  const [n, d] = r.inputs[0].shape;
  if (kind === "relu-jacobian") {
    return {
      x: t("The input: a column of {n}.", { n }),
      y: t("Forward: each entry is compared with 0, on its own."),
      J: t("Each y_i depends only on x_i, so every entry off the diagonal is 0, and J_ii is 1 where x_i > 0."),
      dx: t("Backward multiplies by Jᵀ, which is the same as keeping dy where x > 0: dx = dy · 1(x > 0). Nobody builds J."),
    }[step.name];
  }
  return {
    W: t("The weights, a {n} × {d} matrix.", { n, d }),
    x: t("The input, a column of {d}: the notes reshape it to ({d}, 1), so that dq.dot(x.T) is a matrix, not a number.", { d }),
    q: t("Gate 1 (forward): q = W x, ({n} × {d})({d} × 1) = {n} × 1.", { n, d }),
    f: t("Gate 2 (forward): f = ||q||², the sum of the squares: one number."),
    dq: t("Gate 2 backward: ∂f/∂q_i = 2 q_i, so dq = 2q, q's shape."),
    dW: t("Gate 1 backward: ∂f/∂W_ij = 2 q_i x_j, so dW = dq.dot(x.T): ({n} × 1)(1 × {d}) = {n} × {d}, W's shape.", { n, d }),
    dx: t("Gate 1 backward: dx = W.T.dot(dq): ({d} × {n})({n} × 1) = {d} × 1, x's shape.", { n, d }),
    "x.T.dot(dq)": t("Work the shapes out: the other order, x.T.dot(dq), is (1 × {d})({n} × 1) = 1 × 1, a number, not W's {n} × {d}. dq comes from above and is never transposed.", { n, d }),
  }[step.name];
}

function card(kind, step, r, extra = "") {
  return el("article", { class: `matrix-step ${extra}`, "data-step": step.name },
    el("header", {}, el("code", {}, step.code), el("span", { class: "shape", "data-shape": step.shape.join("x") }, shapeText(step.shape))),
    el("div", { class: "eq" }, mathml(step.mathml)),
    el("p", { class: "words" }, words(kind, step, r) ?? ""));
}

export class MatrixView {
  constructor(main, side) {
    this.main = main; // where the steps go
    this.side = side; // where the inputs' numbers are edited
    this.seq = 0;
  }

  async show(preset) {
    this.preset = preset;
    this.values = structuredClone(preset.values);
    this.buildEditors();
    await this.compute();
  }

  // one number field per entry of each input (W row by row, x, dy)
  buildEditors() {
    const blocks = Object.entries(this.values).map(([name, value]) => {
      const rows = Array.isArray(value[0]) ? value : value.map((v) => [v]); // a vector as a column
      const grid = el("div", { class: "matrix-edit" });
      grid.style.gridTemplateColumns = `repeat(${rows[0].length}, 5.5em)`;
      rows.forEach((row, i) => row.forEach((v, j) => {
        const input = el("input", { type: "number", step: "any", value: weight(v), "data-entry": `${name}.${i}.${j}`,
          "aria-label": t("{name}, row {i}, column {j}", { name, i: i + 1, j: j + 1 }) });
        input.addEventListener("input", () => {
          const x = Number(input.value);
          const ok = input.value.trim() !== "" && Number.isFinite(x);
          input.setAttribute("aria-invalid", String(!ok));
          if (!ok) return;
          if (Array.isArray(value[0])) value[i][j] = x;
          else value[i] = x;
          this.compute();
        });
        grid.append(input);
      }));
      return el("div", { class: "matrix-input" }, el("span", { class: "name" }, name), grid);
    });
    this.side.replaceChildren(...blocks);
  }

  async compute() {
    const seq = ++this.seq;
    const kind = this.preset.kind;
    let r;
    try {
      r = await api.vectorized(kind, this.values);
    } catch (err) {
      if (seq !== this.seq) return;
      this.main.replaceChildren(el("pre", { class: "error", role: "alert" }, err instanceof ApiError ? err.message : String(err)));
      return;
    }
    if (seq !== this.seq) return;
    const backward = r.backward.map((s) => card(kind, s, r));
    if (r.wrong) backward.push(card(kind, r.wrong, r, "wrong"));
    const row = (title, cards) => el("section", { class: "matrix-column" }, el("h3", {}, title), el("div", { class: "cards" }, ...cards));
    const parts = [
      row(t("Inputs"), r.inputs.map((s) => card(kind, s, r))),
      row(t("Forward"), r.forward.map((s) => card(kind, s, r))),
      row(t("Backward"), backward),
    ];
    const notes = r.notes ? el("p", { class: "matrix-notes", "data-notes": "jacobian" }, t(
      "In the notes x has {n} entries: J is {n} × {n} = {entries} numbers, of which at most {n} (the diagonal) are not 0. For a batch of {b}: {bn} × {bn} = {be} numbers. That is why backward never writes J out.",
      { n: count(r.notes.width), entries: count(r.notes.entries), b: count(r.notes.batch),
        bn: count(r.notes.batch_width), be: count(r.notes.batch_entries) })) : "";
    this.main.replaceChildren(el("div", { class: "matrix-columns" }, ...parts), notes);
    this.main.dataset.ready = "1";
  }
}

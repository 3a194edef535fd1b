// The kinds of class question (app/questions.py) as the pages ask and read them: each kind's
// prompt and choices in the page's language, the target it needs, and what its reveal says.
//
//   KINDS()                [{ kind, label, target: "weight" | "point" | null, observed, given }]
//                          in the page's language; given: how many choices the teacher types
//   kindOf(kind)           the entry of a kind
//   promptOf(kind, ask)    the prompt offered for {steps, unit, target}
//   choicesOf(kind, ctx)   the choices offered, for {layers, problem, classes}; [] when typed
//   targetText(q)          "W[2] 1,3", "point #12", or "" (q: a question or {kind, target})
//   happened(q)            what the reveal found, in a sentence
//   choiceColor(q, i)      the colour of choice i's bar: a class's or a layer's, else null
import { t } from "./i18n.js";
import * as format from "./format.js";
import { CLASS_COLORS, layerColor } from "./palette.js";

export const KINDS = () => [
  { kind: "loss", label: t("Loss up or down"), target: null, observed: true },
  { kind: "gradient", label: t("Largest gradient"), target: null, observed: true },
  { kind: "weight", label: t("A weight grows or shrinks"), target: "weight", observed: true },
  { kind: "point", label: t("A point's class"), target: "point", observed: true },
  { kind: "faster", label: t("Which trains faster"), target: null, observed: false, given: 2 },
  { kind: "choice", label: t("Multiple choice"), target: null, observed: false, given: 3 },
];

export const kindOf = (kind) => KINDS().find((k) => k.kind === kind);

function after({ steps = 1, unit = "batch" } = {}) {
  if (steps === 1 && unit === "batch") return t("after the next step");
  const n = format.count(steps);
  return unit === "epoch" ? t("after {n} more epochs", { n }) : t("after {n} more steps", { n });
}

export function targetText(q) {
  const a = q.target;
  if (!a) return "";
  if (q.kind === "point") return t("point #{i}", { i: a.index });
  return a.col === null || a.col === undefined ? `b[${a.layer}] ${a.row + 1}` : `W[${a.layer}] ${a.row + 1},${a.col + 1}`;
}

export function promptOf(kind, ask = {}) {
  const when = after(ask);
  const what = targetText({ kind, target: ask.target }) || "…";
  switch (kind) {
    case "loss": return t("Will the training loss go up or down {when}?", { when });
    case "gradient": return t("Which layer will have the largest gradient norm ‖dW‖ {when}?", { when });
    case "weight": return t("Will the weight {w} grow or shrink in size {when}?", { w: what, when });
    case "point": return t("Which class will the network give {p} {when}?", { p: what, when });
    case "faster": return t("Which of these two will train faster?");
    default: return t("Which is right?");
  }
}

// A binary problem's classes by their colours; a multi-class problem's by number.
const classNames = (problem, classes) => (problem === "binary" ? [t("class 0 (orange)"), t("class 1 (blue)")]
  : Array.from({ length: classes }, (_, k) => t("class {k}", { k })));

export function choicesOf(kind, { layers = 1, problem = "binary", classes = 2 } = {}) {
  switch (kind) {
    case "loss": return [t("up"), t("down")];
    case "gradient": return Array.from({ length: layers }, (_, l) => t("layer {l}", { l: l + 1 }));
    case "weight": return [t("grow"), t("shrink")];
    case "point": return classNames(problem, classes);
    default: return [];
  }
}

export function choiceColor(q, i) {
  if (q.kind === "point") return CLASS_COLORS[i % CLASS_COLORS.length];
  if (q.kind === "gradient") return layerColor(i, q.choices.length); // as the gradient chart draws layer i + 1
  return null;
}

export function happened(q) {
  const w = q.what_happened;
  if (!w) return "";
  const right = w.answer === null ? null : q.choices[w.answer];
  switch (q.kind) {
    case "loss": {
      if (w.before === null || w.after === null) return t("The loss could not be compared (it is not a number).");
      const v = { before: format.loss(w.before), after: format.loss(w.after) };
      if (w.after > w.before) return t("The training loss went up: {before} → {after}.", v);
      return w.after < w.before ? t("The training loss went down: {before} → {after}.", v) : t("The training loss did not change: {before}.", v);
    }
    case "gradient":
      if (!w.values) return t("The gradient norms could not be compared.");
      return t("Largest ‖dW‖: {right}. Per layer: {values}.",
        { right, values: w.values.map((v, l) => `${l + 1}: ${format.value(v)}`).join(", ") });
    case "weight": {
      if (w.before === null || w.after === null) return t("That weight is no longer in the network.");
      const v = { w: targetText(q), before: format.value(w.before), after: format.value(w.after) };
      if (right === null) return t("{w} did not change in size: {before} → {after}.", v);
      return w.answer === 0 ? t("{w} grew in size: {before} → {after}.", v) : t("{w} shrank in size: {before} → {after}.", v);
    }
    case "point":
      if (right === null) return t("That point is no longer in the data.");
      return t("The network gives {p}: {right}.", { p: targetText(q), right });
    default:
      return right === null ? t("No answer was marked right.") : t("The right answer: {right}.", { right });
  }
}

// The teacher's question composer (in the class panel): a kind, its prompt (offered in the
// page's language until the teacher edits it), its choices (offered, or typed for "faster"
// and "choice"), its target (a weight or a training point: clicked on the page, or typed) and
// the steps its reveal runs. It builds the request of POST /api/classes/{code}/questions.
import { el } from "./dom.js";
import { t } from "./i18n.js";
import { KINDS, choicesOf, kindOf, promptOf } from "./questions.js";

export class QuestionComposer {
  // root     the element the form is built in
  // context  () => ({ layers, problem, classes }): the network now (its layer count, its
  //          problem and class count), for the choices offered
  // mark     (kind, target | null): show the target picked on the page (or none)
  // submit   (question) => Promise: the request body; the composer closes when it resolves
  // limits   /api/options' limits (max_choices, max_prompt_length, max_choice_length, max_steps)
  // toggled  () after it opens or closes
  constructor(root, { context, mark, submit, limits, toggled = () => {} }) {
    Object.assign(this, { root, context, mark, submit, limits, toggled });
    this.target = null;
    this.edited = false;
    this.build();
    this.root.hidden = true;
  }

  get open() { return !this.root.hidden; }

  // The kind of target a click on the page gives now: "weight", "point" or null.
  get picking() { return this.open ? kindOf(this.kind.value).target : null; }

  build() {
    const field = (label, input, cls = "") => el("label", { class: `field ${cls}` }, el("span", {}, label), input);
    const num = (name, min) => el("input", { type: "number", min: String(min), step: "1", name, inputmode: "numeric" });
    this.kind = el("select", { name: "kind" }, ...KINDS().map((k) => el("option", { value: k.kind }, k.label)));
    this.prompt = el("textarea", { name: "prompt", rows: "2", maxlength: String(this.limits.max_prompt_length) });
    this.weight = { layer: num("layer", 1), row: num("row", 1), col: num("col", 1) };
    this.point = num("index", 0);
    this.targets = {
      weight: el("div", { class: "target" }, el("p", { class: "hint" }, t("Click a weight on the network, or type it:")),
        el("div", { class: "inline" }, field("l", this.weight.layer), field("j", this.weight.row), field("k", this.weight.col))),
      point: el("div", { class: "target" }, el("p", { class: "hint" }, t("Click a training point on the output, or type its number:")),
        field("#", this.point)),
    };
    this.steps = num("steps", 1);
    this.steps.max = String(this.limits.max_steps);
    this.steps.value = "1";
    this.unit = el("select", { name: "unit" }, el("option", { value: "batch" }, t("steps")), el("option", { value: "epoch" }, t("epochs")));
    this.stepRow = el("div", { class: "inline steps" }, el("span", {}, t("Reveal after")), this.steps, this.unit);
    this.choices = el("ol", { class: "choices" });
    this.more = el("button", { type: "button", class: "small", "aria-label": t("Add a choice") }, "+");
    this.fewer = el("button", { type: "button", class: "small", "aria-label": t("Remove a choice") }, "−");
    this.choiceButtons = el("div", { class: "inline" }, this.fewer, this.more);
    this.error = el("p", { class: "error", role: "alert" });
    const cancel = el("button", { type: "button", class: "cancel" }, t("Cancel"));
    const form = el("form", { class: "composer" },
      field(t("Kind"), this.kind), field(t("Question"), this.prompt, "wide"),
      this.targets.weight, this.targets.point, this.stepRow, this.choices, this.choiceButtons, this.error,
      el("div", { class: "actions" }, el("button", { type: "submit", class: "primary" }, t("Ask the class")), cancel));
    this.root.replaceChildren(form);
    this.kind.addEventListener("change", () => this.reset());
    this.prompt.addEventListener("input", () => { this.edited = true; });
    for (const input of [...Object.values(this.weight), this.point]) input.addEventListener("input", () => this.typedTarget());
    for (const input of [this.steps, this.unit]) input.addEventListener("input", () => this.offerPrompt());
    this.more.addEventListener("click", () => this.addChoice(""));
    this.fewer.addEventListener("click", () => { this.choices.lastElementChild?.remove(); this.syncChoiceButtons(); });
    cancel.addEventListener("click", () => this.close());
    form.addEventListener("submit", (e) => { e.preventDefault(); this.send(); });
  }

  show() {
    const point = this.kind.querySelector("option[value=point]");
    point.disabled = this.context().problem === "regression"; // no classes to predict
    if (point.disabled && this.kind.value === "point") this.kind.value = "loss";
    this.root.hidden = false;
    this.reset();
    this.kind.focus();
    this.toggled();
  }

  close() {
    this.root.hidden = true;
    this.mark(null, null);
    this.toggled();
  }

  // A new kind (or the composer opened): its target fields, choices and prompt afresh.
  reset() {
    const k = kindOf(this.kind.value);
    this.target = null;
    this.edited = false;
    this.error.textContent = "";
    for (const [name, row] of Object.entries(this.targets)) row.hidden = k.target !== name;
    for (const input of [...Object.values(this.weight), this.point]) input.value = "";
    this.stepRow.hidden = !k.observed;
    const offered = choicesOf(k.kind, this.context());
    this.choices.replaceChildren();
    for (const c of k.given ? Array.from({ length: k.given }, () => "") : offered) this.addChoice(c, !k.given);
    this.choiceButtons.hidden = k.kind !== "choice";
    this.syncChoiceButtons();
    this.mark(k.kind, null);
    this.offerPrompt();
  }

  addChoice(text, fixed = false) {
    const n = this.choices.children.length + 1;
    const input = el("input", { type: "text", value: text, maxlength: String(this.limits.max_choice_length),
      "aria-label": t("Choice {n}", { n }), placeholder: t("Choice {n}", { n }) });
    input.readOnly = fixed; // the server observes these kinds: their choices are its own
    this.choices.append(el("li", {}, input));
    this.syncChoiceButtons();
  }

  syncChoiceButtons() {
    const n = this.choices.children.length;
    this.more.disabled = n >= this.limits.max_choices;
    this.fewer.disabled = n <= 2;
  }

  offerPrompt() {
    if (this.edited) return;
    this.prompt.value = promptOf(this.kind.value, { ...this.ask(), target: this.target });
  }

  ask() {
    return { steps: Math.max(1, Math.round(Number(this.steps.value)) || 1), unit: this.unit.value };
  }

  // A weight clicked on the network (l from 1, row j and col k from 0), or a training point
  // clicked on the output: taken when this kind wants one (true), else left to the page.
  pickWeight(target) {
    if (this.picking !== "weight") return false;
    this.weight.layer.value = String(target.layer);
    this.weight.row.value = String(target.row + 1);
    this.weight.col.value = String(target.col + 1);
    this.setTarget(target);
    return true;
  }

  pickPoint(index) {
    if (this.picking !== "point") return false;
    this.point.value = String(index);
    this.setTarget({ index });
    return true;
  }

  // Typed: j and k are shown from 1, as the network's tooltips and the inspector write them.
  typedTarget() {
    const n = (input) => (input.value === "" ? NaN : Number(input.value));
    if (kindOf(this.kind.value).target === "point") {
      const i = n(this.point);
      this.setTarget(Number.isInteger(i) && i >= 0 ? { index: i } : null);
      return;
    }
    const [l, j, k] = [n(this.weight.layer), n(this.weight.row), n(this.weight.col)];
    this.setTarget([l, j, k].every((v) => Number.isInteger(v) && v >= 1) ? { layer: l, row: j - 1, col: k - 1 } : null);
  }

  setTarget(target) {
    this.target = target;
    this.mark(this.kind.value, target);
    this.offerPrompt();
  }

  async send() {
    const k = kindOf(this.kind.value);
    const choices = [...this.choices.querySelectorAll("input")].map((i) => i.value.trim());
    const say = (text) => { this.error.textContent = text; };
    if (!this.prompt.value.trim()) return say(t("Write the question first."));
    if (k.target && !this.target) return say(k.target === "weight" ? t("Pick a weight first.") : t("Pick a point first."));
    if (choices.some((c) => !c)) return say(t("Every choice needs a label."));
    const body = { kind: k.kind, prompt: this.prompt.value.trim(), choices, target: this.target,
      ...(k.observed ? this.ask() : { steps: 1, unit: "batch" }) };
    say("");
    try {
      await this.submit(body);
      this.root.hidden = true;
      this.toggled();
    } catch (e) {
      say(e.message);
    }
  }
}

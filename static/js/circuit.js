// The circuit view: a formula (or a staged program of named lines) as gates, from POST
// /api/circuits, stepped node by node forward, then backward, with each step's arithmetic
// written out; or a vectorized example as matrices (circuit-matrix.js). The URL holds the
// circuit, so a link opens the same example with the same numbers.
import { api, ApiError } from "./api.js";
import { CircuitView, Timeline, fmt } from "./circuit-graph.js";
import { MatrixView } from "./circuit-matrix.js";
import { renderStages } from "./circuit-stages.js";
import { ICONS, el } from "./dom.js";
import { bindKeys } from "./keys.js";
import { language, languageMenu, setLanguage, t, translatePage } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const PLAY_MS = 800;
// The keyboard (keys.js): each row names an action of CircuitApp.
const KEYS = () => [
  { keys: [" "], label: t("Space"), help: t("Play / pause"), action: "play" },
  { keys: ["ArrowRight"], shift: false, label: "→", help: t("One node"), action: "next" },
  { keys: ["ArrowRight"], shift: true, label: "Shift + →", help: t("Finish this pass"), action: "finish" },
  { keys: ["ArrowLeft"], label: "←", help: t("One node back"), action: "back" },
  { keys: ["r", "R"], label: "R", help: t("Back to the inputs"), action: "start" },
  { keys: ["p", "P"], label: "P", help: t("Projector mode"), action: "projector" },
  { keys: ["?"], label: "?", help: t("This help"), action: "help" },
  { keys: ["Escape"], anywhere: true, label: "Esc", help: t("Close"), action: "close" },
];

// "x:-2,y:5" <-> Map {x => -2, y => 5}: a Map, since a variable may be called "toString" or
// "__proto__", which an object would find (or set) on its prototype
function parseValues(raw) {
  const values = new Map();
  for (const part of (raw || "").split(",")) {
    const [k, v] = part.split(":");
    if (k && v !== undefined && v !== "" && Number.isFinite(Number(v))) values.set(k, Number(v));
  }
  return values;
}
const formatValues = (values) => [...values].map(([k, v]) => `${k}:${v}`).join(",");

// a number in a caption's arithmetic: in parentheses when negative, unless it comes first
// (a power's base never comes first: (−1)^2 is not −1^2)
const num = (v, first = true) => (v < 0 && !first ? `(${fmt(v)})` : fmt(v));
const SYMBOL = { add: "+", sub: "−", mul: "·", div: "/", pow: "^" };
const title = (p) => p.title[language] ?? p.title.en;

// The sign of a gradient in words, as the notes read it (x's gradient -4: lowering x raises f).
function signWords(name, g) {
  if (g < 0) return t("{g}: lowering {x} raises f", { g: fmt(g), x: name });
  if (g > 0) return t("{g}: raising {x} raises f", { g: fmt(g), x: name });
  return t("0: a small change of {x} leaves f as it is", { x: name });
}

// A max or min gate whose inputs are equal: which input the gradient goes to, and why.
function tieWords(op, a) {
  return t("A tie, {op}({a}, {a}): the notes' rule 1(x ≥ y), 1(y ≥ x) would give the whole gradient to both inputs and count it twice (raising both by h raises {op} by h, not 2h). The gate routes it, as the notes call it, to one input: the first.", { op, a: fmt(a) });
}

class CircuitApp {
  constructor() {
    const q = new URLSearchParams(location.search);
    this.view = { projector: q.get("projector") === "1", lang: language };
    this.expression = q.get("expr") || "";
    this.values = parseValues(q.get("values"));
    this.expand = q.get("expand") === "1";
    this.presetId = q.get("preset") || "";
    this.presets = [];
    this.vectorPresets = [];
    this.matrixMode = false;
    this.tl = null;
    this.t = 0;
    this.playing = null;
    this.seq = 0;
    this.pending = Promise.resolve();
    this.graph = new CircuitView($("circuit"));
    this.matrix = new MatrixView($("matrix-view"), $("matrix-inputs"));
  }

  async start() {
    translatePage();
    languageMenu($("language"), (lang) => { this.view.lang = lang; this.saveUrl(); location.reload(); });
    this.setProjector(this.view.projector);
    this.bind();
    [this.presets, this.vectorPresets] = await Promise.all([api.circuitPresets(), api.vectorPresets()]);
    const menu = $("presets");
    menu.append(new Option(t("Your own formula"), ""));
    menu.append(el("optgroup", { label: t("Circuits of gates") }, ...this.presets.map((p) => new Option(title(p), p.id))),
      el("optgroup", { label: t("Vectorized gates") }, ...this.vectorPresets.map((p) => new Option(title(p), p.id))));
    const vector = this.vectorPresets.find((p) => p.id === this.presetId);
    if (vector) {
      await this.loadVector(vector);
      document.body.dataset.ready = "1";
      return;
    }
    const preset = this.presets.find((p) => p.id === this.presetId) ?? (this.expression ? null : this.presets[0]);
    // a preset link keeps the values and the expand setting it carries (a teacher's edits)
    const edits = { values: this.values, expand: this.expand || undefined };
    if (preset && !(this.expression && this.presetId === "")) await this.loadPreset(preset, !this.expression, edits);
    else await this.compute({ position: "end" });
    document.body.dataset.ready = "1";
  }

  bind() {
    $("step").addEventListener("click", () => this.go(this.t + 1));
    $("back").addEventListener("click", () => this.go(this.t - 1));
    $("finish").addEventListener("click", () => this.finishPass());
    $("restart").addEventListener("click", () => this.go(0));
    $("play").addEventListener("click", () => this.togglePlay());
    $("projector").addEventListener("click", () => this.setProjector(!this.view.projector));
    $("help").addEventListener("click", () => { $("help-overlay").hidden = false; });
    $("help-close").addEventListener("click", () => { $("help-overlay").hidden = true; });
    $("presets").addEventListener("change", (e) => {
      const v = this.vectorPresets.find((x) => x.id === e.target.value);
      if (v) { this.loadVector(v); return; }
      const p = this.presets.find((x) => x.id === e.target.value);
      const wasMatrix = this.setMode(false);
      if (p) this.loadPreset(p, true);
      else {
        this.presetId = "";
        $("preset-caption").hidden = true;
        if (wasMatrix) this.compute({ position: "end" });
        else this.saveUrl();
      }
    });
    let typing = null;
    $("expression").addEventListener("input", () => {
      clearTimeout(typing);
      typing = setTimeout(() => {
        // spaces collapsed, lines kept: a staged program is one line per name
        this.expression = $("expression").value.replace(/[^\S\n]+/g, " ").trim();
        this.leavePreset();
        this.compute({ position: "end", typed: true });
      }, 300);
    });
    $("expand").addEventListener("change", (e) => { this.expand = e.target.checked; this.compute({ position: "end" }); });
    const help = $("help-overlay");
    this.keys = bindKeys({ rows: KEYS(), list: $("help-keys"), actions: {
      play: () => this.togglePlay(),
      finish: () => this.finishPass(),
      next: () => this.go(this.t + 1),
      back: () => this.go(this.t - 1),
      start: () => this.go(0),
      projector: () => this.setProjector(!this.view.projector),
      help: () => { help.hidden = !help.hidden; },
      close: () => { help.hidden = true; },
    } });
  }

  // The vectorized view instead of the gates: its inputs on the side, its matrices in the middle.
  async loadVector(p) {
    this.presetId = p.id;
    this.setMode(true);
    $("presets").value = p.id;
    const cap = $("preset-caption");
    cap.textContent = p.caption[language] ?? p.caption.en;
    cap.hidden = false;
    this.saveUrl();
    await this.matrix.show(p);
  }

  // true: the vectorized view; the stepping controls are for the gates only. Returns the old mode.
  setMode(matrix) {
    const was = this.matrixMode;
    this.matrixMode = matrix;
    for (const id of ["scalar-side", "scalar-main"]) $(id).hidden = matrix;
    for (const id of ["matrix-side", "matrix-view"]) $(id).hidden = !matrix;
    document.querySelector(".topbar .transport").hidden = matrix; // nothing to step through
    if (matrix && this.playing) this.togglePlay();
    return was;
  }

  async loadPreset(p, fromStart, edits = {}) {
    this.presetId = p.id;
    this.expression = p.expression;
    this.values = new Map([...Object.entries(p.values), ...(edits.values ?? [])]);
    this.expand = edits.expand ?? p.expand;
    $("presets").value = p.id;
    const cap = $("preset-caption");
    cap.textContent = p.caption[language] ?? p.caption.en;
    cap.hidden = false;
    await this.compute({ position: fromStart ? 0 : "end" });
  }

  leavePreset() {
    const p = this.presets.find((x) => x.id === this.presetId);
    if (p && (p.expression !== this.expression || p.expand !== this.expand)) {
      this.presetId = "";
      $("presets").value = "";
      $("preset-caption").hidden = true;
    }
  }

  // Ask the server for the circuit. A name without a value gets 1 (and an input field).
  // Responses that arrive after a newer request are dropped.
  // typed: the formula was just edited, so a program's own values (x = 3) win over the fields'.
  compute({ position = "keep", typed = false } = {}) {
    const seq = ++this.seq;
    this.pending = (async () => {
      const box = $("expression");
      if (document.activeElement !== box) box.value = this.expression; // never under the typing
      box.rows = Math.min(14, Math.max(3, this.expression.split("\n").length + 1));
      $("expand").checked = this.expand;
      let circuit = null;
      for (let tries = 0; tries < 3 && circuit === null; tries++) {
        try {
          circuit = await api.circuit(this.expression, Object.fromEntries(this.values), this.expand);
          const own = Object.entries(typed ? circuit.defaults : {}).filter(([k, v]) => this.values.has(k) && this.values.get(k) !== v);
          if (own.length) { for (const [k] of own) this.values.delete(k); circuit = null; }
        } catch (err) {
          if (seq !== this.seq) return;
          const names = err instanceof ApiError ? (err.body?.errors ?? [])
            .filter((x) => x.field.startsWith("values.")).map((x) => x.field.slice(7)) : [];
          const fresh = names.filter((name) => !this.values.has(name));
          if (fresh.length) { for (const name of fresh) this.values.set(name, 1); continue; }
          this.showError(err);
          return;
        }
      }
      if (seq !== this.seq || circuit === null) return;
      this.showError(null);
      const inputs = circuit.nodes.filter((n) => n.op === "input").map((n) => n.label);
      const value = new Map(circuit.nodes.map((n) => [n.label, n.value]));
      this.values = new Map(inputs.map((k) => [k, this.values.get(k) ?? value.get(k)])); // x = 3 in a program
      const old = this.tl;
      this.tl = new Timeline(circuit);
      if (position === "end") this.t = this.tl.end;
      else if (position === 0) this.t = 0;
      else this.t = Math.min(this.t, this.tl.end);
      if (!old || old.c.nodes.filter((n) => n.op === "input").map((n) => n.label).join() !== inputs.join()) this.buildInputs(inputs);
      this.saveUrl();
      this.render();
    })();
    return this.pending;
  }

  showError(err) {
    const box = $("expression-error");
    $("circuit").classList.toggle("stale", Boolean(err));
    $("expression").setAttribute("aria-invalid", String(Boolean(err)));
    if (!err) { box.hidden = true; return; }
    const pos = err.body?.position;
    const line = err.body?.line;
    let text = err.message;
    if (line) { // a program's line, numbered, with a caret under the place
      const gutter = `${line} | `;
      const caret = pos ? `\n${" ".repeat(gutter.length + pos - 1)}^` : "";
      text = `${gutter}${this.expression.split("\n")[line - 1] ?? ""}${caret}\n${text}`;
    } else if (pos) text = `${this.expression}\n${" ".repeat(Math.max(0, pos - 1))}^\n${text}`;
    box.textContent = text;
    box.hidden = false;
  }

  buildInputs(names) {
    const host = $("inputs");
    host.replaceChildren();
    for (const name of names) {
      const input = el("input", { type: "number", step: "any", value: String(this.values.get(name)), "data-name": name,
        "aria-label": t("Value of {name}", { name }) });
      input.addEventListener("input", () => {
        const v = Number(input.value);
        const ok = input.value.trim() !== "" && Number.isFinite(v);
        input.setAttribute("aria-invalid", String(!ok));
        if (!ok) return;
        this.values.set(name, v);
        this.compute();
      });
      host.append(el("label", { class: "circuit-input" }, el("span", { class: "name" }, name), input,
        el("output", { class: "grad", "data-grad-of": name, title: t("∂f/∂{name}", { name }) }),
        el("small", { class: "sign", "data-sign-of": name })));
    }
  }

  go(t) {
    if (!this.tl || this.matrixMode) return;
    this.t = Math.max(0, Math.min(this.tl.end, t));
    this.render();
  }

  finishPass() {
    if (!this.tl) return;
    const G = this.tl.G;
    this.go(this.t < G ? G : this.tl.end);
  }

  togglePlay() {
    if (this.matrixMode && !this.playing) return; // the vectorized view has no steps
    if (this.playing) { clearInterval(this.playing); this.playing = null; }
    else {
      if (this.tl && this.t >= this.tl.end) this.go(0);
      this.playing = setInterval(() => {
        if (this.tl) this.go(this.t + 1);
        if (!this.tl || this.t >= this.tl.end) this.togglePlay(); // stop at the end
      }, PLAY_MS);
    }
    $("play").innerHTML = this.playing ? ICONS.pause : ICONS.play;
    $("play").setAttribute("aria-label", this.playing ? t("Pause") : t("Play"));
  }

  setProjector(on) {
    this.view.projector = on;
    document.body.classList.toggle("projector", on);
    $("projector").setAttribute("aria-pressed", String(on));
    this.saveUrl();
    if (this.tl && !this.matrixMode) this.render();
  }

  saveUrl() {
    const q = new URLSearchParams();
    if (this.presetId) q.set("preset", this.presetId);
    const preset = this.presets.find((p) => p.id === this.presetId);
    if (!this.matrixMode) { // a vectorized example is its preset's name alone
      const sameValues = preset && formatValues(new Map(Object.entries(preset.values))) === formatValues(this.values);
      if (!preset) q.set("expr", this.expression);
      if (!preset || !sameValues) q.set("values", formatValues(this.values));
      if (this.expand && !(preset && preset.expand)) q.set("expand", "1");
    }
    if (this.view.projector) q.set("projector", "1");
    if (this.view.lang !== "en") q.set("lang", this.view.lang);
    const s = q.toString();
    history.replaceState(null, "", `${location.pathname}${s ? `?${s}` : ""}`);
    const view = new URLSearchParams();
    if (this.view.projector) view.set("projector", "1");
    if (this.view.lang !== "en") view.set("lang", this.view.lang);
    $("to-network").href = `/${view.toString() ? `?${view}` : ""}`;
  }

  render() {
    const tl = this.tl;
    const stages = $("stages");
    renderStages(stages, tl, tl.at(this.t));
    const s = this.graph.draw(tl, this.t, { projector: this.view.projector, below: stages.hidden ? 0 : stages.offsetHeight });
    $("output-value").textContent = fmt(tl.byId.get(tl.c.output.node).value);
    $("position").textContent = `${this.t} / ${tl.end}`;
    for (const span of $("phases").children) {
      span.classList.toggle("active", this.t > 0 && span.dataset.phase === s.phase);
    }
    $("back").disabled = this.t === 0;
    $("step").disabled = $("finish").disabled = this.t >= tl.end;
    for (const out of $("inputs").querySelectorAll("output[data-grad-of]")) {
      const node = tl.c.nodes.find((n) => n.op === "input" && n.label === out.dataset.gradOf);
      out.textContent = node && s.grad.has(node.id) ? `∂f/∂${node.label} = ${fmt(s.grad.get(node.id))}` : "";
      // in words once every branch is in (a partial sum could have the other sign)
      const done = node && tl.outgoing.get(node.id).every((e) => s.wireGrad.has(e)) && s.grad.has(node.id);
      $("inputs").querySelector(`small[data-sign-of="${CSS.escape(out.dataset.gradOf)}"]`).textContent =
        done ? signWords(node.label, s.grad.get(node.id)) : "";
    }
    this.caption(s);
  }

  // The current step in words and numbers.
  caption(s) {
    const tl = this.tl;
    const box = $("step-caption");
    const name = (id) => tl.names.get(id);
    const lines = [];
    if (s.current === null) {
      lines.push(t("The inputs are set. Step forward (→) to compute the gates one by one."));
    } else if (s.phase === "forward") {
      const n = tl.byId.get(s.current);
      const ins = tl.incoming.get(n.id).map((e) => tl.byId.get(e.from));
      lines.push(t("Forward, gate {k} of {n}:", { k: this.t, n: tl.G }));
      let symbolic;
      let numeric;
      if (n.op in SYMBOL) {
        symbolic = `${name(ins[0].id)} ${SYMBOL[n.op]} ${name(ins[1].id)}`;
        numeric = `${num(ins[0].value, n.op !== "pow")} ${SYMBOL[n.op]} ${num(ins[1].value, false)}`;
      } else if (n.op === "inv") {
        symbolic = `1 / ${name(ins[0].id)}`;
        numeric = `1 / ${num(ins[0].value, false)}`;
      } else if (n.op === "neg") {
        symbolic = `−${name(ins[0].id)}`;
        numeric = `−${num(ins[0].value, false)}`;
      } else {
        symbolic = `${n.op}(${ins.map((i) => name(i.id)).join(", ")})`;
        numeric = `${n.op}(${ins.map((i) => fmt(i.value)).join(", ")})`;
      }
      lines.push(`${name(n.id)} = ${symbolic} = ${numeric} = ${fmt(n.value)}`);
      if (this.t === tl.G) lines.push(t("The output is f = {f}. Next: the backward pass.", { f: fmt(n.value) }));
    } else if (this.t === tl.G + 1) {
      lines.push(t("Backward starts at the output: ∂f/∂f = 1."));
    } else {
      const n = tl.byId.get(s.current);
      const k = this.t - tl.G - 1;
      lines.push(`${t("Backward, gate {k} of {n}:", { k, n: tl.G })} ${t(n.role)}`);
      const up = n.grad;
      for (const e of tl.incoming.get(n.id)) {
        const src = tl.byId.get(e.from);
        const branches = tl.outgoing.get(src.id).length;
        const op = branches > 1 ? "+=" : "=";
        const d = `∂f/∂${name(src.id)} ${op} ∂f/∂${name(n.id)} · ∂${name(n.id)}/∂${name(src.id)}`;
        let line = `${d} = ${num(up)} · ${num(e.local, false)} = ${fmt(up * e.local)}`;
        const out = tl.outgoing.get(src.id);
        if (branches > 1 && out.every((x) => s.wireGrad.has(x))) {
          line += `   ${t("(all {b} branches in: ∂f/∂{x} = {g})", { b: branches, x: name(src.id), g: fmt(src.grad) })}`;
        }
        if (src.op !== "const") lines.push(line);
      }
      const ins = tl.incoming.get(n.id).map((e) => tl.byId.get(e.from).value);
      if ((n.op === "max" || n.op === "min") && ins[0] === ins[1]) lines.push(tieWords(n.op, ins[0]));
      if (this.t === tl.end) lines.push(t("Done: every gradient is in."));
    }
    box.replaceChildren(...lines.map((l, i) => el(i === 0 ? "strong" : "span", { class: "line" }, l)));
  }
}

await setLanguage(new URLSearchParams(location.search).get("lang") || "en", JSON.parse($("messages").textContent));
const app = new CircuitApp();
window.circuitLab = app; // for the console, and for tests
app.start().catch((e) => {
  $("step-caption").textContent = e.message;
  document.body.dataset.ready = "1";
});

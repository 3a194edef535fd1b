// "The notes' NumPy code": the CS231n notes' two-layer training code, run by the server as the
// notes write it (examples in rows) and by the core's Network (examples in columns), from the
// same data and weights. One Plotly chart with both loss curves, their largest relative
// difference, and the notes' lines beside the core's (POST /api/notes/two-layer).
import { el } from "./dom.js";
import { t } from "./i18n.js";
import * as format from "./format.js";
import { INK, POSITIVE } from "./palette.js";
import { withPlotly } from "./plotly.js";
import { fontOf } from "./charts.js";

// The run's fields, as the request names them; each input's maximum comes from /api/options
// and its first value from the server's defaults (the first run asks with none).
const FIELDS = [
  { key: "N", label: "N (examples)", limit: "max_notes_examples" },
  { key: "D_in", label: "D_in (inputs)", limit: "max_notes_inputs" },
  { key: "H", label: "H (hidden units)", limit: "max_notes_hidden" },
  { key: "D_out", label: "D_out (outputs)", limit: "max_notes_outputs" },
  { key: "iterations", label: "Iterations", limit: "max_notes_iterations" },
  { key: "seed", label: "Seed", limit: "max_seed", min: 0 },
];

export class NotesCodePanel {
  // details: the <details> element the panel fills (its first child is the <summary>).
  // options: {
  //   run(body) -> Promise of the server's run: body {N, D_in, H, D_out, iterations, seed}
  //   limits: /api/options "limits" (each input's maximum)
  //   open: true to open the panel and run at once (the lesson that points here)
  //   report(error): show an error where the page shows them
  // }
  constructor(details, { run, limits, open = false, report = console.error }) {
    this.details = details;
    this.options = { run, limits, report };
    this.built = false;
    details.addEventListener("toggle", () => { if (details.open) this.show(); });
    if (open) details.open = true; // fires "toggle"
  }

  // The first opening builds the form and runs the defaults.
  show() {
    if (this.built) return;
    this.built = true;
    this.inputs = {};
    const row = el("div", { class: "notes-form" }, ...FIELDS.map((f) => {
      const input = el("input", { type: "number", min: f.min ?? 1, max: this.options.limits[f.limit], step: 1,
        "aria-label": t(f.label) });
      this.inputs[f.key] = input;
      return el("label", { class: "field" }, el("span", { class: "label" }, t(f.label)), input);
    }));
    this.button = el("button", { type: "button", id: "notes-run", onclick: () => this.run() }, t("Run both"));
    this.summary = el("p", { class: "notes-summary", id: "notes-summary", "aria-live": "polite" });
    this.chart = el("div", { class: "chart notes-chart", id: "notes-chart" });
    this.code = el("div", { class: "notes-code-table" });
    this.details.append(
      el("p", { class: "hint" }, t("The CS231n notes' two-layer network (sigmoid hidden layer, linear outputs, no biases), trained by their own code, rows = examples, and by this lab's core, columns = examples, from the same random data and weights. Their loss sum((y_pred − y)²) is 2m times the core's half mean squared error, so their rate 1e-4 is the core's α = 2m × 1e-4.")),
      el("div", { class: "notes-row" }, row, this.button), this.summary, this.chart, this.code);
    this.run({});
  }

  // body: the fields to send; by default the inputs' values
  async run(body = Object.fromEntries(Object.entries(this.inputs).map(([k, input]) => [k, Number(input.value)]))) {
    this.summary.textContent = t("Running…");
    this.button.disabled = true; // one run at a time
    let r;
    try {
      r = await this.options.run(body);
    } catch (e) {
      this.summary.textContent = "";
      this.options.report(e);
      return;
    } finally {
      this.button.disabled = false;
    }
    for (const [k, input] of Object.entries(this.inputs)) input.value = String(r.sizes[k] ?? r[k]);
    this.summary.textContent = t("{n} iterations, m = {m}: the largest relative difference between the two losses is {d} (α = {alpha}).",
      { n: format.count(r.iterations), m: r.sizes.N, d: format.value(r.max_relative_difference), alpha: format.value(r.alpha) });
    this.summary.dataset.maxRelativeDifference = String(r.max_relative_difference);
    this.draw(r);
    this.table(r.code);
  }

  draw(r) {
    const font = fontOf();
    const hover = (name) => `${name} %{y:.6g}<br>${t("iteration")} %{x}<extra></extra>`;
    const traces = [
      { name: t("The notes' code (rows)"), y: r.notes, line: { color: POSITIVE, width: 6 } },
      { name: t("The core's Network (columns)"), y: r.core, line: { color: INK, width: 2, dash: "dot" } },
    ].map((tr) => ({ type: "scatter", mode: "lines", x: r.steps, ...tr, hovertemplate: hover(tr.name) }));
    const layout = {
      margin: { l: 52, r: 8, t: 6, b: 34 }, font, showlegend: true,
      legend: { orientation: "h", x: 0, y: 1, yanchor: "bottom", font },
      xaxis: { title: { text: t("iteration"), standoff: 0 }, automargin: true },
      yaxis: { type: "log", title: { text: t("loss (the notes' units)"), standoff: 4 }, automargin: true, exponentformat: "power" },
    };
    withPlotly((Plotly) => Plotly.react(this.chart, traces, layout, { displayModeBar: false, responsive: true }));
  }

  table(code) {
    const cell = (text, comment = "") => el("td", {}, el("code", {}, text,
      comment ? el("span", { class: "comment" }, `  # ${t(comment)}`) : ""));
    this.code.replaceChildren(el("table", { class: "notes-lines" },
      el("thead", {}, el("tr", {}, el("th", {}, t("The notes' code")), el("th", {}, t("What the core computes")))),
      el("tbody", {}, ...code.map((line) => el("tr", {}, cell(line.notes), cell(line.product, line.comment))))));
  }
}

// Your own data and your own results: draw points on the output plot, import a CSV, export the
// data, the model (JSON, importable again) and a NumPy script, and the plots as PNG.
import { labelColor } from "./palette.js";
import { labelClassesOf } from "./problems.js";
import { el } from "./dom.js";
import { t } from "./i18n.js";
import * as format from "./format.js";

const $ = (id) => document.getElementById(id);

export class OwnDataPanel {
  // app: { session(), send(points) -> Promise, preview(data), importCsv(text, standardize),
  //        importModel(model), exportPng(), pause() }; options: /api/options (how many classes
  //        a label takes)
  constructor(root, app, options) {
    this.root = root;
    this.app = app;
    this.options = options;
    this.drawing = false;
    this.cls = 1;
    this.value = 1;
    this.cleared = false;
    // Points drawn but not yet answered by the server: the next click builds on them, so quick
    // clicks are never lost to a response still on its way.
    this.draft = null;
    this.inFlight = 0;
  }

  build() {
    const draw = el("input", { type: "checkbox", id: "draw" });
    draw.addEventListener("change", () => { this.drawing = draw.checked; this.root.classList.toggle("drawing", this.drawing); });
    // issue 13: standardizing is a choice; off, the file's own numbers are the inputs
    const standardize = el("input", { type: "checkbox", id: "standardize", checked: "" });
    const csvInput = el("input", { type: "file", id: "import-csv", accept: ".csv,text/csv,text/plain" });
    csvInput.addEventListener("change", async () => {
      const file = csvInput.files[0];
      csvInput.value = "";
      if (file) this.app.importCsv(await file.text(), standardize.checked);
    });
    const modelInput = el("input", { type: "file", id: "import-model", accept: ".json,application/json" });
    modelInput.addEventListener("change", async () => {
      const file = modelInput.files[0];
      modelInput.value = "";
      if (!file) return;
      let model;
      try { model = JSON.parse(await file.text()); } catch { this.app.report(new Error(t("That file is not JSON."))); return; }
      this.app.importModel(model);
    });
    this.classes = el("div", { class: "draw-classes", role: "radiogroup", "aria-label": t("Class to draw") });
    this.valueInput = el("input", { type: "number", step: "any", value: "1", "aria-label": t("Value to draw") });
    this.valueInput.addEventListener("change", () => { this.value = Number(this.valueInput.value) || 0; });
    this.valueRow = el("label", { class: "inline" }, el("span", {}, t("Value")), this.valueInput);
    this.scaling = el("p", { class: "hint scaling", id: "scaling" });
    // issue 12.9: the URL holds the configuration, never the points: say so while there are own
    this.linkNote = el("p", { class: "hint", id: "own-link-note" },
      t("A link does not carry your own points: take them home as Data (CSV) or Model (JSON), and import that file again."));
    this.linkNote.hidden = true;
    const link = (id, text, title) => el("a", { id, class: "button", download: "", title }, text);
    this.root.append(
      el("h2", {}, t("Your data")),
      el("label", { class: "switch" }, draw, el("span", {}, t("Draw points"))),
      this.classes, this.valueRow,
      el("p", { class: "hint" }, t("Click the output plot to add a point; shift-click: the other class; alt-click: remove the nearest.")),
      el("div", { class: "inline" },
        el("button", { type: "button", id: "clear-data", onclick: () => this.clear() }, t("Clear")),
        el("label", { class: "button file" }, t("Import CSV"), csvInput),
        el("label", { class: "switch", title: t("Each input column becomes (x − mean) / std × 2; unchecked, the file's own numbers are the inputs") },
          standardize, el("span", {}, t("Standardize")))),
      this.scaling,
      el("h2", {}, t("Take it home")),
      this.linkNote,
      el("div", { class: "exports" },
        link("export-csv", t("Data (CSV)"), t("The data, in its own units")),
        link("export-model", t("Model (JSON)"), t("Architecture, activations and weights: import it again to continue")),
        link("export-script", t("NumPy script"), t("The trained network's forward pass in NumPy, printing its predictions")),
        link("export-train-script", t("NumPy training script"), t("The training loop in NumPy: the training set, forward, loss, backward and gradient-descent updates from these weights, printing the loss")),
        el("button", { type: "button", id: "export-png", onclick: () => this.app.exportPng() }, t("Plots (PNG)")),
        el("label", { class: "button file" }, t("Import model"), modelInput)),
    );
  }

  // The session changed: links, class swatches, the scaling note, the note on links.
  sync(session) {
    const base = `/api/sessions/${encodeURIComponent(session.id)}`;
    $("export-csv").href = `${base}/data.csv`;
    $("export-model").href = `${base}/model`;
    $("export-script").href = `${base}/model.py`;
    $("export-train-script").href = `${base}/model.py?train=true`;
    const c = session.config;
    const k = labelClassesOf(this.options, c);
    if (this.cls >= k) this.cls = k ? 1 % k : 0;
    this.classes.replaceChildren(...Array.from({ length: k }, (_, i) => el("button", {
      type: "button", role: "radio", "aria-checked": String(i === this.cls), "aria-label": t("Class {k}", { k: i }),
      style: `--swatch: ${labelColor(i, c.problem)}`,
      onclick: () => { this.cls = i; this.sync(session); },
    }, String(i))));
    this.classes.hidden = k === 0;
    this.valueRow.hidden = k !== 0 || session.data.train.X[0]?.length === 1;
    const s = session.data.scaling;
    this.scaling.textContent = s
      ? t("Standardized: {map}", { map: s.mean.map((m, i) => `x${"₁₂"[i]} = (raw − ${format.value(m)}) / ${format.value(s.std[i])} × ${format.value(s.factor)}`).join("; ") })
      : "";
    if (session.data.own) this.cleared = false;
    this.linkNote.hidden = !session.data.own;
    $("datasets").classList.toggle("own", session.data.own); // own points: no generated set is in use
  }

  // A click on the output plot at plot coordinates (x, y). 1-D data: y is the target.
  click(x, y, { shift, alt }, oneD) {
    const s = this.app.session();
    const c = s.config;
    const data = this.draft ? structuredClone(this.draft)
      : this.cleared ? { train: { X: [], y: [] }, test: { X: [], y: [] } } : structuredClone(s.data);
    if (alt) {
      let best = null;
      for (const key of ["train", "test"]) {
        data[key].X.forEach((p, i) => {
          const d = (p[0] - x) ** 2 + (oneD ? (data[key].y[i] - y) ** 2 : (p[1] - y) ** 2);
          if (!best || d < best.d) best = { key, i, d };
        });
      }
      if (!best) return;
      data[best.key].X.splice(best.i, 1);
      data[best.key].y.splice(best.i, 1);
      if (data.train.X.length === 0) { this.clear(); return; }
    } else {
      const k = labelClassesOf(this.options, c);
      let label;
      if (oneD) label = y;
      else if (k) label = shift ? (k === 2 ? 1 - this.cls : (this.cls + 1) % k) : this.cls;
      else label = shift ? -this.value : this.value;
      data.train.X.push(oneD ? [x] : [x, y]);
      data.train.y.push(label);
    }
    this.draft = data;
    this.inFlight += 1;
    this.app.preview(data);
    this.app.send({ train: data.train, test: data.test, ...(data.scaling ? { scaling: data.scaling } : {}) })
      .finally(() => { if (--this.inFlight === 0) this.draft = null; });
  }

  // An empty plot: the session keeps its data until the first new point arrives.
  clear() {
    this.app.pause();
    this.cleared = true;
    this.draft = null;
    this.app.preview({ train: { X: [], y: [] }, test: { X: [], y: [] } });
    $("draw").checked = this.drawing = true;
    this.root.classList.add("drawing");
  }
}

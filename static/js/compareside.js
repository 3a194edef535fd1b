// One run of the comparison page: its header (what it has of its own, its step and losses),
// its network (read-only, static/js/network.js) and its output map (static/js/output.js).
import { t } from "./i18n.js";
import { NetworkView } from "./network.js";
import { OutputPlot } from "./output.js";
import { SIDES } from "./palette.js";
import * as format from "./format.js";

const $ = (id) => document.getElementById(id);

export class Side {
  // key: "a" or "b", the suffix of its elements' ids in templates/compare.html
  constructor(key, options) {
    this.key = key;
    this.name = key.toUpperCase();
    this.root = $(`side-${key}`);
    document.body.style.setProperty(`--side-${key}`, SIDES[key === "a" ? 0 : 1]); // its header, its swatch in the settings
    this.root.setAttribute("aria-label", t("Run {side}", { side: this.name }));
    this.elements = { what: $(`what-${key}`), step: $(`step-${key}`), train: $(`train-${key}`),
      test: $(`test-${key}`), acc: $(`acc-${key}`), status: $(`status-${key}`) };
    this.elements.step.setAttribute("aria-label", t("Run {side}'s step", { side: this.name }));
    this.body = this.root.querySelector(".side-body");
    this.net = new NetworkView($(`network-${key}`), options, null);
    this.net.fit = () => this.fit();
    this.output = new OutputPlot($(`output-${key}`), () => {}, () => {}, () => false, options);
    this.current = null; // the server's session: {id, config, data, frame}
    this.frame = null; // the frame drawn
    this.limit = Infinity; // the most steps a request may ask of this network (a 422 says)
  }

  get id() { return this.current?.id; }

  // The diagram's box: as tall as the side leaves beside the output map; narrow margins (the
  // layers' labels are read-only text).
  fit() {
    const projector = document.body.classList.contains("projector");
    return { height: Math.max(160, this.body.clientHeight), left: projector ? 84 : 60, right: projector ? 24 : 20 };
  }

  // A new session for this side: its layout, data and first frame; what: what it has of its own.
  show(s, what) {
    this.current = s;
    this.limit = Infinity;
    this.elements.what.textContent = what;
    this.say("");
    this.net.layout(s.config, s.frame.grid.input_names);
    this.output.setData(s.data, s.config, s.frame.grid);
    this.draw(s.frame);
  }

  draw(frame) {
    this.frame = frame;
    this.net.update(frame);
    this.output.update(frame);
    const e = this.elements;
    e.step.textContent = format.count(frame.step);
    e.train.textContent = format.loss(frame.loss.train);
    e.test.textContent = format.loss(frame.loss.test);
    e.acc.parentElement.hidden = !frame.accuracy;
    if (frame.accuracy) e.acc.textContent = format.percent(frame.accuracy.test);
  }

  // The window, or projector mode, changed: lay out again and redraw what is shown.
  relayout() {
    if (!this.current) return;
    this.net.layout(this.current.config, this.current.frame.grid.input_names);
    this.output.setData(this.current.data, this.current.config, this.frame.grid || this.current.frame.grid);
    this.draw(this.frame);
  }

  // A message over this run's diagram (a divergence); the side lays out again around it.
  say(text) {
    const status = this.elements.status, was = status.hidden;
    status.textContent = text;
    status.hidden = !text;
    if (status.hidden !== was && this.current) window.dispatchEvent(new Event("resize"));
  }
}

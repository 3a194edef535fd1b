// What a student's page shows of the teacher's session, from the class's events: the setup
// (configuration, data, and the maps' coordinates and input thumbnails) and each reduced
// frame, merged into what the network and the output map draw; the step counter, the loss;
// the view (the lesson's caption, the slow-motion phase). While the student explores on their
// own, nothing is drawn; the latest frame is drawn on the way back.
import { el } from "./dom.js";
import { t } from "./i18n.js";
import { markPhase } from "./phases.js";
const PHASE_CAPTIONS = {
  forward: () => t("Forward: each layer computes z = W a + b and a = g(z), left to right."),
  loss: () => t("Loss: the output is compared with the label."),
  backward: () => t("Backward: the gradients flow right to left; the edges show dW."),
  update: () => t("Update: every weight takes a step, W := W − α dW."),
};

export class FollowView {
  // panels: { net (NetworkView, read-only), map (MapView), counters (Counters), chart
  //           (LossChart) }
  // elements: { phases: the phase bar, caption: its caption, lessonBar: the lesson's caption }
  // lessons: a promise of /api/lessons; lang: the page's language
  constructor({ panels, elements, lessons, lang }) {
    Object.assign(this, { panels, elements, lessons, lang });
    this.config = null;
    this.maps = null;
    this.latest = null;
    this.paused = false;
    this.phase = null;
  }

  setup({ config, data, maps }) {
    if (!maps) return; // no frame with maps yet: the next setup has them
    const { net, map, counters } = this.panels;
    const shape = JSON.stringify([config.problem, config.classes, config.features, config.hidden, maps.input_names]);
    if (shape !== this.shape) {
      this.shape = shape;
      this.config = config;
      net.layout(config, maps.input_names);
    }
    this.config = config;
    this.maps = maps;
    map.setData(data, config, maps);
    counters.show({ data, config });
    if (this.latest) this.draw(this.latest);
  }

  frame(frame) {
    this.latest = frame;
    if (!this.paused && this.maps) this.draw(frame);
  }

  draw(frame) {
    const { net, map, counters, chart } = this.panels;
    const grid = frame.grid ? { ...this.maps, ...frame.grid } : null;
    const full = { ...frame, grid };
    net.mode = this.phase === "backward" ? "gradients" : "weights";
    if (frame.layers.length === this.config.hidden.length + 1) net.update(full);
    map.update(grid);
    counters.draw(frame);
    chart.add(frame);
  }

  pause(on) {
    this.paused = on;
    if (!on) this.relayout();
  }

  // The window changed size (or the view shows again): the diagram laid out afresh.
  relayout() {
    if (!this.config || !this.maps) return;
    this.panels.net.layout(this.config, this.maps.input_names);
    if (this.latest && !this.paused) this.draw(this.latest);
  }

  async view({ lesson, phase, slow }) {
    const { phases, caption } = this.elements;
    this.phase = slow ? phase : null;
    phases.hidden = !slow;
    markPhase(phases, this.phase);
    caption.textContent = this.phase ? PHASE_CAPTIONS[this.phase]() : t("Slow motion: the next step is played phase by phase.");
    if (this.latest && !this.paused && this.maps) this.draw(this.latest);
    await this.showLesson(lesson);
  }

  async showLesson(id) {
    const bar = this.elements.lessonBar;
    const lesson = id ? (await this.lessons.catch(() => [])).find((l) => l.id === id) : null;
    bar.hidden = !lesson;
    if (lesson) bar.replaceChildren(el("strong", {}, lesson.title[this.lang]), " ", lesson.caption[this.lang]);
  }
}

// "Preview next step": what the next Step will do, before it is taken. The server runs the step
// on a copy of the session (POST .../preview) and the page shows its ghost: the output map's
// boundary after it (dashed, over the map now), a hollow point on the loss chart at the loss
// after it, and a line of numbers (the whole training set's loss, and one example's, now ->
// after). The ghost goes when the step is taken, or anything else changes.
import { api, ApiError } from "./api.js";
import { el } from "./dom.js";
import * as format from "./format.js";
import { t } from "./i18n.js";

export class Preview {
  // options:
  //   session    the Session (session.js): its queue, the frame shown; the preview listens to it
  //   playing    () => boolean: no preview while training plays ...
  //   pause      () => pauses it
  //   example    () => the training-set index the inspector follows, or null (then the step's
  //              first traced example)
  //   output     the OutputPlot: ghost(grid | null)
  //   loss       the LossChart: ghost(from, to | null)
  //   elements   { after }: the element the control and its line go after
  constructor({ session, playing, pause, example, output, loss, elements }) {
    Object.assign(this, { session, playing, pause, example, output, loss });
    this.button = el("button", { type: "button", class: "preview-button", title: t("What the next step will do, without taking it (V)"),
      onclick: () => this.toggle() }, t("Preview next step"));
    this.line = el("p", { class: "preview-line", "aria-live": "polite", hidden: "" });
    elements.after.after(el("div", { class: "preview-bar" }, this.button, this.line));
    this.shown = null; // the step the ghost was previewed from
    session.listen({
      show: () => this.clear(), // new settings, data or weights: another next step
      draw: (frame) => { if (this.shown !== null && frame.step !== this.shown) this.clear(); },
    });
  }

  toggle() {
    if (this.shown !== null) this.clear();
    else this.preview();
  }

  preview() {
    const { session } = this;
    if (!session.current) return;
    if (this.playing()) { // the next step is a moving target: pause, then preview
      this.pause();
      this.notice(t("Paused. Press Preview next step (or V) again to see the next step."));
      return;
    }
    session.run(async () => {
      const step = session.frame.step;
      const example = this.example();
      const body = { steps: 1, unit: "batch", trace: true, grids: "output", ...(example === null ? {} : { example }) };
      try {
        const p = await api.preview(session.id, body);
        this.show(p.now.step, p); // the server's step: a frame still on its way to be drawn is it
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 409)) throw e;
        this.say(step, t("The next step would diverge: the weights would run away. Lower the learning rate first."));
      }
    });
  }

  show(step, p) {
    const { frame, now, example } = p;
    this.shown = step;
    this.output.ghost(frame.grid);
    this.loss.ghost({ step: now.step, loss: now.loss.train }, { step: frame.step, loss: frame.loss.train });
    const arrow = (a, b) => `${format.loss(a)} → ${format.loss(b)}`;
    this.say(step, t("Next step: training loss {change}", { change: arrow(now.loss.train, frame.loss.train) }),
      t("example #{i}: loss {change}", { i: example.index, change: arrow(example.before.loss, example.after.loss) }));
    this.button.setAttribute("aria-pressed", "true");
  }

  // A note that is no preview: it stays until the next preview or change.
  notice(text) {
    this.clear();
    this.line.textContent = text;
    this.line.hidden = false;
  }

  say(step, ...lines) {
    this.shown = step;
    this.line.replaceChildren(...lines.map((text) => el("span", {}, text)));
    this.line.hidden = false;
  }

  clear() {
    this.line.hidden = true;
    if (this.shown === null) return;
    this.shown = null;
    this.button.setAttribute("aria-pressed", "false");
    this.output.ghost(null);
    this.loss.ghost(null);
  }
}

// When training runs away: the divergence notice with its one-click way back, and the hint
// that a loss bouncing at a large rate gives. Both live in a bar under the top bar, in the
// page's flow: it pushes the page down and never covers a control.
import { el } from "./dom.js";
import { t } from "./i18n.js";
import * as format from "./format.js";

// A rate from this one up is large for these networks: only there is a bouncing loss blamed
// on it (small rates bounce too, from mini-batch noise, and learn on).
const LARGE_RATE = 1;
// The frames the hint looks at, and what makes them a bounce: the loss rose in at least this
// share of them, spans this factor, and its second half got no lower than its first.
const WINDOW = 24, RISING = 0.3, SPAN = 1.5;

export class DivergenceNotice {
  /**
   * @param {HTMLElement} bar  the notice's bar (hidden while there is nothing to say)
   * @param {object} options
   * @param {(rate: number) => Promise<void>} options.restore  go back to the last good step
   *   with this learning rate (POST .../restore); the notice plays on once it resolves
   * @param {() => void} options.play  train on
   * @param {(rate: number) => void} options.setRate  change the learning rate (the hint)
   * @param {number[]} options.rates  the rates the page's menu offers (/api/options)
   * @param {() => number} options.rate  the learning rate in use
   */
  constructor(bar, options) {
    this.bar = bar;
    this.options = options;
    this.losses = [];
    this.hinted = false;
    this.about = null; // the step and rate the notice speaks of
  }

  // The 409's body: {detail, step, last_good_step, suggested_learning_rate}.
  diverged(body) {
    const back = body.last_good_step, rate = body.suggested_learning_rate;
    const message = t("Training diverged at step {n}: the weights ran away.", { n: body.step });
    const children = [el("span", { class: "message" }, message)];
    if (back !== undefined && back !== null) {
      const button = el("button", { type: "button", class: "back" },
        t("Back to step {n} with learning rate {rate}", { n: back, rate: format.rate(rate) }));
      button.addEventListener("click", async () => {
        button.disabled = true;
        await this.options.restore(rate);
        this.options.play();
      });
      children.push(button);
    }
    this.show("diverged", children, body.step - 1);
  }

  // Every frame drawn: a loss that bounces instead of falling at a large rate earns a hint.
  watch(frame, rate) {
    const loss = frame.loss.train;
    if (rate < LARGE_RATE || loss === null || !Number.isFinite(loss)) { this.losses = []; return; }
    this.losses.push(loss);
    if (this.losses.length > WINDOW) this.losses.shift();
    if (this.hinted || this.losses.length < WINDOW || !bounces(this.losses)) return;
    this.hinted = true;
    const lower = this.lower(rate);
    const button = el("button", { type: "button", class: "lower" }, t("Use {rate}", { rate: format.rate(lower) }));
    button.addEventListener("click", () => { this.clear(); this.options.setRate(lower); });
    this.show("hint", [el("span", { class: "message" },
      t("The loss jumps up and down instead of falling: the learning rate {rate} may be too large.", { rate: format.rate(rate) })), button], frame.step);
  }

  // A new session state: a new rate, or a step back (reset, restore), ends what the notice
  // says. Other changes (points drawn, say) keep it, so the page does not move under a click.
  sync(session) {
    this.losses = [];
    const about = this.about;
    if (about && (session.config.learning_rate !== about.rate || session.frame.step < about.step)) this.clear();
  }

  clear() {
    this.losses = [];
    this.hinted = false;
    this.about = null;
    this.bar.hidden = true;
    this.bar.replaceChildren();
    delete this.bar.dataset.kind;
  }

  // The menu's rate about ten times lower (the server's suggestion after a divergence, too).
  lower(rate) {
    const below = this.options.rates.filter((r) => r <= rate / 10 * (1 + 1e-9));
    return below.length ? Math.max(...below) : rate / 10;
  }

  show(kind, children, step) {
    this.about = { step, rate: this.options.rate() };
    const close = el("button", { type: "button", class: "close", "aria-label": t("Close the message") }, "×");
    close.addEventListener("click", () => { this.bar.hidden = true; });
    this.bar.replaceChildren(...children, close);
    this.bar.dataset.kind = kind;
    this.bar.hidden = false;
  }
}

function bounces(losses) {
  let rises = 0;
  for (let i = 1; i < losses.length; i++) if (losses[i] > losses[i - 1]) rises++;
  const half = losses.length >> 1;
  const first = Math.min(...losses.slice(0, half)), second = Math.min(...losses.slice(half));
  const span = Math.max(...losses) / Math.min(...losses);
  return rises >= RISING * (losses.length - 1) && span >= SPAN && second >= first;
}

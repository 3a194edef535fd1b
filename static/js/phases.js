// Slow motion: one training step played as four labelled phases. Forward (left to right, the
// traced example's activations light up), Loss (its output against its label), Backward
// (right to left, edges recoloured by dW and neurons by dz), Update (edges ease to the new
// weights). Played on a timer, or advanced by hand with "Next phase".

import { t as tr } from "./i18n.js";
import * as format from "./format.js";

export const PHASES = ["forward", "loss", "backward", "update"];

// The phase bar's labels: the phase shown active, those before it done (null: none). Its
// data-phase names the phase (the class panel sends it to the students: classroom.js).
export function markPhase(bar, phase) {
  const i = PHASES.indexOf(phase);
  for (const span of bar.querySelectorAll("[data-phase]")) {
    const k = PHASES.indexOf(span.dataset.phase);
    span.classList.toggle("active", k === i);
    span.classList.toggle("done", i >= 0 && k < i);
  }
  bar.dataset.phase = phase || "";
}

export class Phases {
  constructor(net, elements) {
    this.net = net;
    this.bar = elements.bar; // the four labels
    this.caption = elements.caption;
    this.nextButton = elements.next;
    this.markExample = elements.mark || (() => {}); // (training index | null): ring it on the plot
    this.delay = 650;
    this.waiter = null;
    this.running = false;
  }

  // Play prev -> frame (frame has the trace of the step). manual: wait for next() between stages.
  async play(prev, frame, problem, manual) {
    this.running = true;
    this.manual = manual;
    this.nextButton.disabled = !manual;
    const net = this.net;
    const L = frame.layers.length;
    const t = frame.trace_indices ? frame.trace_indices[0] : null;
    net.clearLights();
    net.paintEdges(prev, "weights");
    this.markExample(t);
    try {
      this.mark("forward");
      for (let l = 1; l <= L; l++) {
        net.pulse(l);
        net.light(l, frame.layers[l - 1].A.map((row) => row[0]), "a =");
        this.say(`${tr("Forward, layer {l}", { l })}: z[${l}] = W[${l}] a[${l - 1}] + b[${l}], a[${l}] = ${frame.layers[l - 1].activation}(z[${l}])  (${tr("example #{i}", { i: t })})`);
        await this.wait();
      }
      this.mark("loss");
      net.pulse(null);
      const out = frame.layers[L - 1].A.map((row) => row[0]);
      // the losses before this step's update, as the panel beside shows them until it ends
      this.say(tr("Loss: output {out} for example #{i}; before the update, this mini-batch's loss {batch}, the training set's {loss}",
        { out: out.map(format.value).join(", "), i: t, batch: format.loss(frame.loss.batch), loss: format.loss(prev.loss.train) }));
      await this.wait();
      this.mark("backward");
      net.clearLights();
      net.paintEdges(frame, "gradients");
      for (let l = L; l >= 1; l--) {
        net.pulse(l, true);
        net.light(l, frame.layers[l - 1].dZ.map((row) => row[0]), "dz =");
        this.say(l === L
          ? `${tr("Backward, layer {l}", { l })}: dz[${l}] = a[${l}] − y; dW[${l}] = (1/m) dZ[${l}] A[${l - 1}]ᵀ`
          : `${tr("Backward, layer {l}", { l })}: dz[${l}] = W[${l + 1}]ᵀ dz[${l + 1}] * g'(z[${l}]); dW[${l}] = (1/m) dZ[${l}] A[${l - 1}]ᵀ`);
        await this.wait();
      }
      this.mark("update");
      net.clearLights();
      this.say(`${tr("Update")}: W := W − α dW, b := b − α db`);
      await net.ease(prev, frame);
      net.update(frame);
      await this.wait();
    } finally {
      this.markExample(null);
      this.mark(null);
      this.running = false;
      this.nextButton.disabled = true;
    }
  }

  next() {
    if (this.waiter) this.waiter();
  }

  wait() {
    return new Promise((resolve) => {
      const done = () => { this.waiter = null; clearTimeout(timer); resolve(); };
      this.waiter = done;
      const timer = this.manual ? null : setTimeout(done, this.delay);
    });
  }

  mark(phase) {
    markPhase(this.bar, phase);
  }

  say(text) {
    this.caption.textContent = text;
  }
}

// The weight editor: a small form by the pointer to type one weight W[l] j,k. The new weight is
// sent in the session's queue; the weight's detail in the inspector is rewritten after it.
import { api } from "./api.js";
import * as format from "./format.js";

export class WeightEditor {
  // options:
  //   session    the Session (session.js): the queue, the frame shown (the weight's value)
  //   inspector  the Inspector (inspector.js): the weight's detail, the example's numbers
  //   elements   { form, label, input }: the form (hidden while closed), its label, its input
  // A click outside the open form closes it.
  constructor({ session, inspector, elements }) {
    Object.assign(this, { session, inspector, elements });
    this.editing = null; // {layer, row, col}
    elements.form.addEventListener("submit", (e) => { e.preventDefault(); this.submit(); });
    document.addEventListener("click", (e) => {
      if (!elements.form.hidden && !elements.form.contains(e.target)) elements.form.hidden = true;
    });
  }

  // edit: {layer, row, col} of the edge clicked; e: the click (the form opens by it).
  open(edit, e) {
    const { form, label, input } = this.elements;
    this.editing = edit;
    this.inspector.weightDetail(edit);
    label.textContent = `W[${edit.layer}] ${edit.row + 1},${edit.col + 1}`;
    input.value = format.weight(this.session.frame.layers[edit.layer - 1].W[edit.row][edit.col]);
    form.style.left = `${e.clientX + 8}px`;
    form.style.top = `${e.clientY + 8}px`;
    form.hidden = false;
    input.focus();
    input.select();
  }

  submit() {
    const { session, inspector } = this;
    const value = Number(this.elements.input.value);
    this.elements.form.hidden = true;
    if (!Number.isFinite(value)) return;
    const edit = { ...this.editing, value };
    session.run(async () => {
      const frame = await api.setWeight(session.id, edit);
      session.draw(frame);
      session.previous = null; // a typed weight is no update to write out
      inspector.weightTyped(frame);
    });
    inspector.rewriteWeight(this.editing); // queued: the new W
  }
}

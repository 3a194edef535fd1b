// The network column's bits around the diagram: the hidden-layer count with its + and −
// buttons, the shapes and parameters table, and the gradient check.
import { api } from "./api.js";
import { t } from "./i18n.js";
import { renderGradcheck, renderShapes } from "./teaching.js";

export class NetworkColumn {
  // options:
  //   session    the Session (session.js): adds and removes layers, runs the gradient check;
  //              the column listens to its states
  //   maxLayers  the most hidden layers (options.limits.max_hidden_layers)
  //   elements   { count, add, remove, shapes, check, result, penalty }: the count's text, the
  //              + and − buttons, the shapes' box, the check's button, its result, and the note
  //              that it checks the data loss only (shown while L1 or L2 is on)
  constructor({ session, maxLayers, elements }) {
    Object.assign(this, { session, maxLayers, elements });
    elements.add.addEventListener("click", () => session.addLayer());
    elements.remove.addEventListener("click", () => session.removeLayer());
    elements.check.addEventListener("click", () => session.run(async () => {
      elements.result.textContent = t("Checking…");
      renderGradcheck(elements.result, await api.gradcheck(session.id));
    }));
    session.listen({ show: (s) => this.show(s) });
  }

  show(s) {
    const { count, add, remove, shapes, result, penalty } = this.elements;
    const n = s.config.hidden.length;
    count.textContent = t(n === 1 ? "{n} hidden layer" : "{n} hidden layers", { n });
    add.disabled = n >= this.maxLayers;
    remove.disabled = n === 0;
    renderShapes(shapes, s.frame, s.config);
    result.replaceChildren();
    penalty.hidden = !(s.config.l1 > 0 || s.config.l2 > 0); // issue 12.9: it checks the data loss
  }
}

// The page's view toggles, each kept in the URL (state.view): projector mode, the settings
// row, slow motion, the test points, a discretized map; the help overlay; the language menu
// and the link to the circuit page (which keeps projector mode and the language).
import { languageMenu } from "./i18n.js";

export class Toggles {
  // options:
  //   state     the page's State: view.projector, settings, slow, showTest, discretize, lang
  //   session   the Session (session.js): relayout() after a change of layout
  //   output    the OutputPlot: its points redrawn in projector type, its view switches
  //   elements  { projector, settings, help, helpOverlay, helpClose, circuit, language, slow,
  //             showTest, discretize }: the buttons, the overlay and its Close button, the
  //             link to /circuit, the language <select> and the three checkboxes
  constructor({ state, session, output, elements }) {
    Object.assign(this, { state, session, output, elements });
    const e = elements;
    e.projector.addEventListener("click", () => this.setProjector(!state.view.projector));
    e.settings.addEventListener("click", () => this.showSettings(!state.view.settings));
    e.help.addEventListener("click", () => { e.helpOverlay.hidden = false; });
    e.helpClose.addEventListener("click", () => this.closeHelp());
    e.slow.addEventListener("change", () => state.setView({ slow: e.slow.checked }));
    e.showTest.addEventListener("change", () => this.setOutputView({ showTest: e.showTest.checked }));
    e.discretize.addEventListener("change", () => this.setOutputView({ discretize: e.discretize.checked }));
  }

  // Before the first session: the layout the URL asks for, and the language menu.
  start() {
    languageMenu(this.elements.language, (lang) => { this.state.setView({ lang }); location.reload(); });
    this.setProjector(this.state.view.projector, false);
    this.showSettings(this.state.view.settings, false);
  }

  // The switches as the view says (after a bare lesson link has set it up).
  startSwitches() {
    const { view } = this.state, e = this.elements;
    e.slow.checked = view.slow;
    e.showTest.checked = view.showTest;
    e.discretize.checked = view.discretize;
    this.output.setView({ showTest: view.showTest, discretize: view.discretize });
  }

  setOutputView(changes) {
    this.state.setView(changes);
    this.output.setView(changes);
  }

  // The hyper-parameter row can be folded away (a projector at 1280 x 720 has little height).
  showSettings(on, redraw = true) {
    this.state.setView({ settings: on });
    document.body.classList.toggle("settings-hidden", !on);
    this.elements.settings.setAttribute("aria-pressed", String(on));
    if (redraw) this.session.relayout();
  }

  setProjector(on, redraw = true) {
    const { state, session } = this;
    state.setView({ projector: on });
    document.body.classList.toggle("projector", on);
    this.elements.projector.setAttribute("aria-pressed", String(on));
    const view = new URLSearchParams();
    if (on) view.set("projector", "1");
    if (state.view.lang !== "en") view.set("lang", state.view.lang);
    this.elements.circuit.href = `/circuit${view.toString() ? `?${view}` : ""}`;
    if (!redraw) return;
    session.relayout();
    if (session.current) this.output.setData(session.data, state.config, session.grid);
  }

  toggleHelp() {
    this.elements.helpOverlay.hidden = !this.elements.helpOverlay.hidden;
  }

  closeHelp() {
    this.elements.helpOverlay.hidden = true;
  }
}

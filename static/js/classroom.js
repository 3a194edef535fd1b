// Class mode on the teacher's page: Start class, the class panel (the code in large type, the
// join address and its QR code, the students following), questions (asked with the composer,
// their live answer count, Reveal, the answers' bars beside what happened) and End class.
//
// The teacher token lives in this object only: not in the URL, not in any storage. The page
// follows the class's own event stream for the tallies (its own stream is not a student: the
// count shown leaves it out). When the page's session is rebuilt (revived, imported, a lesson
// opened in class), the class is moved to the new one; the lesson and the slow-motion phase
// shown go to the students as the class's view.
import { api } from "./api.js";
import { ClassStream } from "./classstream.js";
import { QuestionComposer } from "./composer.js";
import { el, svgFrom } from "./dom.js";
import * as format from "./format.js";
import { t } from "./i18n.js";
import { kindOf, targetText } from "./questions.js";
import { renderResults } from "./results.js";

// This page runs in a frame of a student's page (/join/{code}: Explore on my own).
function inStudentsPage() {
  try {
    return window.top !== window && window.top.location.pathname.startsWith("/join/");
  } catch {
    return false; // framed by another site
  }
}

export class Classroom {
  // options:
  //   session   the Session (session.js): id, run(task), listen({show}), draw(frame), report(e)
  //   state     the page's State: view.lang and view.slow; its "view" events (slow motion)
  //   player    the Player: pause() before a question, record(frame) for the reveal's step
  //   net       the NetworkView: markEdge(target | null), the weight a question is about
  //   output    the OutputPlot: markExample(index | null), the point a question is about
  //   lesson    () => the id of the lesson shown, or null
  //   limits    /api/options' limits (the composer's bounds)
  //   elements  { start: the top bar's button, panel: the <aside> the panel is built in,
  //             topbar: what the panel stays below, phases: the slow-motion phase bar (its
  //             data-phase is the phase shown) }
  constructor({ session, state, player, net, output, lesson, limits, elements }) {
    Object.assign(this, { session, state, player, net, output, lesson, elements });
    this.klass = null; // {code, joinUrl, sessionId} while a class runs
    this.question = null;
    this.build(limits);
    elements.start.addEventListener("click", () => (this.klass ? this.showPanel(this.panel.hidden) : this.start()));
    elements.start.hidden = inStudentsPage(); // a student exploring a copy (explore.js) teaches no class
    session.listen({ show: (s) => this.sessionShown(s) });
    state.addEventListener("view", (e) => { if ("slow" in e.detail) this.sendView(); });
    new MutationObserver(() => this.sendView()).observe(elements.phases, { attributes: true, attributeFilter: ["data-phase"] });
    window.addEventListener("beforeunload", (e) => { if (this.klass) e.preventDefault(); }); // the token would be lost
    const place = () => { if (!this.panel.hidden) this.place(); };
    new ResizeObserver(place).observe(elements.topbar);
    window.addEventListener("resize", place);
    window.addEventListener("scroll", place, { passive: true });
  }

  // Below the top bar (while it is in view), over the output column: the network stays clear.
  place() {
    this.panel.style.top = `${Math.max(0, this.elements.topbar.getBoundingClientRect().bottom) + 8}px`;
  }

  get active() { return this.klass !== null; }

  build(limits) {
    const p = (this.panel = this.elements.panel);
    this.code = el("strong", { class: "class-code" });
    this.students = el("output", { class: "students" }, "0");
    this.qrToggle = el("button", { type: "button", class: "qr-toggle", "aria-pressed": "true" }, t("Hide the QR code"));
    this.qr = el("div", { class: "qr", role: "img", "aria-label": t("QR code of the join address") });
    this.link = el("a", { class: "join-url", target: "_blank", rel: "noopener" });
    this.join = el("div", { class: "class-join" }, this.qr, el("p", { class: "join-at" }, el("span", {}, t("Join at")), " ", this.link));
    this.prompt = el("p", { class: "q-prompt" });
    this.tally = el("p", { class: "q-tally", "aria-live": "polite" });
    this.right = el("select", { class: "right-answer", "aria-label": t("The right answer") });
    this.revealButton = el("button", { type: "button", class: "primary reveal" }, t("Reveal"));
    this.results = el("div", { class: "q-results" });
    this.questionBox = el("section", { class: "class-question", "aria-label": t("Question") }, this.prompt, this.tally,
      el("div", { class: "inline q-reveal" }, this.right, this.revealButton), this.results);
    this.askButton = el("button", { type: "button", class: "primary ask" }, t("Ask a question"));
    this.endButton = el("button", { type: "button", class: "end" }, t("End class"));
    const composeRoot = el("div", { class: "class-compose" });
    p.replaceChildren(
      el("div", { class: "class-side" },
        el("header", { class: "class-head" },
          el("div", { class: "class-id" }, el("span", { class: "label" }, t("Class code")), this.code),
          el("div", { class: "class-count" }, this.students, " ", el("span", {}, t("following"))),
          this.qrToggle),
        this.join),
      el("div", { class: "class-work" }, this.questionBox, composeRoot,
        el("footer", { class: "class-actions" }, this.askButton, this.endButton)));
    p.setAttribute("aria-label", t("Class"));
    this.composer = new QuestionComposer(composeRoot, {
      limits,
      context: () => this.network(),
      mark: (kind, target) => this.markTarget(kind, target),
      submit: (body) => this.ask(body),
      toggled: () => { this.askButton.hidden = this.composer.open; this.fit(); },
    });
    this.qrToggle.addEventListener("click", () => this.showQr(this.join.hidden));
    this.askButton.addEventListener("click", () => { this.player.pause(); this.composer.show(); });
    this.revealButton.addEventListener("click", () => this.reveal());
    this.endButton.addEventListener("click", () => this.end());
    this.questionBox.hidden = true;
  }

  network() {
    const c = this.session.config;
    return { layers: c.hidden.length + 1, problem: c.problem, classes: c.classes };
  }

  // Start class: the code, the join address (in the page's language) and its QR code.
  start() {
    if (!this.session.id) return;
    return this.session.run(async () => {
      const c = await api.startClass(this.session.id, this.state.view.lang);
      this.#token = c.teacher_token;
      this.klass = { code: c.code, joinUrl: c.join_url, sessionId: this.session.id };
      this.code.textContent = c.code;
      this.link.href = c.join_url;
      this.link.textContent = c.join_url.replace(/^http:\/\//, "");
      const svg = svgFrom(c.qr_svg);
      this.qr.replaceChildren(...(svg ? [svg] : []));
      this.setStudents(0);
      this.question = null;
      this.questionBox.hidden = true;
      this.askButton.textContent = t("Ask a question");
      this.stream = new ClassStream(c.code, { tally: (d) => this.tallied(d) }, (s) => {
        if (s === "ended" && this.klass?.code === c.code) this.end(t("The class has ended.")); // it expired
      });
      this.elements.start.textContent = t("Class {code}", { code: c.code });
      this.showPanel(true);
      this.showQr(true);
      this.sentView = null;
      this.sendView();
    });
  }

  #token = null;

  showPanel(on) {
    this.panel.hidden = !on;
    if (on) this.place();
    this.elements.start.setAttribute("aria-pressed", String(on));
    this.elements.start.setAttribute("aria-expanded", String(on));
  }

  // The QR code takes room: hidden, the lesson and the network show beside the panel.
  showQr(on) {
    if (!this.klass) return;
    this.join.hidden = !on;
    this.qrToggle.setAttribute("aria-pressed", String(on));
    this.qrToggle.textContent = on ? t("Hide the QR code") : t("Show the QR code");
    this.fit();
  }

  // The QR code beside a question (or the composer): two columns, neither scrolled away.
  fit() {
    this.panel.classList.toggle("two", !this.join.hidden && (!this.questionBox.hidden || this.composer.open));
  }

  toggleQr() {
    if (!this.klass) return;
    this.showPanel(true);
    this.showQr(this.join.hidden);
  }

  setStudents(n) {
    this.students.textContent = format.count(Math.max(0, n));
  }

  // The stream's tallies count every stream following, this page's own among them.
  tallied({ question, answers, students }) {
    this.setStudents(students - 1);
    if (this.question && question === this.question.id && this.question.state === "open") {
      this.question.answers = answers;
      this.showTally();
    }
  }

  showTally() {
    const q = this.question;
    this.tally.textContent = q.state === "open"
      ? t("{n} of {m} answered", { n: format.count(q.answers), m: this.students.textContent })
      : t("{n} answered", { n: format.count(q.answers) });
  }

  async ask(body) {
    this.player.pause();
    const { id } = await api.ask(this.klass.code, this.#token, body);
    this.question = { id, ...body, state: "open", answers: 0 };
    this.prompt.replaceChildren(body.prompt, ...(body.target ? [" ", el("span", { class: "q-target" }, `(${targetText(body)})`)] : []));
    this.showTally();
    const given = !kindOf(body.kind).observed;
    this.right.replaceChildren(el("option", { value: "" }, t("No right answer")),
      ...body.choices.map((c, i) => el("option", { value: String(i) }, t("Right: {choice}", { choice: c }))));
    this.right.hidden = !given;
    this.revealButton.hidden = false;
    this.revealButton.disabled = false;
    this.results.replaceChildren(el("ol", { class: "results pending" },
      ...body.choices.map((c) => el("li", { class: "result" }, el("span", { class: "choice" }, c)))));
    this.questionBox.hidden = false;
    this.askButton.textContent = t("Ask another question");
    this.fit();
  }

  // Reveal: for the observed kinds the server runs the step; its frame is drawn as a Step's.
  reveal() {
    const q = this.question;
    if (!q || q.state !== "open") return;
    this.player.pause();
    this.revealButton.disabled = true;
    const body = this.right.hidden || this.right.value === "" ? {} : { answer: Number(this.right.value) };
    return this.session.run(async () => {
      try {
        const r = await api.reveal(this.klass.code, this.#token, q.id, body);
        if (r.frame) {
          this.player.record(r.frame);
          this.session.draw(r.frame);
        }
        Object.assign(q, r.question);
        this.showTally();
        this.revealButton.hidden = this.right.hidden = true;
        renderResults(this.results, q);
      } finally {
        this.revealButton.disabled = false;
      }
    });
  }

  // End class (the teacher), or say that it ended (`why`: it expired on the server).
  end(why = null) {
    if (!this.klass) return;
    const { code } = this.klass, token = this.#token;
    this.stream?.close();
    this.klass = null;
    this.#token = null;
    this.question = null;
    this.composer.close();
    this.markTarget(null, null);
    this.showPanel(false);
    this.elements.start.textContent = t("Start class");
    this.elements.start.removeAttribute("aria-expanded");
    if (why) { this.session.say(why); return; }
    return api.endClass(code, token).catch((e) => { if (e.status !== 404) this.session.report(e); });
  }

  // Clicks on the page while the composer wants a target: taken (true) or left to the page.
  pickWeight(target) { return this.active && this.composer.pickWeight(target); }
  pickPoint(index) { return this.active && this.composer.pickPoint(index); }

  // A point question's panel moves over the data column: the output plot stays clickable and
  // in view.
  markTarget(kind, target) {
    this.net.markEdge(kind === "weight" ? target : null);
    this.output.markExample(kind === "point" && target ? target.index : null);
    this.panel.classList.toggle("left", (kind ?? this.question?.kind) === "point");
  }

  // A new session on the page (revived, imported, a lesson opened): the class follows it.
  sessionShown(s) {
    if (!this.klass) return;
    if (s.id !== this.klass.sessionId) {
      this.klass.sessionId = s.id;
      api.moveClass(this.klass.code, this.#token, s.id).catch((e) => this.session.report(e));
    }
    this.sendView();
  }

  // The lesson, the phase and slow motion as the students should see them; only a change is
  // sent, one request at a time (the latest wins).
  sendView() {
    if (!this.klass) return;
    const phase = this.elements.phases.dataset.phase || null;
    const view = { lesson: this.lesson(), phase, slow: Boolean(this.state.view.slow) };
    const key = JSON.stringify(view);
    if (key === this.sentView) return;
    this.sentView = key;
    const { code } = this.klass;
    this.viewing = (this.viewing || Promise.resolve()).then(() => (this.klass?.code === code
      ? api.setView(code, this.#token, view).catch((e) => this.session.report(e)) : null));
  }
}

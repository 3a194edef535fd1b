// Explore on my own: the teacher's network now (configuration, data, weights, counters)
// copied into a session of the student's own (POST /api/classes/{code}/explore), and the full
// lab page run on it in a frame on this page (/?session=<id>: the main page adopts it). This
// page keeps following the class meanwhile: a question the teacher opens is announced above
// the frame. Back to the teacher closes the frame (the copy is deleted) and follows again.
import { api } from "./api.js";
import { t } from "./i18n.js";

export class Explore {
  // code      the class code; lang: the page's language, for the lab page
  // elements  { start: Explore on my own, back: Back to the teacher, root: the section with
  //           the frame, frame: the <iframe>, note: the line that announces a question,
  //           following: what the page shows while following }
  // paused    (on): following is paused (true) or resumed (false)
  // report    (text): say what went wrong
  constructor({ code, lang, elements, paused, report }) {
    Object.assign(this, { code, lang, elements, paused, report });
    this.id = null;
    elements.start.addEventListener("click", () => this.start());
    elements.back.addEventListener("click", () => this.back());
  }

  get exploring() { return this.id !== null; }

  async start() {
    const e = this.elements;
    e.start.disabled = true;
    try {
      const s = await api.explore(this.code);
      this.id = s.id;
      const q = new URLSearchParams({ session: s.id });
      if (this.lang !== "en") q.set("lang", this.lang);
      e.frame.src = `/?${q}`;
      e.note.textContent = "";
      e.root.hidden = false;
      e.following.hidden = true;
      this.paused(true);
    } catch (err) {
      this.report(err.message);
    } finally {
      e.start.disabled = false;
    }
  }

  back() {
    const e = this.elements;
    if (this.id) api.remove(this.id).catch(() => {});
    this.id = null;
    e.frame.src = "about:blank";
    e.root.hidden = true;
    e.following.hidden = false;
    this.paused(false);
  }

  // The teacher asked something while the student explores: say so above the frame.
  announce(question) {
    if (this.exploring && question.state === "open") this.elements.note.textContent = t("The teacher asks a question: go back to answer it.");
  }
}

// A student's answer card: the teacher's question with one big button a choice (one tap
// answers; the chosen one stays highlighted; another tap changes it until the reveal), then
// the answers' bars beside what happened, and whether this student's answer was right.
// Answers are sent under the device's own random id (made once, kept in localStorage).
import { api, ApiError } from "./api.js";
import { el } from "./dom.js";
import { t } from "./i18n.js";
import { targetText } from "./questions.js";
import { renderResults } from "./results.js";

const ID_KEY = "backprop-lab-student";

// The device's student id: 128 random bits (crypto.randomUUID needs https; this may be http).
export function studentId(storage = localStorage) {
  let id = storage.getItem(ID_KEY);
  if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    storage.setItem(ID_KEY, id);
  }
  return id;
}

export class AnswerCard {
  // root   the card's <section>
  // code   the class code
  // mark   (question | null): show what the question is about (its weight, its point)
  constructor(root, { code, mark }) {
    Object.assign(this, { root, code, mark });
    this.student = studentId();
    this.key = `backprop-lab-answers-${code}`;
    this.mine = JSON.parse(localStorage.getItem(this.key) || "{}"); // {question id: choice}
    this.question = null;
  }

  // A question event: open (answerable), revealed (with its counts), or closed (replaced).
  show(q) {
    this.question = q;
    if (q.state === "closed") { this.hide(); return; }
    this.mark(q);
    const target = targetText(q);
    this.prompt = el("p", { class: "prompt" }, q.prompt, target ? el("span", { class: "target" }, ` (${target})`) : "");
    this.note = el("p", { class: "note", "aria-live": "polite" });
    const close = el("button", { type: "button", class: "close", "aria-label": t("Close the question") }, "×");
    close.addEventListener("click", () => this.hide());
    const head = el("header", {}, el("span", { class: "label" }, t("Question")), close);
    close.hidden = q.state === "open";
    if (q.state === "revealed") {
      const body = el("div", { class: "revealed" });
      renderResults(body, q, this.choiceOf(q.id));
      this.root.replaceChildren(head, this.prompt, body);
    } else {
      this.buttons = q.choices.map((c, i) => {
        const b = el("button", { type: "button", class: "choice", "aria-pressed": "false" }, c);
        b.addEventListener("click", () => this.choose(i));
        return b;
      });
      this.root.replaceChildren(head, this.prompt, el("div", { class: "choices" }, ...this.buttons), this.note);
      this.highlight(this.choiceOf(q.id));
      this.note.textContent = this.choiceOf(q.id) === null ? t("Tap your prediction.") : t("You can change it until the reveal.");
    }
    this.root.hidden = false;
    this.root.classList.toggle("open", q.state === "open");
  }

  hide() {
    this.root.hidden = true;
    this.mark(null);
  }

  choiceOf(qid) {
    return Object.hasOwn(this.mine, qid) ? this.mine[qid] : null;
  }

  highlight(choice) {
    this.buttons.forEach((b, i) => b.setAttribute("aria-pressed", String(i === choice)));
  }

  async choose(i) {
    const q = this.question;
    if (!q || q.state !== "open") return;
    const before = this.choiceOf(q.id);
    this.highlight(i);
    try {
      await api.answer(this.code, q.id, this.student, i);
      this.mine = { [q.id]: i }; // only the latest question's answer is worth keeping
      localStorage.setItem(this.key, JSON.stringify(this.mine));
      this.note.textContent = t("Sent. You can change it until the reveal.");
    } catch (e) {
      this.highlight(before);
      this.note.textContent = e instanceof ApiError && e.status === 409 ? t("The answers are closed.") : e.message;
    }
  }
}

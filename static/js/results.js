// A revealed question's answers as bars beside what happened: the teacher's class panel and
// the students' answer cards draw it the same way. One row a choice (its label, a bar as long
// as its share, the count), the right one marked ✓; a student's own choice marked "you".
//
//   renderResults(root, q, mine)  q: the question as the reveal gives it ({choices, counts,
//                                 what_happened, kind, target}); mine: the index this student
//                                 chose, null when none, undefined on the teacher's page
import { el } from "./dom.js";
import * as format from "./format.js";
import { t } from "./i18n.js";
import { choiceColor, happened } from "./questions.js";

export function renderResults(root, q, mine) {
  const counts = q.counts || q.choices.map(() => 0);
  const total = counts.reduce((a, b) => a + b, 0);
  const right = q.what_happened?.answer ?? null;
  const rows = q.choices.map((label, i) => {
    const fill = el("span", { class: "fill" });
    fill.style.width = `${total ? (100 * counts[i]) / total : 0}%`;
    const color = choiceColor(q, i);
    if (color) fill.style.background = color;
    const row = el("li", { class: `result${i === right ? " right" : ""}${i === mine ? " mine" : ""}` },
      el("span", { class: "choice" }, i === right ? `✓ ${label}` : label,
        i === mine ? el("span", { class: "you" }, t("you")) : ""),
      el("span", { class: "bar" }, fill),
      el("span", { class: "count" }, format.count(counts[i])));
    row.setAttribute("aria-label", t("{choice}: {n} answers", { choice: label, n: counts[i] }));
    return row;
  });
  const parts = [el("ol", { class: "results" }, ...rows), el("p", { class: "happened" }, happened(q))];
  if (mine !== undefined) parts.push(el("p", { class: "verdict" }, verdict(q, mine, right)));
  root.replaceChildren(...parts);
}

function verdict(q, mine, right) {
  if (mine === null) return t("You did not answer this one.");
  if (right === null) return t("Your answer: {choice}.", { choice: q.choices[mine] });
  return mine === right ? t("Your answer, {choice}, was right.", { choice: q.choices[mine] })
    : t("Your answer was {choice}: not this time.", { choice: q.choices[mine] });
}

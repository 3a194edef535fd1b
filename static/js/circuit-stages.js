// A staged program's lines as the notes write them: each name with its formula and value
// (forward), and beside it the notes' backward variable d<name> with its number, filled in as
// the backward pass reaches it. Four significant digits (format.precise), as the notes print.
import { el } from "./dom.js";
import { t } from "./i18n.js";
import { precise } from "./format.js";

// The gradient of a node, once every branch of it is in (the output's: once seeded).
function finished(tl, s, id) {
  if (id === tl.c.output.node) return s.seeded;
  const out = tl.outgoing.get(id);
  return out.length > 0 && out.every((e) => s.wireGrad.has(e));
}

export function renderStages(host, tl, s) {
  const stages = tl.c.stages ?? [];
  host.hidden = stages.length === 0;
  if (!stages.length) return;
  const inputs = tl.c.nodes.filter((n) => n.op === "input").map((n) => ({ line: "", name: n.name, node: n.id, text: null }));
  const head = el("tr", {}, el("th", { class: "line" }, t("line")), el("th", {}, t("forward")), el("th", { class: "num" }, t("value")),
    el("th", { class: "num" }, t("backward: d name = ∂f/∂name")));
  const rows = [...inputs, ...stages].map((row) => {
    const n = tl.byId.get(row.node);
    const code = row.text === null ? `${row.name}  ${t("(input)")}` : `${row.name} = ${row.text}`;
    const g = finished(tl, s, n.id) ? s.grad.get(n.id) ?? n.grad : null;
    return el("tr", { "data-name": row.name, class: n.id === s.current ? "current" : "" },
      el("td", { class: "line" }, String(row.line)),
      el("td", { class: "code" }, code),
      el("td", { class: "num value" }, s.computed.has(n.id) ? precise(n.value) : ""),
      el("td", { class: "num grad" }, g === null ? "" : `d${row.name} = ${precise(g)}`));
  });
  host.replaceChildren(el("caption", {}, t("The program's names, as in the notes")), el("thead", {}, head), el("tbody", {}, ...rows));
}

// A page's keyboard as one table: the same rows drive its keydown handler and the help list in
// the ? overlay, so a key cannot work without being listed, or be listed without working.
//
// bindKeys({ rows, actions, list, target = document }) with
//   rows:    [{ keys: ["r", "R"], label: "R", help: "Reset", action: "reset", shift, anywhere }, ...]
//            keys are KeyboardEvent.key values; shift true or false asks for Shift down or up
//            (left out: either); anywhere: the key works in a text field too (Esc).
//            The first row that matches a key wins.
//   actions: { reset: () => ..., ... }, one function per action a row names
//   list:    the <dl> of the help overlay, filled with one <dt>label</dt><dd>help</dd> per row
// returns { rows, handle(event) }.
import { fillKeys } from "./dom.js";

// Inputs that are pressed, not typed in: Space on them is Play/Pause, not a toggle or a click.
const PRESSED = new Set(["checkbox", "radio", "button", "submit", "reset", "file", "color", "image"]);

// Keys belong to the focused element when it takes typed text (text and number fields, selects,
// textareas, sliders, editable content).
export function typing(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  const field = target.closest("input, select, textarea");
  if (!field) return false;
  return field.localName !== "input" || !PRESSED.has(field.type);
}

export function bindKeys({ rows, actions, list, target = document }) {
  for (const row of rows) {
    if (typeof actions[row.action] !== "function") throw new Error(`no action "${row.action}" for the key ${row.label}`);
  }
  const find = (e) => rows.find((r) => r.keys.includes(e.key) && (r.shift === undefined || r.shift === e.shiftKey));
  const handle = (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const row = find(e);
    if (!row || (!row.anywhere && typing(e.target))) return;
    e.preventDefault(); // no scrolling on Space or an arrow, no toggling of a focused checkbox
    actions[row.action](e);
  };
  // A focused button or checkbox is pressed on the key's release: keep that from undoing the
  // key's action (Play, then a click on the focused Play button: paused again).
  const release = (e) => {
    if (!(e.ctrlKey || e.metaKey || e.altKey) && find(e) && !typing(e.target)) e.preventDefault();
  };
  target.addEventListener("keydown", handle);
  target.addEventListener("keyup", release);
  if (list) fillKeys(list, rows.map((r) => [r.label, r.help]));
  return { rows, handle };
}

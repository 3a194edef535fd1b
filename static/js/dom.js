// el("div", {class: "x", onclick: f, "aria-label": "..."}, ...children): a DOM element.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

// The play button's two faces, shared by the network view and the circuit view.
export const ICONS = {
  play: '<svg viewBox="0 0 24 24" width="26" height="26"><path d="M7 4l13 8-13 8z" fill="currentColor"/></svg>',
  pause: '<svg viewBox="0 0 24 24" width="26" height="26"><path d="M6 4h4v16H6zM14 4h4v16h-4z" fill="currentColor"/></svg>',
};

// The help overlay's list: [[key, what it does], ...] as <dt>/<dd> pairs.
export function fillKeys(dl, keys) {
  dl.append(...keys.flatMap(([k, what]) => [el("dt", {}, k), el("dd", {}, what)]));
}

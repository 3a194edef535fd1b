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

// MathML from the server as nodes of MathML only: the markup is parsed in an inert document
// (nothing in it loads or runs) and copied element by element, keeping only MathML elements
// and presentation attributes (no href, style or on...). Every formula goes in through here.
const MATHML = "http://www.w3.org/1998/Math/MathML";
const MATH_ELEMENTS = new Set(("math mrow mi mn mo ms mtext mspace msub msup msubsup mfrac msqrt mroot mstyle " +
  "mpadded mphantom menclose merror mover munder munderover mtable mtr mtd mlabeledtr mmultiscripts mprescripts " +
  "none semantics").split(" "));
const MATH_ATTRIBUTES = new Set(("display mathvariant mathcolor mathbackground mathsize displaystyle scriptlevel " +
  "stretchy fence separator largeop movablelimits accent accentunder form lspace rspace minsize maxsize symmetric " +
  "linethickness columnalign columnlines columnspacing rowalign rowlines rowspacing frame framespacing equalrows " +
  "equalcolumns width height depth voffset notation linebreak columnspan rowspan align").split(" "));

function copyMath(node) {
  if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.data);
  if (node.nodeType !== Node.ELEMENT_NODE || node.namespaceURI !== MATHML || !MATH_ELEMENTS.has(node.localName)) return null;
  const e = document.createElementNS(MATHML, node.localName);
  for (const a of node.attributes) if (MATH_ATTRIBUTES.has(a.name)) e.setAttribute(a.name, a.value);
  for (const child of node.childNodes) {
    const copy = copyMath(child);
    if (copy) e.append(copy);
  }
  return e;
}

export function mathml(markup) {
  const inert = new DOMParser().parseFromString(`<!DOCTYPE html><body>${markup}`, "text/html");
  const out = document.createDocumentFragment();
  for (const child of [...inert.body.childNodes].map(copyMath)) if (child) out.append(child);
  return out;
}

// An SVG drawing from the server (the class's QR code, made by segno) as an inert <svg>
// element that scales with its box: parsed in an inert document (nothing in it loads or runs),
// refused unless it is one <svg> with nothing in it that runs or embeds (script,
// foreignObject, event attributes, links). null when refused.
const SVG = "http://www.w3.org/2000/svg";
const UNSAFE = "script, foreignObject, iframe, object, embed, use, a, image, animate, set, style";

export function svgFrom(markup) {
  const inert = new DOMParser().parseFromString(`<!DOCTYPE html><body>${markup}`, "text/html");
  const svg = inert.body.firstElementChild;
  if (inert.body.children.length !== 1 || svg.namespaceURI !== SVG || svg.localName !== "svg") return null;
  if (svg.querySelector(UNSAFE)) return null;
  for (const e of [svg, ...svg.querySelectorAll("*")]) {
    if ([...e.attributes].some((a) => /^on/i.test(a.name) || /href$/i.test(a.name))) return null;
  }
  const w = svg.getAttribute("width"), h = svg.getAttribute("height");
  if (!svg.hasAttribute("viewBox") && w && h) svg.setAttribute("viewBox", `0 0 ${parseFloat(w)} ${parseFloat(h)}`);
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  return document.importNode(svg, true);
}

// The inspector's drawer and the equations in it. The drawer opens beside the output, below
// the top bar: the output plot stays uncovered (click another point while it is open) and so
// do Slow motion, the phase names and Next phase. Wide equations break at their "=" signs
// and, only if a line is still too wide, are set smaller.

const MATHML = "http://www.w3.org/1998/Math/MathML";
const GAP = 12; // px between the drawer and the output column
const WIDEST = 720; // px; in projector mode the drawer may take the whole network column

export class Drawer {
  // drawer: the <aside>; topbar: what it stays below; output: what it stays left of.
  constructor(drawer, { topbar, output }) {
    this.drawer = drawer;
    this.topbar = topbar;
    this.output = output;
    const place = () => { if (!drawer.hidden) this.place(); };
    // opened (by a point, a neuron or an edge): placed, and what it shows fitted to its width
    new MutationObserver(() => { if (!drawer.hidden) { this.place(); fitEquations(drawer); } })
      .observe(drawer, { attributes: true, attributeFilter: ["hidden"] });
    new ResizeObserver(place).observe(topbar);
    window.addEventListener("resize", place);
    window.addEventListener("scroll", place, { passive: true });
  }

  place() {
    const top = Math.max(0, this.topbar.getBoundingClientRect().bottom);
    const right = Math.max(280, this.output.getBoundingClientRect().left - GAP);
    const projector = document.body.classList.contains("projector");
    Object.assign(this.drawer.style, {
      top: `${top}px`, left: "0px", width: `${projector ? right : Math.min(WIDEST, right)}px`,
    });
  }
}

// Fit every equation of root into its box: split at the top level's "=" into lines (each
// further line starts with its "="), then scale a line down that is still too wide.
export function fitEquations(root) {
  for (const div of root.querySelectorAll(".eq")) {
    const width = div.clientWidth;
    if (!width) continue;
    let maths = [...div.querySelectorAll("math")];
    if (maths.length === 1 && maths[0].getBoundingClientRect().width > width) maths = splitAtEquals(maths[0]);
    for (const math of maths) {
      math.style.fontSize = "";
      const wide = math.getBoundingClientRect().width / width;
      const em = parseFloat(getComputedStyle(math).fontSize) / parseFloat(getComputedStyle(div).fontSize);
      if (wide > 1) math.style.fontSize = `${(em * Math.max(0.45, 0.98 / wide)).toFixed(3)}em`;
    }
  }
}

function splitAtEquals(math) {
  const row = math.children.length === 1 && math.firstElementChild.localName === "mrow" ? math.firstElementChild : math;
  const lines = [[]];
  for (const node of [...row.children]) {
    if (node.localName === "mo" && node.textContent.trim() === "=" && lines.at(-1).length) lines.push([]);
    lines.at(-1).push(node);
  }
  if (lines.length === 1) return [math];
  if (lines.length > 2) lines.splice(0, 2, [...lines[0], ...lines[1]]); // z = W a + b: the symbols, on one line
  const maths = lines.map((nodes, i) => {
    const m = document.createElementNS(MATHML, "math");
    m.classList.add("line");
    if (i > 0) m.classList.add("continued");
    const r = document.createElementNS(MATHML, "mrow");
    r.append(...nodes);
    m.append(r);
    return m;
  });
  math.replaceWith(...maths);
  return maths;
}

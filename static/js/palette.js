// One diverging, colour-blind-safe scale for every signed value on the page (weights,
// gradients, activations, the boundary): orange negative, white zero, blue positive.
// Classes of a multi-class problem get a categorical set (Okabe-Ito). Every colour the page
// draws with in JavaScript is written here once (the CSS sets --neg, --pos and --accent to
// the same three).

import { decode } from "./typed.js";

export const NEGATIVE = "#f59322"; // class 0 of a binary problem, and negative values
export const POSITIVE = "#0877bd"; // class 1, and positive values
export const INK = "#183d4e"; // lines drawn over the data: the loss, the boundary, a marked z
export const MARK = "#d62728"; // a ring around the example slow motion (or a question) is about
export const CLASS_COLORS = [NEGATIVE, POSITIVE, "#009e73", "#cc79a7", "#56b4e9"];
// The two runs of the comparison page (compare.js), in their headers and on their loss curves:
// ink and a purple, apart from the value scale's orange and blue and from every class colour.
export const SIDES = [INK, "#8a4fbf"];
// The loss landscape (landscape.js): low loss pale, high loss a muted ink, so that the path
// drawn in INK and the current point in MARK stand out anywhere on it.
export const LOSS_SCALE = [[0, "#f7fafb"], [0.5, "#b7cad3"], [1, "#56798a"]];
export const FADED = "rgba(24, 61, 78, 0.3)"; // INK, faded: the run a rewind left behind
export const CURSOR = "#d62728"; // the timeline's cursor on the charts: the moment shown
const rgb = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
const NEG = rgb(NEGATIVE);
const MID = [255, 255, 255];
const POS = rgb(POSITIVE);
const CLASS_RGB = CLASS_COLORS.map(rgb);

// A point's colour by its label: binary 0/1, a class index, or (regression) the value itself
// on the signed scale, clipped to [-1, 1].
export function labelColor(y, problem) {
  if (problem === "binary") return y > 0.5 ? POSITIVE : NEGATIVE;
  if (problem === "multiclass") return CLASS_COLORS[y % CLASS_COLORS.length];
  return color(y);
}

const LUT = new Uint8ClampedArray(256 * 3);
for (let i = 0; i < 256; i++) {
  const t = i / 255 * 2 - 1;
  const [a, b] = t < 0 ? [MID, NEG] : [MID, POS];
  const u = Math.abs(t);
  for (let c = 0; c < 3; c++) LUT[i * 3 + c] = Math.round(a[c] + (b[c] - a[c]) * u);
}

// v in [-1, 1] -> "rgb(...)", on 64 steps (finer is invisible; fewer colours draw faster)
export function color(v) {
  const i = Math.max(0, Math.min(255, Math.round(Math.round((v + 1) * 31.5) * (255 / 63))));
  return `rgb(${LUT[i * 3]},${LUT[i * 3 + 1]},${LUT[i * 3 + 2]})`;
}

// A value's position on the scale: centre c, half-width w; values beyond clip.
export function paint(image, values, center, halfWidth, discretize = false) {
  const data = image.data;
  const inv = halfWidth > 0 ? 1 / halfWidth : 0;
  for (let i = 0; i < values.length; i++) {
    let t = (values[i] - center) * inv;
    if (discretize) t = t < 0 ? -1 : 1;
    const k = Math.max(0, Math.min(255, Math.round((t + 1) * 127.5))) * 3;
    data[i * 4] = LUT[k];
    data[i * 4 + 1] = LUT[k + 1];
    data[i * 4 + 2] = LUT[k + 2];
    data[i * 4 + 3] = 255;
  }
}

// Multi-class: each pixel takes the colour of its most probable class, paler when unsure.
export function paintClasses(image, maps, discretize = false) {
  const data = image.data;
  const n = maps[0].length;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < maps.length; k++) if (maps[k][i] > maps[best][i]) best = k;
    const p = discretize ? 1 : maps[best][i];
    const rgb = CLASS_RGB[best % CLASS_RGB.length];
    for (let c = 0; c < 3; c++) data[i * 4 + c] = Math.round(255 + (rgb[c] - 255) * p * 0.85);
    data[i * 4 + 3] = 255;
  }
}

// Map rows run with y upwards; the canvas's first row is its top.
export function flipRows(maps, R) {
  return maps.map((v) => {
    const out = new Float32Array(v.length);
    for (let r = 0; r < R; r++) out.set(v.subarray((R - 1 - r) * R, (R - r) * R), r * R);
    return out;
  });
}

// The network's output over a 2-D grid ({resolution, output}: one map, or one per class)
// painted into an R x R image, top row first: a class's colour (multi-class), else the
// signed scale over `range` (the problem's output range).
export function paintOutput(image, grid, problem, range, discretize = false) {
  const R = grid.resolution;
  if (problem === "multiclass") {
    paintClasses(image, flipRows(grid.output.map((m) => decode(m).values), R), discretize);
    return;
  }
  const [center, half] = scaleFor(range);
  paint(image, flipRows([decode(grid.output).values], R)[0], center, half, discretize);
}

// Where values sit on the scale, [centre, half-width]: a bounded activation's range
// (/api/options: tanh's (-1, 1), sigmoid's (0, 1)) fills it; unbounded values are centred
// on 0 and as wide as `extent`, their largest |value| (1 when there is none).
export function scaleFor(range, extent = 1) {
  return range ? [(range[0] + range[1]) / 2, (range[1] - range[0]) / 2] : [0, extent || 1];
}

// Layers from input to output, light to dark: a ramp from the page's green through its blue
// to its ink (#183d4e), spaced evenly in lightness so that even nine layers stay apart, and
// the orange of negative values and class 0 never among them.
const RAMP = [[120, 200, 150], [38, 160, 172], [8, 119, 189], [30, 70, 140], [24, 30, 70]];

export function layerColor(l, n) {
  if (n === 1) return POSITIVE;
  const u = (l / (n - 1)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(u)), f = u - i;
  const c = RAMP[i].map((v, k) => Math.round(v + (RAMP[i + 1][k] - v) * f));
  return `rgb(${c.join(",")})`;
}

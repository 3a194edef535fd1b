// Every number the page shows is written here, so that the same z reads the same in a
// tooltip, an equation and a caption.
//
// The rule (value, texValue) is the server's, app/equations.py `_num`: three significant
// digits (Python's "%.3g": trailing zeros dropped, exponent form from 1000 up), and below
// 0.001 always exponent form with two decimals ("%.2e", zeros kept: 2.70e-05). Rounding is
// half to even on the exact decimal expansion, as Python rounds (JS's toPrecision rounds
// ties up), so both sides print the same digits for every double.
//
//   value(v)    text for tooltips, captions, titles, the circuit: "−0.124", "2.70 × 10⁻⁵"
//   texValue(v) the same number in LaTeX for equations: "-0.124", "2.70 \times 10^{-5}"
//   loss(v)     the loss counters and captions: four decimals, "3.000 × 10¹⁰" from 10⁴ up
//   percent(p)  a fraction as a percentage with one decimal: 0.9731 -> "97.3%"
//   rate(r)     a learning rate, plain decimal to three significant digits: "0.03"
//   count(n)    a step or epoch counter with thousands separators: "12,345"
//   weight(v)   an editable weight, as the number input takes it back: "-0.1235"
//   precise(v)  the circuit's named stages, four significant digits: "3.018", "−0.7916"
// Missing values (null, undefined, NaN) read "–" in every text form.

export const MISSING = "–";
const MINUS = "−"; // U+2212, as MathML shows the minus of an equation
const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

const absent = (v) => v === null || v === undefined || Number.isNaN(v);

// |v| (finite, not 0) rounded to p significant digits: [digits, exponent], 1.2345 -> ["123", 0]
function significant(v, p) {
  const [head, tail] = Math.abs(v).toExponential(20).split("e");
  const all = head.replace(".", "");
  let exponent = Number(tail);
  let digits = all.slice(0, p);
  const rest = all.slice(p);
  const half = "5".padEnd(rest.length, "0");
  const up = rest > half || (rest === half && Number(digits[p - 1]) % 2 === 1);
  if (up) {
    const n = (BigInt(digits) + 1n).toString();
    if (n.length > p) exponent += 1;
    digits = n.slice(0, p);
  }
  return [digits, exponent];
}

// The server's rule as parts: sign, mantissa, and the exponent (null in fixed form).
function parts(v) {
  const sign = v < 0 || Object.is(v, -0) ? "-" : "";
  if (v === 0) return [sign, "0", null];
  if (Math.abs(v) < 1e-3) { // "%.2e"
    const [d, e] = significant(v, 3);
    return [sign, `${d[0]}.${d.slice(1)}`, e];
  }
  const [d, e] = significant(v, 3); // "%.3g"
  const strip = (s) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
  if (e >= 3) return [sign, strip(`${d[0]}.${d.slice(1)}`), e];
  const fixed = e >= 0 ? `${d.slice(0, e + 1)}.${d.slice(e + 1)}` : `0.${"0".repeat(-e - 1)}${d}`;
  return [sign, strip(fixed), null];
}

const superscript = (k) => String(k).replace(/./g, (c) => SUPERSCRIPT[c]);

// Text: the server's digits, a typographic minus, m × 10ᵏ.
export function value(v) {
  if (absent(v)) return MISSING;
  if (!Number.isFinite(v)) return v > 0 ? "∞" : `${MINUS}∞`;
  const [sign, m, e] = parts(v);
  return `${sign && MINUS}${m}${e === null ? "" : ` × 10${superscript(e)}`}`;
}

// LaTeX, character for character what app/equations.py `_num` writes.
export function texValue(v) {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  const [sign, m, e] = parts(v);
  return `${sign}${m}${e === null ? "" : ` \\times 10^{${e}}`}`;
}

export function loss(v) {
  if (absent(v)) return MISSING;
  if (!Number.isFinite(v) || Math.abs(v) < 1e4) return Number.isFinite(v) ? v.toFixed(4) : value(v);
  const [m, e] = v.toExponential(3).split("e");
  return `${m.replace("-", MINUS)} × 10${superscript(Number(e))}`;
}

export function percent(p) {
  return absent(p) ? MISSING : `${(100 * p).toFixed(1)}%`;
}

export function rate(r) {
  if (absent(r)) return MISSING;
  // toPrecision writes 1e-7 as "1.00e-7": written out, it is what the rate field shows
  const s = String(Number(r.toPrecision(3)));
  return s.includes("e") ? Number(s).toFixed(20).replace(/0+$/, "") : s;
}

export function count(n) {
  return absent(n) ? MISSING : n.toLocaleString("en");
}

// Four significant digits, in JavaScript's number syntax (a number input reads it back).
export function weight(v) {
  return absent(v) ? "" : String(Number(v.toPrecision(4)));
}

// Four significant digits, for the circuit's table of a program's named stages (3.018,
// −0.7916): one digit more than value(), as the notes print them. Exponent form as value().
export function precise(v) {
  if (absent(v) || !Number.isFinite(v) || v === 0 || Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4) return value(v);
  const [d, e] = significant(v, 4);
  const fixed = e >= 0 ? `${d.slice(0, e + 1)}.${d.slice(e + 1)}` : `0.${"0".repeat(-e - 1)}${d}`;
  return `${v < 0 ? MINUS : ""}${fixed.includes(".") ? fixed.replace(/0+$/, "").replace(/\.$/, "") : fixed}`;
}

// Typed arrays as the API sends them: {dtype: "f4"|"u1", bdata: base64, shape, range?}.

function bytesOf(b64) {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

// -> {values: Float32Array, shape: [..]}; u1 arrays are mapped back through their range.
export function decode(typed) {
  const shape = typed.shape.split(",").map(Number);
  const bytes = bytesOf(typed.bdata);
  let values;
  if (typed.dtype === "f4") {
    values = new Float32Array(bytes.buffer, 0, bytes.length / 4);
  } else {
    const [lo, hi] = typed.range;
    const k = (hi - lo) / 255;
    values = new Float32Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) values[i] = lo + k * bytes[i];
  }
  return { values, shape };
}

// The i-th map of a stacked (n, ...rest) array, as a view.
export function slice(decoded, i) {
  const size = decoded.shape.slice(1).reduce((a, b) => a * b, 1);
  return decoded.values.subarray(i * size, (i + 1) * size);
}

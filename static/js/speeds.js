// How much one frame of Play trains: the Speed menu's table, and its default (the one place
// that names it). An epoch a frame, as TensorFlow Playground does: the default circle learns
// within seconds of Play; Step still runs one mini-batch.

export const SPEEDS = [
  { value: "1", label: "1 step", steps: 1, unit: "batch" },
  { value: "5", label: "5 steps", steps: 5, unit: "batch" },
  { value: "25", label: "25 steps", steps: 25, unit: "batch" },
  { value: "1e", label: "1 epoch", steps: 1, unit: "epoch" },
  { value: "2e", label: "2 epochs", steps: 2, unit: "epoch" },
  { value: "5e", label: "5 epochs", steps: 5, unit: "epoch" },
];

export const DEFAULT_SPEED = "1e";

// The entry of a speed's value; an unknown value (a hand-edited link) is the default.
export function speedOf(value) {
  return SPEEDS.find((s) => s.value === value) || SPEEDS.find((s) => s.value === DEFAULT_SPEED);
}

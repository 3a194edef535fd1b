// What /api/options says about each problem and activation (the core's registries): the
// range an activation maps into, how many outputs a network has, how many classes a label.

const problem = (options, config) => options.problems.find((p) => p.name === config.problem);
const count = (n, config) => (n === "classes" ? config.classes : n);

// [lo, hi] that an activation (hidden, or a problem's output) maps into; null: unbounded.
export function rangeOf(options, activation) {
  const hidden = options.activations.find((a) => a.name === activation);
  if (hidden) return hidden.range;
  return options.problems.find((p) => p.output_activation === activation)?.output_range ?? null;
}

// n[L]: one output, or one per class.
export function outputsOf(options, config) {
  return count(problem(options, config).outputs, config);
}

// The classes a label takes: 2 binary, K multi-class, 0 for a real-valued target.
export function labelClassesOf(options, config) {
  return count(problem(options, config).label_classes, config);
}

// The output map's range: the problem's output activation's.
export function outputRangeOf(options, config) {
  return problem(options, config).output_range;
}

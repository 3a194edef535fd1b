// What a comparison may vary, one row each: its menu's name, its values (from /api/options),
// the changes that give a run its value (the fields of a PATCH, on top of the shared
// configuration), the header that names it, and the value the shared configuration has.
import { t } from "./i18n.js";
import * as format from "./format.js";

const named = (list) => list.map((x) => ({ value: x.name, label: t(x.label) }));
const hiddenOf = (c) => (c.hidden.length ? c.hidden : [{ units: 4, activation: "tanh" }]);

export const VARY = {
  activation: {
    label: () => t("Activation"),
    values: (o) => named(o.activations),
    changes: (c, v) => ({ hidden: hiddenOf(c).map((h) => ({ ...h, activation: v })) }),
    current: (c) => hiddenOf(c)[0].activation,
  },
  optimizer: {
    label: () => t("Optimizer"),
    values: (o) => named(o.optimizers),
    changes: (c, v) => ({ optimizer: v }),
    current: (c) => c.optimizer,
  },
  init: {
    label: () => t("Initialization"),
    values: (o) => named(o.initializers),
    changes: (c, v) => ({ init: v }),
    current: (c) => c.init,
  },
  depth: {
    label: () => t("Hidden layers"),
    values: (o) => Array.from({ length: Math.min(6, o.limits.max_hidden_layers) }, (_, i) => ({
      value: String(i + 1), label: t(i ? "{n} hidden layers" : "{n} hidden layer", { n: i + 1 }) })),
    changes: (c, v) => ({ hidden: Array.from({ length: Number(v) }, () => hiddenOf(c)[0]) }),
    current: (c) => String(Math.max(1, c.hidden.length)),
  },
  learning_rate: {
    label: () => t("Learning rate"),
    values: (o) => o.choices.learning_rate.map((r) => ({ value: String(r), label: format.rate(r) })),
    changes: (c, v) => ({ learning_rate: Number(v) }),
    current: (c) => String(c.learning_rate),
  },
};

// The value a run gets when only one side is given: the other one's "opposite".
export function otherValue(vary, options, value) {
  const PAIRS = { activation: ["tanh", "relu"], optimizer: ["sgd", "adam"], init: ["xavier", "zeros"], depth: ["1", "3"] };
  const pair = PAIRS[vary];
  if (pair) return value === pair[0] ? pair[1] : pair[0];
  const values = VARY[vary].values(options).map((x) => x.value);
  const i = values.indexOf(String(value));
  return values[i + 1 < values.length ? i + 1 : Math.max(0, i - 1)];
}

// The run's header: what it has of its own ("ReLU", "Adam", "3 hidden layers", "rate 0.3").
export function describe(vary, options, value) {
  if (vary === "learning_rate") return t("rate {r}", { r: format.rate(Number(value)) });
  const found = VARY[vary].values(options).find((x) => x.value === String(value));
  return found ? found.label : String(value);
}

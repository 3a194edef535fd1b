"""The one exception for bad input to the core: it names the field and says what is wrong.

The service turns it (and only it) into a 422; any other exception is a bug and stays a 500.
It is a ValueError so that callers of the core may catch either.

A message the page shows may carry a stable `code` and its `params`: the code names an English
template in MESSAGES, which the page translates (English strings are its translation keys) and
fills with the params, so a Chinese page shows the server's errors in Chinese.
"""

# code -> English template; {name} is filled from the error's params (numbers or strings).
MESSAGES = {
    "steps.one_unit": "one {unit} of this network on this data is more work than one request "
    "may do (about {seconds} s of the {budget} s allowed); use a smaller batch, fewer "
    "examples, a smaller network or fewer maps",
    "steps.updates": "{steps} {what} of this network would be {updates} updates, more than the "
    "{max_updates} one request may run; ask for at most {allowed}",
    "steps.work": "{steps} {what} of this network would be about {seconds} s of work, more "
    "than the {budget} s one request may use; ask for at most {allowed}",
    "notes.work": "{iterations} iterations of these sizes would be about {seconds} s of work, "
    "more than the {budget} s one request may use; ask for at most {allowed}",
    "value.finite": "must be finite",
    "batch.none": "no mini-batch yet: take a step first (a change of the data, of the "
    "network's shape or of its weights starts afresh)",
    "loop.work": "{repeats} repeats of a loop over {examples} examples is more than the "
    "{most} example passes one request may run; ask for at most {allowed}",
    "csv.too_large": "the file is larger than {kb} KB",
    "csv.not_csv": "not a CSV file ({reason})",
    "csv.empty": "the file is empty",
    "csv.columns": "row 1: expected 1 or 2 input columns and a label column, got {width} columns",
    "csv.no_rows": "no data rows",
    "csv.too_many_rows": "at most {max} rows, got {rows}",
    "csv.row_width": "row {row}: expected {width} columns, got {got}",
    "csv.not_a_number": "row {row}, column {col}: {cell} is not a number",
    "csv.not_finite": "row {row}, column {col}: {cell} is not a finite number",
    "csv.split": "row {row}, column {col}: split must be train or test",
    "csv.label": "row {row}, column {col}: label {cell} is not a class of this {problem} "
    "problem; allowed: 0..{last}",
    "csv.beyond": "row {row}, column {col}: beyond ±{bound}",
    "csv.input_beyond": "row {row}, column {col}: {cell} is beyond ±{bound}, the most an "
    "input may be unstandardized; standardize the inputs or rescale the column",
    "csv.two_rows": "at least 2 data rows",
    "csv.all_test": "every row is a test row; mark some as train",
    "csv.overflow": "column {col}: values this large cannot be standardized (their {what} "
    "overflows); rescale the column",
    # a staged circuit program (nncore/circuit_program.py): each names its line
    "circuit.empty": "no line computes anything: write lines of name = expression",
    "circuit.lines": "at most {max} lines, got {lines}",
    "circuit.last": "the last line gives the output: it must compute {name} from the names above",
    "circuit.line.form": "write each line as name = expression",
    "circuit.line.nested": "the expression is nested too deeply",
    "circuit.line.reserved": "{name} is the name of a function; give the line another name",
    "circuit.line.twice": "{name} is assigned twice (first on line {first}); give each line "
    "its own name",
    "circuit.line.before": "{name} is used before line {later} assigns it: move that line up "
    "(or, if {name} is an input, assign it nowhere)",
    "circuit.line.alias": "{name} only renames {other}: a line must compute something",
    "circuit.line.unused": "{name} is never used: every line must lead to the output (the "
    "last line)",
    # a divergence (nncore.trainer.Diverged, a 409)
    "diverged": "training diverged at step {step}: the loss or the weights became infinite or "
    "NaN, a weight passed {max_parameter}, or the weights grew {growth}-fold within a few steps. "
    "The network is back to its state before that step; go back to an earlier step or lower "
    "the learning rate, and continue.",
    "diverged.back": "training diverged at step {step}: the loss or the weights became infinite "
    "or NaN, a weight passed {max_parameter}, or the weights grew {growth}-fold within a few "
    "steps. The network is back to its state before that step; go back to step "
    "{last_good_step} (before it took off) with a lower learning rate such as {rate}, or lower "
    "the learning rate and continue.",
    # the timeline (Trainer.rewind, frames of recorded steps)
    "timeline.not_recorded": "step {step} is not recorded; the nearest recorded steps are "
    "{nearest} (recorded: {first}..{last}, thinned when long)",
    # the service's request validation (pydantic's error types, with its context as params)
    "less_than_equal": "Input should be less than or equal to {le}",
    "greater_than_equal": "Input should be greater than or equal to {ge}",
    "less_than": "Input should be less than {lt}",
    "greater_than": "Input should be greater than {gt}",
    "float_parsing": "Input should be a valid number, unable to parse string as a number",
    "float_type": "Input should be a valid number",
    "finite_number": "Input should be a finite number",
    "int_parsing": "Input should be a valid integer, unable to parse string as an integer",
    "missing": "Field required",
    "int_type": "Input should be a valid integer",
    "bool_type": "Input should be a valid boolean",
    "string_type": "Input should be a valid string",
    "list_type": "Input should be a valid list",
    "dict_type": "Input should be a valid dictionary",
    "model_type": "Input should be an object",
    "model_attributes_type": "Input should be an object",
    "literal_error": "Input should be one of {expected}",
    "extra_forbidden": "Extra inputs are not permitted",
    "too_long": "should have at most {max_length} items, not {actual_length}",
    "too_short": "should have at least {min_length} items, not {actual_length}",
    "string_too_long": "String should have at most {max_length} characters",
    "string_too_short": "String should have at least {min_length} characters",
    "json_invalid": "JSON decode error",
    # the circuit of gates (nncore.circuit.CircuitError)
    "circuit.too_long": "the expression is longer than {max} characters",
    "circuit.syntax": "not a formula ({reason})",
    "circuit.nested": "the expression is nested too deeply",
    "circuit.gates": "more than {max} gates",
    "circuit.constant": "only numbers are allowed as constants",
    "circuit.number": "a number is too large",
    "circuit.uncalled": "{name} is a function: call it, as {name}(...)",
    "circuit.arguments": "{name} takes {count} argument(s)",
    "circuit.functions": "only these functions: {names}",
    "circuit.operators": "only + - * / ** between terms",
    "circuit.attribute": "attributes (a.b) are not allowed",
    "circuit.construct": "{kind} is not allowed: use numbers, names, + - * / ** and functions",
    "circuit.missing": "no value given for {names}",
    "circuit.input_value": "the value of {name} is not finite ({value})",
    "circuit.gate_value": "the {op} gate's value is not finite ({value})",
    "circuit.local_gradient": "the {op} gate's local gradient is not finite",
    "circuit.gradient": "the gradient at the {op} gate is not finite",
}


class InputError(ValueError):
    """`limit`: the largest value the field may take here, when it depends on the request
    (the steps a network's work budget allows), so that a client can ask again within it.
    `code` and `params`: the message as a template of MESSAGES and its values (see coded)."""

    def __init__(
        self,
        field: str,
        message: str,
        limit: float | None = None,
        code: str | None = None,
        params: dict | None = None,
    ):
        self.field, self.message, self.limit = field, message, limit
        self.code, self.params = code, params or {}
        super().__init__(f"{field}: {message}")

    @classmethod
    def coded(cls, field: str, code: str, limit: float | None = None, **params) -> "InputError":
        """The error whose message is MESSAGES[code] filled with params."""
        return cls(field, MESSAGES[code].format(**params), limit, code, params)

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

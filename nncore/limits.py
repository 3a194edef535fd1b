"""Every bound a request must keep, in one table: the core checks it, the service builds its
request schemas from it (tightened by its settings), and the page reads it from /api/options.

Nothing else writes a bound. A deployment may tighten an entry (a smaller maximum), never widen
it: the core's own numbers are the widest the code is known to handle.
"""

from dataclasses import dataclass, fields, replace

from .errors import InputError


@dataclass(frozen=True)
class Limits:
    max_hidden_layers: int = 8
    max_units: int = 32  # units of one hidden layer
    min_samples: int = 10
    max_samples: int = 2000  # examples of a generated set, own points, CSV rows
    max_csv_bytes: int = 256_000
    max_steps: int = 1000  # units (batches or epochs) one step request may ask for
    max_updates: int = 20_000  # mini-batch updates one request may run
    max_work_seconds: float = 1.0  # estimated work of one request (nncore.cost)
    min_grid: int = 10
    max_grid: int = 200  # the output map is G x G
    min_neuron_resolution: int = 8
    max_neuron_resolution: int = 64  # each neuron's map is R x R
    min_classes: int = 2
    max_classes: int = 5
    max_noise: float = 1.0
    min_train_fraction: float = 0.1
    max_train_fraction: float = 0.9
    max_seed: int = 2**31 - 1
    max_learning_rate: float = 10.0
    max_momentum: float = 0.999
    max_penalty: float = 10.0  # L1 and L2 rates
    max_parameter: float = 1e6  # a weight beyond this has diverged (see trainer.MAX_PARAMETER)
    max_step_count: int = 2**53 - 1  # step and epoch counters: exact in JSON numbers
    trace_examples: int = 32  # traced columns of the last mini-batch in a frame
    # examples x repeats of one loop-versus-vectorized request (nncore/vectorize.py): the
    # Python loop over examples of the widest, deepest network stays near max_work_seconds
    max_loop_examples: int = 4000
    max_history: int = 1000  # entries of a session's step history before it is thinned
    min_landscape_grid: int = 11  # the loss landscape over two weights is n x n (landscape.py)
    max_landscape_grid: int = 61
    divergence_snapshots: int = 8  # recent states kept to go back to before a run took off
    # A session's timeline (Trainer.timeline): at most this many recorded states, and at most
    # this many bytes of their arrays, before it is thinned. The 6x8 network on spiral with 7
    # features (433 parameters) takes 7.4 KB a record with SGD and 14.4 KB with Adam: 200
    # records are 1.5 / 2.9 MB; the largest network (7813 parameters, Adam) keeps 8 to 15.
    timeline_entries: int = 200
    timeline_bytes: int = 4_000_000
    max_expression_length: int = 500  # a circuit's formula
    max_gates: int = 200
    max_program_lines: int = 20  # lines of a staged circuit program
    max_matrix_side: int = 6  # rows and columns of a vectorized gate's matrices
    max_circuit_values: int = 100
    max_latex_length: int = 4000
    max_body_bytes: int = 1_000_000  # a request body, checked before it is parsed
    # the notes' two-layer code (nncore/notes_code.py): N, D_in, H, D_out, iterations
    max_notes_examples: int = 256
    max_notes_inputs: int = 1000  # the notes' own D_in
    max_notes_hidden: int = 200
    max_notes_outputs: int = 20
    max_notes_iterations: int = 10_000  # the notes' own count (the work budget bounds it too)
    max_script_epochs: int = 10_000  # epochs an exported training script runs
    min_input_scale: float = 0.01  # a generated dataset's inputs times this (Config)
    max_input_scale: float = 100.0
    max_prompt_length: int = 300  # a class question's prompt
    max_choices: int = 8  # a class question's choices
    max_choice_length: int = 80  # one choice's label
    max_student_id_length: int = 64  # the id a student's device makes for itself

    def tightened(self, **changes: float | None) -> "Limits":
        """These limits with some maxima lowered; InputError for an unknown name or a widening."""
        given = {k: v for k, v in changes.items() if v is not None}
        for name, value in given.items():
            if name not in self.tightenable():
                raise InputError(name, "is not a limit a deployment can set")
            core = getattr(self, name)
            floor = getattr(self, "min_" + name[4:], 1)
            if not floor <= value <= core:
                raise InputError(name, f"must be {floor}..{core}, got {value}")
        return replace(self, **given)

    @staticmethod
    def tightenable() -> tuple[str, ...]:
        """The entries a deployment may lower: every maximum but the divergence threshold."""
        return tuple(
            f.name
            for f in fields(Limits)
            if f.name.startswith("max_") and f.name != "max_parameter"
        )

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


LIMITS = Limits()


@dataclass(frozen=True)
class Range:
    """The closed range [lo, hi] of one configuration field (lo excluded when open_low)."""

    lo: float
    hi: float
    integer: bool = False
    open_low: bool = False

    def check(self, name: str, value: float) -> None:
        ok = (self.lo < value if self.open_low else self.lo <= value) and value <= self.hi
        if not ok:  # also false for NaN
            low = f"> {self.lo}" if self.open_low else f">= {self.lo}"
            raise InputError(name, f"must be {low} and <= {self.hi}, got {value}")

    def as_dict(self) -> dict:
        return {"min": self.lo, "max": self.hi, "integer": self.integer, "open_min": self.open_low}


def config_ranges(lim: Limits = LIMITS) -> dict[str, Range]:
    """The range of every numeric configuration field ("units" is each hidden layer's)."""
    return {
        "n_samples": Range(lim.min_samples, lim.max_samples, integer=True),
        "noise": Range(0.0, lim.max_noise),
        "train_fraction": Range(lim.min_train_fraction, lim.max_train_fraction),
        "classes": Range(lim.min_classes, lim.max_classes, integer=True),
        "seed": Range(0, lim.max_seed, integer=True),
        "units": Range(1, lim.max_units, integer=True),
        "learning_rate": Range(0.0, lim.max_learning_rate, open_low=True),
        "momentum": Range(0.0, lim.max_momentum),
        "batch_size": Range(1, lim.max_samples, integer=True),
        "l1": Range(0.0, lim.max_penalty),
        "l2": Range(0.0, lim.max_penalty),
        "grid": Range(lim.min_grid, lim.max_grid, integer=True),
        "neuron_resolution": Range(
            lim.min_neuron_resolution, lim.max_neuron_resolution, integer=True
        ),
        "input_scale": Range(lim.min_input_scale, lim.max_input_scale),
    }


# The values the page's menus offer (each kept within its field's range by the page).
CHOICES = {
    "learning_rate": [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10],
    "penalty": [0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10],
    "momentum": [0, 0.5, 0.9, 0.99, 0.999],
    "batch_size_slider": [1, 100],
    "input_scale": [0.01, 0.1, 1, 10, 100],  # the slider's span; larger batches by typing a link
}

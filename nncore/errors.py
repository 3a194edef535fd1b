"""The one exception for bad input to the core: it names the field and says what is wrong.

The service turns it (and only it) into a 422; any other exception is a bug and stays a 500.
It is a ValueError so that callers of the core may catch either.
"""


class InputError(ValueError):
    """`limit`: the largest value the field may take here, when it depends on the request
    (the steps a network's work budget allows), so that a client can ask again within it."""

    def __init__(self, field: str, message: str, limit: float | None = None):
        self.field, self.message, self.limit = field, message, limit
        super().__init__(f"{field}: {message}")

"""The one exception for bad input to the core: it names the field and says what is wrong.

The service turns it (and only it) into a 422; any other exception is a bug and stays a 500.
It is a ValueError so that callers of the core may catch either.
"""


class InputError(ValueError):
    def __init__(self, field: str, message: str):
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")

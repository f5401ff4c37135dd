"""Domain errors that services raise; the API answers both with 409 and the error's code."""


class InvalidTransition(Exception):
    """A state change that the transition table does not allow. Nothing was written."""

    code = "invalid_transition"

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class Conflict(Exception):
    """A write based on a stale version of the object. Nothing was written."""

    code = "conflict"

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail

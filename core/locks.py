"""The refusal of a write into a month whose report was approved.

Model-free, so that every layer can raise and recognise it: the apps that
write records raise it (through ``areas.locks``), forms and imports show it as
any other refusal, and the API answers it as a conflict named ``month_locked``.
"""

from django.core.exceptions import ValidationError

MONTH_LOCKED = "month_locked"


class MonthLocked(ValidationError):
    """A record dated in an approved month cannot be added, changed or deleted."""

    def __init__(self, message: str):
        super().__init__(message, code=MONTH_LOCKED)


def month_locked_in(error: BaseException | None) -> "MonthLocked | None":
    """The :class:`MonthLocked` behind ``error`` (itself or what caused it)."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, MonthLocked):
            return error
        error = error.__cause__ or error.__context__
        seen += 1
    return None

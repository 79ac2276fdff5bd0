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


def month_locked_in(error: BaseException | None) -> str | None:
    """The locked month's message behind ``error``, or None.

    ``error`` may be the refusal itself, one that collected it with others
    (a model's ``full_clean``), or the API's refusal raised from either.
    """
    for _depth in range(5):
        if error is None:
            return None
        if isinstance(error, ValidationError):
            for item in _items(error):
                if item.code == MONTH_LOCKED:
                    return str(item.message)
        error = error.__cause__ or error.__context__
    return None


def _items(error: ValidationError):
    if hasattr(error, "error_dict"):
        for errors in error.error_dict.values():
            yield from errors
    else:
        yield from error.error_list

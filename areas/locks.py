"""Which of a ward's months are locked, for every write path to consult."""

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.utils.translation import gettext

from core.locks import MonthLocked

from .models import MonthLock, Ward


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_locked_message(ward: Ward, month: datetime.date) -> str:
    return gettext(
        "Month %(month)s of %(ward)s has been approved: its records can no "
        "longer be added, changed or deleted."
    ) % {"month": month.strftime("%m/%Y"), "ward": ward.name}


def month_is_locked(*, ward_id: str | None, day: datetime.date | None) -> bool:
    if ward_id is None or day is None:
        return False
    return MonthLock.objects.filter(ward_id=ward_id, month=month_start(day)).exists()


def month_locked(*, ward_id: str, day: datetime.date) -> MonthLocked:
    """The refusal for a ward's month already known to be locked."""
    return MonthLocked(month_locked_message(Ward.objects.get(pk=ward_id), day))


def month_lock_check(*, ward_id: str | None, day: datetime.date | None) -> None:
    """Raise :class:`core.locks.MonthLocked` if the ward's month of ``day`` is."""
    month_locks_check([(ward_id, day)])


def month_locks_check(
    records: Iterable[tuple[str | None, datetime.date | None]],
) -> None:
    """Raise :class:`core.locks.MonthLocked` naming the first locked month of
    ``records``' (ward id, day) pairs, read in one query.

    A record counted in several wards (a training event with members of
    each) is frozen when any of its ward-months is.
    """
    wanted = list(
        dict.fromkeys(
            (ward_id, month_start(day))
            for ward_id, day in records
            if ward_id is not None and day is not None
        )
    )
    if not wanted:
        return
    match = Q()
    for ward_id, month in wanted:
        match |= Q(ward_id=ward_id, month=month)
    locked = months_locked(MonthLock.objects.filter(match))
    for ward_id, month in wanted:
        if (ward_id, month) in locked:
            ward = Ward.objects.get(pk=ward_id)
            raise MonthLocked(month_locked_message(ward, month))


def months_locked(locks=None, *, ward_ids=None) -> set[tuple[str, datetime.date]]:
    """The locked (ward id, first day of the month) pairs, of ``ward_ids``
    (or among ``locks``), for a writer of many records to skip them."""
    if locks is None:
        locks = MonthLock.objects.filter(ward_id__in=ward_ids)
    return set(locks.values_list("ward_id", "month"))


def month_lock_set(*, ward: Ward, month: datetime.date) -> None:
    MonthLock.objects.get_or_create(ward=ward, month=month_start(month))


def month_lock_clear(*, ward: Ward, month: datetime.date) -> None:
    MonthLock.objects.filter(ward=ward, month=month_start(month)).delete()

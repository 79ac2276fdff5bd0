"""Provinces and wards as a caller may see them, kept in each process.

Every dashboard and statistics answer starts by finding its area within the
caller's scope. The official list changes by decree, not by the minute, so a
lookup's answer — the area, or that there is none in reach — is kept for a
minute per (scope, kind of area, code): the scope is part of the key, so one
caller's answer is never another's. A province or ward saved or deleted here
drops every kept answer of this process (``receivers``); other processes
follow within the minute.
"""

from __future__ import annotations

import copy
import time

from django.db.models import Model

from accounts.scope import Scope, scope

KEPT_SECONDS = 60
# Far more than the answers a process gives in a minute; a safety bound.
KEPT_MOST = 10_000

_kept: dict[tuple, tuple[float, Model | None]] = {}


def area_in_scope(who: Scope, model: type[Model], code: str) -> Model | None:
    """The area of ``model`` with this code if ``who`` may see it, else None."""
    key = (who, model, code)
    now = time.monotonic()
    found = _kept.get(key)
    if found is None or found[0] <= now:
        unit = scope(model.objects.filter(pk=code), who).first()
        if len(_kept) >= KEPT_MOST:
            _kept.clear()
        found = _kept[key] = (now + KEPT_SECONDS, unit)
    # A copy: the kept row is shared by the requests of every thread.
    return copy.copy(found[1])


def areas_forget() -> None:
    """Drop every kept answer (an area was saved or deleted)."""
    _kept.clear()

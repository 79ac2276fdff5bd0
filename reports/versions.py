"""The version of an area's figures: what answers and pages are cached under.

A refresh that changes a ward's summary rows moves its stamp
(reports.services), and a registry recompute that changes a ward's figures
its ``refreshed_at``; a refresh that changes nothing moves neither. A digest
of those, of the language and of the question names an answer exactly. The
training answer reads only the workshops' rows and the registry, so it is
named by their stamps alone (``TRAINING``): a new session leaves it. The
statistics API sends it as the ETag, and the API and the dashboards keep what
they computed under it, so an unchanged area costs one cache read (and two
small aggregates after a refresh anywhere) instead of its indicators, however
many sessions lie beneath them.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import translation

from areas.models import MonthLock
from core.replica import replica_serving

from .indicators import Area
from .models import WardRegistryStat, WardStamp

KEPT = 3600  # seconds a cached answer or page stays after it was made
REPLICA_STAMPS_KEPT = 5  # seconds stamps read on the replica are kept


EPOCH = "figures-epoch"  # cache key: moves whenever any ward's figures move


def figures_moved() -> None:
    """Mark every kept version stale; called after a refresh commits."""
    cache.set(EPOCH, time.time_ns(), None)


# Which figures an answer reads: every summary table and the registry, or
# the workshops' rows and the registry (the training answer).
ALL = "all"
TRAINING = "training"


def figures_version(area: Area, *parts, figures: str = ALL) -> str:
    """A digest that changes when the area's figures, or the question, change.

    The stamps' aggregates are kept too, with the epoch they were read in:
    between two refreshes anywhere, a version costs one cache read (the epoch
    and the area's stamps together) and no query.
    """
    stamps = _figures_stamps(area, figures)
    text = "|".join(
        str(part)
        for part in (area.level, area.code, stamps, translation.get_language(), *parts)
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def figures_as_of(area: Area, figures: str = ALL):
    """When the area's figures last changed (a refresh or a recompute), or None."""
    changed, _wards, refreshed, _registry_wards, *_approvals = _figures_stamps(
        area, figures
    )
    moments = [moment for moment in (changed, refreshed) if moment is not None]
    return max(moments) if moments else None


def _figures_stamps(area: Area, figures: str) -> tuple:
    """(last change of the rows read, wards stamped, registry's, its wards),
    and the approvals' for every answer but the training one."""
    changed, wards, refreshed, registry_wards, workshops, *approvals = _kept_stamps(
        area
    )
    if figures == TRAINING:
        return workshops, wards, refreshed, registry_wards
    return changed, wards, refreshed, registry_wards, *approvals


def _kept_stamps(area: Area) -> tuple:
    # Named for the seven stamps kept since the approvals got theirs.
    key = "figures-stamps-7:%s:%s" % (area.level, area.code)
    kept = KEPT
    if replica_serving():
        # The replica's stamps may be older than the epoch: kept apart, and
        # briefly, so the primary's never take their place. An answer from
        # the replica is named, and dated (as_of), by the figures it read.
        key += ":replica"
        kept = REPLICA_STAMPS_KEPT
    found = cache.get_many([EPOCH, key])
    epoch = found.get(EPOCH)
    if epoch is None:
        epoch = time.time_ns()
        cache.add(EPOCH, epoch, None)
    kept_epoch, stamps = found.get(key, (None, None))
    if kept_epoch != epoch or not isinstance(stamps, tuple):
        stamps = _stamps(area)
        cache.set(key, (epoch, stamps), kept)
    return stamps


def _stamps(area: Area) -> tuple:
    stamps = area.filter(WardStamp.objects.all()).aggregate(
        changed=Max("changed_at"),
        wards=Count("pk"),
        workshops=Max("workshops_changed_at"),
    )
    registry = area.filter(WardRegistryStat.objects.all()).aggregate(
        refreshed=Max("refreshed_at"), wards=Count("pk")
    )
    # An approval adds a lock newer than any; a reopen removes one: the two
    # together name the approved ward-months (a figure's ``approved``).
    locks = area.filter(MonthLock.objects.all()).aggregate(
        latest=Max("locked_at"), count=Count("pk")
    )
    return (
        stamps["changed"],
        stamps["wards"],
        registry["refreshed"],
        registry["wards"],
        stamps["workshops"],
        locks["latest"],
        locks["count"],
    )

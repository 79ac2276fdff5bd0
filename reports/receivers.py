"""Sessions and workshops saved, changed or deleted queue a coalesced refresh
of their bucket; attendance at training queues one of its ward's registry.

Connected in ``ReportsConfig.ready``: assistance and training are upstream of
reports and do not know it exists. Many saves in one bucket (or ward) within
seconds queue one refresh; if the cache or the broker is down the save still
succeeds. Each changed bucket is also marked as owed (``PendingRefresh``) in
the saving transaction itself; the refresh's transaction removes the mark,
and the beat's sweep recomputes a mark left too long, so a refresh lost to the
broker or to a killed worker comes back within minutes. A ward's registry
figures are recomputed by the beat's schedule.
"""

import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from areas.models import Province, Ward
from assistance.models import AssistanceSession, SessionService
from assistance.signals import buckets_changed
from households.models import Household
from teams.models import SupportStaff, Team
from training.models import Attendance, TrainingEvent, Workshop

from .alerts import SUPPORT_VERSION
from .areas import areas_forget
from .models import PendingRefresh
from .tasks import (
    bucket_refresh_task,
    pending_key,
    registry_pending_key,
    registry_recompute_task,
)

logger = logging.getLogger(__name__)
COALESCE_SECONDS = 5
PENDING_SECONDS = 60  # how long a queued refresh stops another being queued


def refresh_soon(buckets) -> None:
    """Mark each bucket owed, with the change; queue its refresh after commit,
    unless one is already queued."""
    buckets = {(ward, day) for ward, day in buckets if ward and day}
    if buckets:
        PendingRefresh.objects.bulk_create(
            [PendingRefresh(ward_id=ward, day=day) for ward, day in sorted(buckets)],
            ignore_conflicts=True,
        )
        transaction.on_commit(lambda: _enqueue(buckets))


def _enqueue(buckets: set[tuple[str, date]]) -> None:
    for ward_id, day in sorted(buckets):
        _queue_once(
            pending_key(ward_id, day),
            bucket_refresh_task,
            (ward_id, day.isoformat()),
            "the refresh of ward %s on %s; the sweep will recompute it",
            ward_id,
            day,
        )


def registry_soon(ward_ids) -> None:
    """Queue one registry refresh per ward after commit, unless one is waiting."""
    ward_ids = {ward for ward in ward_ids if ward}
    if ward_ids:
        transaction.on_commit(lambda: _enqueue_registry(ward_ids))


def _enqueue_registry(ward_ids: set[str]) -> None:
    for ward_id in sorted(ward_ids):
        _queue_once(
            registry_pending_key(ward_id),
            registry_recompute_task,
            (ward_id,),
            "the registry refresh of ward %s; the schedule will recompute it",
            ward_id,
        )


def _queue_once(key: str, task, task_args: tuple, what: str, *args) -> None:
    """Queue ``task`` unless one is already waiting under ``key``.

    Runs after commit: the write is stored, so neither the cache nor the
    broker being down may turn its answer into a 500. A failure is logged and
    the schedule recomputes what was not queued.
    """
    try:
        if not cache.add(key, 1, timeout=PENDING_SECONDS):
            return  # one is already waiting
    except Exception as error:  # the cache is down: the broker (often the same) too
        logger.warning("Could not queue " + what + " (%r)", *args, error)
        return
    try:
        task.apply_async(task_args, countdown=COALESCE_SECONDS)
    except Exception as error:  # the broker is down
        logger.warning("Could not queue " + what + " (%r)", *args, error)
        # Let the next save try again; if the cache is gone too, the mark
        # expires by itself within PENDING_SECONDS.
        with contextlib.suppress(Exception):
            cache.delete(key)


@dataclass(frozen=True)
class Tracked:
    """A model whose saved or deleted rows change figures kept per key.

    ``key`` names the fields of the row (or of the row it points to through
    ``via``) that make the key: (ward, day) for a bucket, (ward,) for a
    registry. ``m2m`` names many-to-many fields whose changes count as
    changes of the row.
    """

    model: type[Model]
    key: tuple[str, ...]
    soon: Callable[[set[tuple]], None]
    via: str | None = None
    m2m: tuple[str, ...] = ()


def _wards_soon(keys: set[tuple]) -> None:
    registry_soon({ward for (ward,) in keys})


TRACKED = (
    Tracked(
        AssistanceSession,
        ("ward_id", "started_on"),
        refresh_soon,
        m2m=("members",),
    ),
    # Saved through its session (the capture service, the admin inline), a
    # line finds its bucket without a query.
    Tracked(SessionService, ("ward_id", "started_on"), refresh_soon, via="session"),
    Tracked(Workshop, ("ward_id", "held_on"), refresh_soon),
    Tracked(Attendance, ("ward_id",), _wards_soon, via="member"),
    # The registry's figures and coverage's households reached follow the
    # register (a household's move: both its wards); bulk imports are
    # followed by the schedule's recompute.
    Tracked(Household, ("ward_id",), _wards_soon),
)


def track(tracked: Tracked) -> None:
    """Connect the receivers that queue ``tracked.soon`` for the keys changed.

    A row holding its own key remembers it before a save, so a row moved to
    another ward or day refreshes the one it left as well.
    """
    model, key, soon = tracked.model, tracked.key, tracked.soon

    def row_key(model, pk):
        return model.objects.filter(pk=pk).values_list(*key).first()

    def remember(sender, instance, **kwargs):
        if instance.pk:
            instance._reports_old_key = row_key(model, instance.pk)

    def changed(sender, instance, **kwargs):
        keys = {tuple(getattr(instance, name) for name in key)}
        old = getattr(instance, "_reports_old_key", None)
        if old:
            keys.add(old)
        soon(keys)

    def changed_via(sender, instance, **kwargs):
        field = model._meta.get_field(tracked.via)
        if field.is_cached(instance):
            holder = getattr(instance, tracked.via)
            found = tuple(getattr(holder, name) for name in key)
        else:
            found = row_key(field.related_model, getattr(instance, field.attname))
        if found:
            soon({found})

    def related_changed(sender, instance, action, **kwargs):
        if action.startswith("post_") and isinstance(instance, model):
            soon({tuple(getattr(instance, name) for name in key)})

    uid = "reports:%s" % model._meta.label
    receive = changed if tracked.via is None else changed_via
    if tracked.via is None:
        pre_save.connect(remember, sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(receive, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(receive, sender=model, weak=False, dispatch_uid=uid)
    for name in tracked.m2m:
        through = getattr(model, name).through
        m2m_changed.connect(
            related_changed, sender=through, weak=False, dispatch_uid=uid
        )


for declaration in TRACKED:
    track(declaration)


@receiver(buckets_changed)
def _buckets_changed(sender, buckets, **kwargs):
    refresh_soon(set(buckets))


@receiver(post_save, sender=TrainingEvent)
def _event_changed(sender, instance, created, **kwargs):
    # A moved start date can move the attendance in or out of this year.
    if not created:
        registry_soon(
            set(
                Attendance.objects.filter(event=instance)
                .values_list("member__ward_id", flat=True)
                .order_by()
                .distinct()
            )
        )


@receiver(post_save, sender=Province)
@receiver(post_delete, sender=Province)
@receiver(post_save, sender=Ward)
@receiver(post_delete, sender=Ward)
def _areas_changed(sender, **kwargs):
    areas_forget()


@receiver([post_save, post_delete], sender=SupportStaff)
@receiver([post_save, post_delete], sender=Team)
def support_changed(sender, **kwargs) -> None:
    """The communes short of support are worked out again (reports.alerts),
    once the change is committed; with the cache down there is nothing kept."""
    transaction.on_commit(_support_version_move)


def _support_version_move() -> None:
    with contextlib.suppress(Exception):
        cache.set(SUPPORT_VERSION, time.time_ns(), None)

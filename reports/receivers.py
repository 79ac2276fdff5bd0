"""Sessions and workshops saved, changed or deleted queue a coalesced refresh
of their bucket; attendance at training queues one of its ward's registry.

Connected in ``ReportsConfig.ready``: assistance and training are upstream of
reports and do not know it exists. Many saves in one bucket (or ward) within
seconds queue one refresh; if the broker is down the save still succeeds and
the beat's reconcile (or registry refresh) recomputes the figures later.
"""

import logging
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from areas.models import Province, Ward
from assistance.models import AssistanceSession, SessionService
from assistance.signals import buckets_changed
from teams.models import Member
from training.models import Attendance, TrainingEvent, Workshop

from .areas import areas_forget
from .tasks import (
    bucket_refresh_task,
    pending_key,
    registry_pending_key,
    registry_recompute_task,
)

logger = logging.getLogger(__name__)
COALESCE_SECONDS = 5


def refresh_soon(buckets) -> None:
    """Queue one refresh per bucket after commit, unless one is already queued."""
    buckets = {(ward, day) for ward, day in buckets if ward and day}
    if buckets:
        transaction.on_commit(lambda: _enqueue(buckets))


def _enqueue(buckets: set[tuple[str, date]]) -> None:
    for ward_id, day in sorted(buckets):
        key = pending_key(ward_id, day)
        if not cache.add(key, 1, timeout=60):
            continue  # a refresh of this bucket is already waiting
        try:
            bucket_refresh_task.apply_async(
                (ward_id, day.isoformat()), countdown=COALESCE_SECONDS
            )
        except Exception:  # broker down: the reconcile catches up
            cache.delete(key)
            logger.warning(
                "Could not queue the refresh of ward %s on %s; the reconcile "
                "will recompute it",
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
        key = registry_pending_key(ward_id)
        if not cache.add(key, 1, timeout=60):
            continue
        try:
            registry_recompute_task.apply_async((ward_id,), countdown=COALESCE_SECONDS)
        except Exception:  # broker down: the beat's registry refresh catches up
            cache.delete(key)
            logger.warning(
                "Could not queue the registry refresh of ward %s; the schedule "
                "will recompute it",
                ward_id,
            )


@receiver(pre_save, sender=AssistanceSession)
def _remember_old_bucket(sender, instance, **kwargs):
    if instance.pk:
        instance._old_bucket = (
            AssistanceSession.objects.filter(pk=instance.pk)
            .values_list("ward_id", "started_on")
            .first()
        )


@receiver(post_save, sender=AssistanceSession)
@receiver(post_delete, sender=AssistanceSession)
def _session_changed(sender, instance, **kwargs):
    buckets = {(instance.ward_id, instance.started_on)}
    old = getattr(instance, "_old_bucket", None)
    if old:
        buckets.add(old)
    refresh_soon(buckets)


@receiver(post_save, sender=SessionService)
@receiver(post_delete, sender=SessionService)
def _line_changed(sender, instance, **kwargs):
    if SessionService.session.is_cached(instance):
        # Saved through its session (the capture service, the admin inline):
        # the bucket is known without a query.
        session = (instance.session.ward_id, instance.session.started_on)
    else:
        session = (
            AssistanceSession.objects.filter(pk=instance.session_id)
            .values_list("ward_id", "started_on")
            .first()
        )
    if session:
        refresh_soon({session})


@receiver(m2m_changed, sender=AssistanceSession.members.through)
def _members_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, AssistanceSession):
        refresh_soon({(instance.ward_id, instance.started_on)})


@receiver(buckets_changed)
def _buckets_changed(sender, buckets, **kwargs):
    _enqueue(set(buckets))


@receiver(pre_save, sender=Workshop)
def _remember_old_workshop_bucket(sender, instance, **kwargs):
    if instance.pk:
        instance._old_bucket = (
            Workshop.objects.filter(pk=instance.pk)
            .values_list("ward_id", "held_on")
            .first()
        )


@receiver(post_save, sender=Workshop)
@receiver(post_delete, sender=Workshop)
def _workshop_changed(sender, instance, **kwargs):
    buckets = {(instance.ward_id, instance.held_on)}
    old = getattr(instance, "_old_bucket", None)
    if old:
        buckets.add(old)
    refresh_soon(buckets)


@receiver(post_save, sender=Attendance)
@receiver(post_delete, sender=Attendance)
def _attendance_changed(sender, instance, **kwargs):
    if Attendance.member.is_cached(instance):
        ward = instance.member.ward_id
    else:
        ward = (
            Member.objects.filter(pk=instance.member_id)
            .values_list("ward_id", flat=True)
            .first()
        )
    registry_soon({ward})


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

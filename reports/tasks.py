"""Celery tasks of the reports: each recomputes from the raw rows, so a
repeated or retried task changes nothing and a lost one is caught up by the
next reconcile."""

from datetime import date, timedelta

from celery import shared_task
from django.core.cache import cache
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from .digest import alert_digests_send
from .models import PendingRefresh, ScheduledRun
from .reminders import monthly_reminders_send
from .services import bucket_refresh, registry_recompute, stats_recompute

RECENT_DAYS = 3
# A bucket owed this long has lost its queued refresh (or it never reached
# the broker): the sweep recomputes it. Queued refreshes wait 5 s.
OWED_TOO_LONG = timedelta(minutes=2)
SWEEP_AT_MOST = 500  # buckets per sweep; the next sweep takes the rest


def pending_key(ward_id: str, day: date) -> str:
    return "reports:pending:%s:%s" % (ward_id, day.isoformat())


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def bucket_refresh_task(ward_id: str, day: str) -> None:
    bucket = date.fromisoformat(day)
    # Released first: a session saved while this runs queues the next refresh.
    cache.delete(pending_key(ward_id, bucket))
    bucket_settle(ward_id, bucket)


def bucket_settle(ward_id: str, day: date) -> None:
    """Recompute a bucket and remove its mark, in one transaction.

    A worker killed half-way rolls both back: the mark stays for the sweep.
    A session saved meanwhile waits for this transaction, then marks the
    bucket again (its change may have come too late to be counted here).
    """
    with transaction.atomic():
        PendingRefresh.objects.filter(ward_id=ward_id, day=day).delete()
        bucket_refresh(ward_id=ward_id, day=day)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def pending_refresh_sweep_task() -> int:
    """Recompute the buckets owed for too long; return how many."""
    owed = (
        PendingRefresh.objects.filter(since__lt=timezone.now() - OWED_TOO_LONG)
        .order_by("since")
        .values_list("ward_id", "day")[:SWEEP_AT_MOST]
    )
    buckets = list(owed)
    for ward_id, day in buckets:
        bucket_settle(ward_id, day)
    scheduled_run_finished(ScheduledRun.Job.SWEEP)
    return len(buckets)


def registry_pending_key(ward_id: str) -> str:
    return "reports:registry-pending:%s" % ward_id


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def stats_reconcile_task(days: int = RECENT_DAYS) -> None:
    """Recompute the recent days everywhere: catches refreshes that were lost."""
    today = timezone.localdate()
    stats_recompute(day_from=today - timedelta(days=days), day_to=today)
    scheduled_run_finished(ScheduledRun.Job.STATISTICS)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def registry_stats_task() -> None:
    registry_recompute()
    scheduled_run_finished(ScheduledRun.Job.REGISTRY)


def scheduled_run_finished(job: str) -> None:
    ScheduledRun.objects.update_or_create(
        job=job, defaults={"finished_at": timezone.now()}
    )


# Two recomputes of one ward's row at once (this and the beat's) can collide
# on its key; the loser runs again, which is harmless.
@shared_task(
    autoretry_for=(OperationalError, IntegrityError),
    retry_backoff=True,
    max_retries=5,
)
def registry_recompute_task(ward_id: str) -> None:
    """One ward's registry figures, after its households or its members'
    training changed."""
    cache.delete(registry_pending_key(ward_id))
    registry_recompute(ward_ids=[ward_id])


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def alert_digests_send_task() -> None:
    # Records the week per official: a second run in the week sends nothing.
    alert_digests_send()


@shared_task
def monthly_reminders_task() -> dict:
    return monthly_reminders_send(today=timezone.localdate())

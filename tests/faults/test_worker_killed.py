"""A Celery worker killed with SIGKILL in the middle of a refresh: the refresh
is lost with it, its bucket stays owed, and the sweep recomputes it."""

import datetime
import uuid

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone

from assistance.catalogue import catalogue_load
from assistance.models import ServiceType
from assistance.services import session_record
from reports import tasks
from reports.models import DayTeamStat, PendingRefresh, WardStamp
from tests.assistance.factories import MembershipFactory, line
from tests.faults.processes import celery_worker, postgresql_only, wait_until
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _real_database():
    postgresql_only()


def waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def test_a_refresh_killed_with_its_worker_is_recomputed_by_the_sweep(area, monkeypatch):
    catalogue_load(ServiceType)  # a flushed database lost the seeded catalogue
    member = MembershipFactory(member__ward=area.ward, team=area.team).member
    household = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
    monkeypatch.setattr(tasks.bucket_refresh_task, "apply_async", lambda *a, **k: None)
    session, _created = session_record(
        client_uuid=uuid.uuid4(),
        team=area.team,
        members=[member],
        started_at=timezone.now() - datetime.timedelta(hours=1),
        place="home",
        services=[line("online_safety")],
        source="api",
        household=household,
    )
    monkeypatch.undo()
    WardStamp.objects.get_or_create(
        ward=area.ward, defaults={"changed_at": timezone.now()}
    )
    # Hold the ward's stamp from another connection: the worker's refresh
    # deletes the bucket's mark, then waits here, mid-transaction.
    settings = connection.settings_dict
    holder = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or "postgres",
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )
    holder.cursor().execute(
        "SELECT * FROM reports_wardstamp WHERE ward_id = %s FOR UPDATE",
        [area.ward.pk],
    )
    queue = "faults-%s" % uuid.uuid4().hex[:8]
    worker = celery_worker(queue)
    worker.start()
    try:
        tasks.bucket_refresh_task.apply_async(
            (session.ward_id, session.started_on.isoformat()), queue=queue
        )
        assert wait_until(waiting_on_a_lock, seconds=60), "the refresh never ran"
        worker.kill()  # SIGKILL, mid-refresh
    finally:
        worker.kill()
        holder.rollback()
        holder.close()

    assert wait_until(lambda: not waiting_on_a_lock(), seconds=10)
    assert PendingRefresh.objects.filter(ward=area.ward).exists()  # still owed
    assert not DayTeamStat.objects.exists()
    later = timezone.now() + datetime.timedelta(minutes=3)
    monkeypatch.setattr(tasks.timezone, "now", lambda: later)

    assert tasks.pending_refresh_sweep_task() == 1  # as the beat runs it

    assert DayTeamStat.objects.get(team=area.team).sessions == 1
    assert not PendingRefresh.objects.exists()

"""A real Celery worker, on the configured broker (Redis in CI), refreshes the
summary tables after a session is saved; with the broker unreachable the
session is still saved and the reconcile catches up."""

import datetime
import time
import uuid

import kombu.pools
import pytest
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.db import OperationalError
from django.utils import timezone

from assistance.catalogue import catalogue_load
from assistance.models import AssistanceSession, ServiceType
from assistance.services import ServiceLine, session_record
from config.celery import app as celery_app
from reports.models import DayTeamStat
from reports.tasks import bucket_refresh_task, pending_key, stats_reconcile_task
from tests.assistance.factories import MembershipFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def visit(area):
    """What a valid home visit needs, committed for the worker to see."""
    catalogue_load(ServiceType)  # a transactional test's flush removed it
    member = MembershipFactory(member__ward=area.ward, team=area.team).member
    household = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)

    def record():
        return session_record(
            client_uuid=uuid.uuid4(),
            team=area.team,
            members=[member],
            started_at=timezone.now() - datetime.timedelta(minutes=30),
            place="home",
            services=[ServiceLine(ServiceType.objects.get(code="bill_qr"), "done")],
            source="field",
            household=household,
        )[0]

    return record


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:
            pass  # SQLite: the worker holds the table while it writes
        time.sleep(0.25)
    return False


def routed_queue() -> str:
    """The queue a bucket refresh is published to (earlier tests may have
    changed the app's default queue)."""
    return celery_app.amqp.router.route({}, bucket_refresh_task.name)["queue"].name


def test_a_new_session_reaches_the_summary_table_through_the_worker(visit):
    celery_app.control.purge()  # refreshes queued by earlier tests' sessions
    # Saved before the worker starts: SQLite's shared in-memory test database
    # refuses two threads writing at once (PostgreSQL would not mind).
    session = visit()  # queues its bucket's refresh, five seconds ahead
    with start_worker(
        celery_app, pool="solo", perform_ping_check=False, queues=[routed_queue()]
    ):
        counted = wait_for(
            lambda: DayTeamStat.objects.filter(
                ward=session.ward_id, day=session.started_on, sessions=1
            ).exists()
        )

    assert counted, "the worker did not refresh the bucket within 30 s"


@pytest.fixture
def broker_down():
    """Point the app at a port where no broker listens, then restore it."""
    saved = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:9/0"
    celery_app.pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    kombu.pools.reset()  # the process-wide pools of the address closed above
    yield
    celery_app.conf.broker_url = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    kombu.pools.reset()


def test_with_the_broker_down_saving_succeeds_and_the_reconcile_catches_up(
    visit, broker_down
):
    session = visit()  # queues the refresh after commit: the broker refuses

    assert AssistanceSession.objects.filter(pk=session.pk).exists()
    assert not DayTeamStat.objects.exists()
    # The bucket is not left marked as queued: the next save may try again.
    assert cache.get(pending_key(session.ward_id, session.started_on)) is None

    stats_reconcile_task()  # what the beat schedule runs every ten minutes

    assert DayTeamStat.objects.get().sessions == 1

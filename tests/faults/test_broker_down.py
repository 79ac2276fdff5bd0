"""Redis as the broker goes down while team members log sessions: every
stored session is answered 201, and once the broker is back the figures
catch up by themselves (the sweep), equal to the raw counts."""

import datetime

import kombu.pools
import pytest
from django.db.models import Count
from django.utils import timezone

from accounts.models import Role
from assistance.models import AssistanceSession
from config.celery import app as celery_app
from reports import tasks
from reports.models import DayTeamStat, PendingRefresh
from tests.assistance.factories import MembershipFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def connections_forget():
    """Drop the app's broker connections: the next send opens new ones."""
    celery_app.pool.force_close_all()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    # kombu keeps its connection and producer pools per broker address, for
    # the whole process: a producer pool left over a closed connection pool
    # would answer every later send, eager ones too, "Acquire on closed pool".
    kombu.pools.reset()


@pytest.fixture
def broker_on(redis_server, monkeypatch):
    """Celery's broker on the test's own Redis server."""
    monkeypatch.setattr(celery_app.conf, "broker_url", redis_server.url)
    connections_forget()
    yield redis_server
    monkeypatch.undo()
    connections_forget()


@pytest.fixture
def phone(api, users, area):
    MembershipFactory(
        member__ward=area.ward, member__user=users[Role.TEAM_MEMBER], team=area.team
    )
    api.force_authenticate(users[Role.TEAM_MEMBER])
    return api


def body(number, household):
    return {
        "client_uuid": "5a1c0de0-0000-4000-8000-%012d" % number,
        "started_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "place": "home",
        "household": household.pk,
        "services": [{"service": "online_safety", "outcome": "done"}],
    }


def raw_counts() -> dict:
    """Sessions per team, counted from the raw rows."""
    return dict(
        AssistanceSession.objects.order_by()
        .values("team")
        .annotate(count=Count("pk"))
        .values_list("team", "count")
    )


def test_sessions_are_stored_and_answered_while_the_broker_is_down(
    phone, area, broker_on, django_capture_on_commit_callbacks
):
    households = [
        HouseholdFactory(ward=area.ward, hamlet=area.hamlet) for _ in range(3)
    ]
    broker_on.stop()

    bodies = [body(number, household) for number, household in enumerate(households)]
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            phone.post("/api/v1/sessions/", sent, format="json") for sent in bodies
        ]
        resent = phone.post("/api/v1/sessions/", bodies[0], format="json")

    assert [answer.status_code for answer in answers] == [201, 201, 201]
    assert resent.status_code == 200
    assert AssistanceSession.objects.count() == 3
    assert PendingRefresh.objects.count() == 1  # one day, one ward: owed
    assert not DayTeamStat.objects.exists()  # nothing reached a worker


def test_the_figures_catch_up_once_the_broker_is_back(
    phone, area, broker_on, monkeypatch, django_capture_on_commit_callbacks
):
    household = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
    broker_on.stop()
    with django_capture_on_commit_callbacks(execute=True):
        phone.post("/api/v1/sessions/", body(1, household), format="json")
    broker_on.start()
    later = timezone.now() + datetime.timedelta(minutes=3)
    monkeypatch.setattr(tasks.timezone, "now", lambda: later)

    tasks.pending_refresh_sweep_task()  # what the beat runs every minute

    assert not PendingRefresh.objects.exists()
    counted = dict(DayTeamStat.objects.values_list("team", "sessions"))
    assert counted == raw_counts() == {area.team.pk: 1}

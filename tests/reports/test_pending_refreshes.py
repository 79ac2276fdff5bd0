"""A bucket's refresh is owed from the moment its session is stored until a
refresh has really recomputed it: lost to the broker or to a killed worker,
it comes back with the sweep, within minutes, with no person acting."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from assistance.services import session_record
from reports import receivers, tasks
from reports.models import DayTeamStat, PendingRefresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(receivers.bucket_refresh_task, "apply_async", refuse)


def counted(session) -> int:
    row = DayTeamStat.objects.filter(
        ward_id=session.ward_id, day=session.started_on, team_id=session.team_id
    ).first()
    return row.sessions if row else 0


def later(monkeypatch, minutes):
    moment = timezone.now() + datetime.timedelta(minutes=minutes)
    monkeypatch.setattr(tasks.timezone, "now", lambda: moment)


def test_a_stored_session_marks_its_bucket_owed(visit, broker_down):
    session, _created = session_record(**visit)

    owed = PendingRefresh.objects.get()
    assert (owed.ward_id, owed.day) == (session.ward_id, session.started_on)


def test_a_session_rolled_back_owes_nothing(visit, broker_down):
    with pytest.raises(RuntimeError), transaction.atomic():
        session_record(**visit)
        raise RuntimeError("the request failed after the insert")

    assert not PendingRefresh.objects.exists()


def test_a_refresh_settles_what_is_owed(visit, broker_down):
    session, _created = session_record(**visit)

    tasks.bucket_refresh_task(session.ward_id, session.started_on.isoformat())

    assert not PendingRefresh.objects.exists()
    assert counted(session) == 1


def test_a_refresh_killed_half_way_stays_owed(visit, broker_down, monkeypatch):
    session, _created = session_record(**visit)

    def killed(**kwargs):
        raise SystemExit("worker killed during the refresh")

    monkeypatch.setattr(tasks, "bucket_refresh", killed)
    with pytest.raises(SystemExit):
        tasks.bucket_refresh_task(session.ward_id, session.started_on.isoformat())

    assert PendingRefresh.objects.filter(ward_id=session.ward_id).exists()


def test_the_sweep_recomputes_a_refresh_the_broker_lost(
    visit,
    broker_down,
    monkeypatch,
):
    session, _created = session_record(**visit)
    assert counted(session) == 0  # the refresh never reached a worker
    later(monkeypatch, minutes=3)

    swept = tasks.pending_refresh_sweep_task()

    assert swept == 1
    assert counted(session) == 1
    assert not PendingRefresh.objects.exists()


def test_the_sweep_leaves_a_fresh_mark_to_its_queued_refresh(
    visit,
    broker_down,
):
    session_record(**visit)

    assert tasks.pending_refresh_sweep_task() == 0
    assert PendingRefresh.objects.count() == 1


def test_a_rebuild_settles_everything_owed_before_it(visit, broker_down):
    from reports.services import stats_rebuild

    session, _created = session_record(**visit)

    stats_rebuild()

    assert not PendingRefresh.objects.exists()
    assert counted(session) == 1

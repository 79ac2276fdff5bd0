"""Saved sessions queue the refresh of their bucket, whichever way they are written."""

import datetime

import pytest
from django.core.cache import cache

from assistance.models import AssistanceSession, SessionService
from assistance.services import session_record, session_update
from reports import receivers
from reports.tasks import pending_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(broker):
    """The bucket refreshes handed to the broker, instead of a broker."""
    return broker(receivers.bucket_refresh_task)


def test_a_new_session_queues_one_refresh_of_its_bucket(
    visit, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session, created = session_record(**visit)

    assert created
    assert queued == [(session.ward_id, session.started_on.isoformat())]


def test_a_resend_queues_nothing(visit, queued, django_capture_on_commit_callbacks):
    session_record(**visit)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        session_record(**visit)

    assert callbacks == []
    assert queued == []


def test_an_edit_to_another_day_queues_both_buckets(
    visit, queued, django_capture_on_commit_callbacks
):
    session, _created = session_record(**visit)
    before = session.started_on
    later = visit["started_at"] + datetime.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=session, started_at=later)

    assert sorted(queued) == [
        (session.ward_id, before.isoformat()),
        (session.ward_id, session.started_on.isoformat()),
    ]


def test_a_line_saved_on_its_own_queues_its_sessions_bucket(
    visit, queued, django_capture_on_commit_callbacks
):
    session, _created = session_record(**visit)
    stored = SessionService.objects.get(pk=session.services.first().pk)
    stored.outcome = "failed"

    with django_capture_on_commit_callbacks(execute=True):
        stored.save()

    assert queued == [(session.ward_id, session.started_on.isoformat())]


def test_members_taken_off_a_session_queue_its_bucket(
    visit, queued, django_capture_on_commit_callbacks
):
    session, _created = session_record(**visit)
    session = AssistanceSession.objects.get(pk=session.pk)

    with django_capture_on_commit_callbacks(execute=True):
        session.members.remove(visit["members"][0])

    assert queued == [(session.ward_id, session.started_on.isoformat())]


class DownCache:
    """The cache during a Redis outage."""

    def add(self, *args, **kwargs):
        raise ConnectionError("Connection refused")

    def delete(self, *args, **kwargs):
        raise ConnectionError("Connection refused")


def test_a_session_saved_while_the_cache_is_down_is_stored(
    visit, queued, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(receivers, "cache", DownCache())

    with django_capture_on_commit_callbacks(execute=True):
        session, created = session_record(**visit)

    assert created
    assert AssistanceSession.objects.filter(pk=session.pk).exists()
    assert queued == []  # the reconcile recomputes the bucket
    assert "Could not queue the refresh of ward" in caplog.text


def test_a_session_saved_while_the_broker_is_down_is_stored_and_unmarked(
    visit, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broker_down(args, countdown):
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(receivers.bucket_refresh_task, "apply_async", broker_down)

    with django_capture_on_commit_callbacks(execute=True):
        session, created = session_record(**visit)

    assert created
    assert "Could not queue the refresh of ward" in caplog.text
    # The next save in the bucket tries again.
    assert cache.get(pending_key(session.ward_id, session.started_on)) is None

"""Saved sessions queue the refresh of their bucket, whichever way they are written."""

import datetime
import uuid

import pytest
from django.utils import timezone

from assistance.services import session_record, session_update
from reports import receivers
from tests.assistance.factories import MembershipFactory, line
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """The bucket refreshes handed to the broker, instead of a broker."""
    calls = []
    monkeypatch.setattr(
        receivers.bucket_refresh_task,
        "apply_async",
        lambda args, countdown: calls.append(tuple(args)),
    )
    return calls


@pytest.fixture
def visit(area):
    members = [
        MembershipFactory(member__ward=area.ward, team=area.team).member
        for _ in range(2)
    ]
    household = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
    return {
        "client_uuid": uuid.uuid4(),
        "team": area.team,
        "members": members,
        "started_at": timezone.now() - datetime.timedelta(days=2),
        "place": "home",
        "services": [line("bill_qr"), line("payment_app", "follow_up")],
        "source": "field",
        "household": household,
    }


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

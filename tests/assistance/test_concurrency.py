"""Two phones sending one session at the same moment store it once.

Each thread has its own database connection, as two web workers would. Only
PostgreSQL runs the two transactions truly at once (SQLite locks the whole
file), so these tests need it; CI runs the suite on PostgreSQL.
"""

import contextlib
import datetime
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role
from assistance.catalogue import catalogue_load
from assistance.models import AssistanceSession, ServiceType, SessionService
from assistance.services import ServiceLine, session_record, sessions
from core.capture import CaptureConflict

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 20  # seconds; a thread that waits longer has deadlocked


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL row locking: two connections writing at once "
            "(SQLite serialises writers on a file lock)"
        )


@pytest.fixture
def safety():
    # A transactional test's database may have been flushed by an earlier
    # one, taking the seeded catalogue with it.
    catalogue_load(ServiceType)
    return ServiceType.objects.get(code="online_safety")


def run_together(count, work):
    """Run ``work(index)`` in ``count`` threads released at once; return results."""
    start = threading.Barrier(count, timeout=TIMEOUT)
    results, errors = [None] * count, []

    def thread(index):
        try:
            start.wait()
            results[index] = work(index)
        except BaseException as error:  # reported in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=thread, args=(i,)) for i in range(count)]
    for each in threads:
        each.start()
    for each in threads:
        each.join(TIMEOUT)
    assert not any(each.is_alive() for each in threads), "a thread hung"
    assert errors == []
    return results


@pytest.fixture
def fields(area, users, member, household, safety):
    return {
        "client_uuid": uuid.uuid4(),
        "team": area.team,
        "members": [member],
        "started_at": timezone.now() - datetime.timedelta(hours=1),
        "place": "home",
        "services": [ServiceLine(safety, "done")],
        "source": "api",
        "recorded_by": users[Role.TEAM_MEMBER],
        "household": household,
    }


def test_two_simultaneous_sends_store_one_session(fields):
    results = run_together(2, lambda index: session_record(**fields))

    stored = AssistanceSession.objects.get()
    assert [session.pk for session, _created in results] == [stored.pk, stored.pk]
    assert sorted(created for _session, created in results) == [False, True]
    assert SessionService.objects.filter(session=stored).count() == 1


def test_both_sends_pass_the_lookup_before_either_writes(fields, monkeypatch):
    """Force the race: neither finds the UUID, both insert, one must yield."""
    checked = threading.Barrier(2, timeout=TIMEOUT)
    session_check = sessions.session_check

    def check_then_wait(**content):
        references = session_check(**content)
        checked.wait()
        return references

    monkeypatch.setattr(sessions, "session_check", check_then_wait)

    results = run_together(2, lambda index: session_record(**fields))

    stored = AssistanceSession.objects.get()
    assert {session.pk for session, _created in results} == {stored.pk}
    assert sorted(created for _session, created in results) == [False, True]
    assert SessionService.objects.count() == 1
    assert stored.members.count() == 1


def test_a_simultaneous_send_with_other_content_is_a_conflict(fields, monkeypatch):
    checked = threading.Barrier(2, timeout=TIMEOUT)
    session_check = sessions.session_check

    def check_then_wait(**content):
        references = session_check(**content)
        checked.wait()
        return references

    monkeypatch.setattr(sessions, "session_check", check_then_wait)

    def send(index):
        try:
            return session_record(**{**fields, "notes": "Máy %d" % index})
        except CaptureConflict as conflict:
            return conflict

    results = run_together(2, send)

    stored = AssistanceSession.objects.get()
    conflicts = [r for r in results if isinstance(r, CaptureConflict)]
    assert len(conflicts) == 1
    assert conflicts[0].stored.pk == stored.pk


def test_two_simultaneous_api_posts_store_one_session(users, household, fields):
    body = {
        "client_uuid": str(fields["client_uuid"]),
        "started_at": fields["started_at"].isoformat(),
        "place": "home",
        "household": household.pk,
        "services": [{"service": "online_safety", "outcome": "done"}],
    }
    clients = [APIClient(), APIClient()]
    for client in clients:
        client.force_login(users[Role.TEAM_MEMBER])

    responses = run_together(
        2, lambda index: clients[index].post("/api/v1/sessions/", body, format="json")
    )

    stored = AssistanceSession.objects.get()
    assert sorted(response.status_code for response in responses) == [200, 201]
    assert [response.json()["id"] for response in responses] == [stored.pk] * 2


def test_two_simultaneous_patches_both_survive(
    users, member, household, fields, monkeypatch
):
    """An author and an official change one session at the same moment: the
    notes of one and the duration of the other are both kept."""
    session, _created = session_record(**{**fields, "notes": "Cũ"})
    # Without the lock both would read the session, then meet here and each
    # write back its own stale copy; with it, the second waits for the first.
    met = threading.Barrier(2)
    session_check = sessions.session_check

    def check_then_meet(**content):
        references = session_check(**content)
        # With the lock the other edit waits for the row: the wait runs out.
        with contextlib.suppress(threading.BrokenBarrierError):
            met.wait(timeout=1)
        return references

    monkeypatch.setattr(sessions, "session_check", check_then_meet)
    clients = [APIClient(), APIClient()]
    clients[0].force_login(users[Role.TEAM_MEMBER])
    clients[1].force_login(users[Role.WARD])
    changes = [{"notes": "Đã gọi lại"}, {"duration_minutes": 45}]
    url = "/api/v1/sessions/%d/" % session.pk

    responses = run_together(
        2, lambda index: clients[index].patch(url, changes[index], format="json")
    )

    assert [response.status_code for response in responses] == [200, 200]
    stored = AssistanceSession.objects.get(pk=session.pk)
    assert (stored.notes, stored.duration_minutes) == ("Đã gọi lại", 45)


def test_one_batch_sent_twice_at_once_stores_each_session_once(
    users, household, fields, monkeypatch
):
    """A phone's queue resent while its first send is still running: each
    item races its twin, and each is stored by exactly one of the two."""
    checked = threading.Barrier(2, timeout=TIMEOUT)
    session_check = sessions.session_check

    def check_then_wait(**content):
        references = session_check(**content)
        checked.wait()  # both sends of this item have passed their lookups
        return references

    monkeypatch.setattr(sessions, "session_check", check_then_wait)
    batch = [
        {
            "client_uuid": str(uuid.uuid4()),
            "started_at": fields["started_at"].isoformat(),
            "place": "home",
            "household": household.pk,
            "services": [{"service": "online_safety", "outcome": "done"}],
            "notes": "Lượt %d" % index,
        }
        for index in range(3)
    ]
    clients = [APIClient(), APIClient()]
    for client in clients:
        client.force_login(users[Role.TEAM_MEMBER])

    responses = run_together(
        2,
        lambda index: clients[index].post(
            "/api/v1/sessions/batch/", {"sessions": batch}, format="json"
        ),
    )

    assert [response.status_code for response in responses] == [200, 200]
    answers = [response.json()["results"] for response in responses]
    for position, item in enumerate(batch):
        twins = [results[position] for results in answers]
        assert sorted(twin["status"] for twin in twins) == [200, 201]
        stored = AssistanceSession.objects.get(client_uuid=item["client_uuid"])
        assert [twin["body"]["id"] for twin in twins] == [stored.pk] * 2
    assert AssistanceSession.objects.count() == 3
    assert SessionService.objects.count() == 3

"""A session's answers carry its version as an ETag; a change sent with
If-Match on an older version is refused with 412 and changes nothing."""

import pytest

from assistance.models import AssistanceSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(record):
    session, _created = record(notes="Cũ")
    return session


def url(session) -> str:
    return "/api/v1/sessions/%d/" % session.pk


def test_a_read_carries_the_sessions_version(as_member, stored):
    response = as_member.get(url(stored))

    assert response.status_code == 200
    assert response["ETag"].startswith('"%d.' % stored.pk)


def test_a_change_moves_the_version(as_member, stored):
    before = as_member.get(url(stored))["ETag"]

    response = as_member.patch(url(stored), {"notes": "Mới"}, format="json")

    assert response.status_code == 200
    assert response["ETag"] not in ("", before)
    assert as_member.get(url(stored))["ETag"] == response["ETag"]


def test_a_change_on_the_current_version_goes_through(as_member, stored):
    tag = as_member.get(url(stored))["ETag"]

    response = as_member.patch(
        url(stored), {"notes": "Mới"}, format="json", HTTP_IF_MATCH=tag
    )

    assert response.status_code == 200
    assert AssistanceSession.objects.get(pk=stored.pk).notes == "Mới"


def test_a_weakened_tag_still_matches(as_member, stored):
    tag = as_member.get(url(stored))["ETag"]

    response = as_member.patch(
        url(stored), {"notes": "Mới"}, format="json", HTTP_IF_MATCH="W/" + tag
    )

    assert response.status_code == 200


def test_a_change_on_an_older_version_is_refused(as_member, stored):
    old = as_member.get(url(stored))["ETag"]
    as_member.patch(url(stored), {"duration_minutes": 30}, format="json")

    response = as_member.patch(
        url(stored), {"notes": "Ghi đè"}, format="json", HTTP_IF_MATCH=old
    )

    assert response.status_code == 412
    assert response.json()["code"] == "precondition_failed"
    assert "changed since you read it" in response.json()["detail"]
    assert response["ETag"] != old  # the version to read again
    stored.refresh_from_db()
    assert (stored.notes, stored.duration_minutes) == ("Cũ", 30)


def test_a_new_session_is_answered_with_its_version(as_member, member, household):
    body = {
        "client_uuid": "7d1b2a10-2f2c-4c55-9a61-3c1f8b1e0a01",
        "started_at": "2026-11-20T09:30:00+07:00",
        "place": "home",
        "household": household.pk,
        "services": [{"service": "online_safety", "outcome": "done"}],
    }

    created = as_member.post("/api/v1/sessions/", body, format="json")
    resent = as_member.post("/api/v1/sessions/", body, format="json")

    assert created.status_code == 201
    assert created["ETag"] == resent["ETag"]
    assert as_member.get(url_of(created))["ETag"] == created["ETag"]


def url_of(response) -> str:
    return "/api/v1/sessions/%d/" % response.json()["id"]

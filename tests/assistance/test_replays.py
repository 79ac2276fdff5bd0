"""A phone's resend answered from the kept answer, and what forgets it.

The kept answer must never hide a change: each test changes the session (or
what its answer shows) after it was stored, then resends the same bytes.
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from assistance.models import AssistanceSession, ServiceType
from assistance.services import follow_up_close, session_update
from households.models import Household
from tests.assistance.factories import MembershipFactory
from tests.assistance.test_api import body, post

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


def queries_of(call) -> tuple:
    with CaptureQueriesContext(connection) as queries:
        answer = call()
    return answer, len(queries)


def test_a_resend_of_the_same_bytes_reads_no_more_than_the_sign_in(
    as_member, household
):
    data = body(household)
    first = post(as_member, data)
    _me, sign_in = queries_of(lambda: as_member.get(ME))

    again, reads = queries_of(lambda: post(as_member, data))

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert reads == sign_in
    assert AssistanceSession.objects.count() == 1


def test_a_resend_after_an_edit_shows_the_edit(as_member, household):
    data = body(household)
    stored = post(as_member, data).json()
    session_update(session=AssistanceSession.objects.get(pk=stored["id"]), notes="Sửa")

    again = post(as_member, data)

    assert again.status_code == 200
    assert again.json()["notes"] == "Sửa"


def test_a_resend_shows_its_follow_up_closed_by_a_later_session(as_member, household):
    waiting = body(household, services=[{"service": "bill_qr", "outcome": "follow_up"}])
    assert post(as_member, waiting).json()["services"][0]["closed_at"] is None
    finished = body(household, services=[{"service": "bill_qr", "outcome": "done"}])
    assert post(as_member, finished).status_code == 201

    again = post(as_member, waiting)

    assert again.status_code == 200
    assert again.json()["services"][0]["closed_at"] is not None


def test_a_resend_shows_a_follow_up_closed_by_hand(as_member, household):
    waiting = body(household, services=[{"service": "bill_qr", "outcome": "follow_up"}])
    stored = post(as_member, waiting).json()
    follow_up_close(line=AssistanceSession.objects.get(pk=stored["id"]).services.get())

    again = post(as_member, waiting)

    assert again.json()["services"][0]["closed_at"] is not None


@pytest.mark.parametrize(
    "take_off",
    [
        lambda session, other: session.members.remove(other),
        lambda session, other: other.sessions.remove(session),
        lambda session, other: other.sessions.clear(),
        lambda session, other: other.delete(),
    ],
    ids=["from the session", "from the member", "all of the member's", "deleted"],
)
def test_a_resend_shows_a_member_taken_off_the_session(
    as_member, area, household, member, take_off
):
    other = MembershipFactory(member__ward=area.ward, team=area.team).member
    data = body(household, members=[member.pk, other.pk])
    stored = post(as_member, data).json()
    assert sorted(stored["members"]) == sorted([member.pk, other.pk])

    take_off(AssistanceSession.objects.get(pk=stored["id"]), other)
    again = post(as_member, data)

    assert again.status_code == 200
    assert again.json()["members"] == [member.pk]


def test_a_resend_shows_a_renamed_service(
    as_member, household, django_capture_on_commit_callbacks
):
    data = body(household)
    post(as_member, data)
    with django_capture_on_commit_callbacks(execute=True):
        service = ServiceType.objects.get(code="online_safety")
        service.name_en = "Staying safe online"
        service.save()

    again = post(as_member, data)

    assert again.json()["services"][0]["service_name"] == "Staying safe online"


def test_a_resend_is_answered_in_the_language_it_asks_in(as_member, household):
    data = body(household)
    post(as_member, data)
    as_member.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    again = post(as_member, data)

    assert again.json()["services"][0]["service_name"] == (
        "Nhận biết lừa đảo, an toàn trên mạng"
    )


def test_a_deleted_session_is_stored_again_by_its_resend(as_member, household):
    data = body(household)
    first = post(as_member, data).json()
    AssistanceSession.objects.get(pk=first["id"]).delete()

    again = post(as_member, data)

    assert again.status_code == 201
    assert again.json()["id"] != first["id"]


def test_another_account_resending_the_bytes_gets_its_own_answer(
    api, users, as_member, household, member, leader
):
    """The leader may not edit the member's session: the answer says so."""
    data = body(household, members=[member.pk])
    assert post(as_member, data).json()["may_edit"] is True
    api.force_login(users[Role.TEAM_LEADER])

    again = post(api, data)

    assert again.status_code == 200
    assert again.json()["may_edit"] is False


def test_a_sender_moved_to_another_team_is_not_answered_for_the_old_one(
    as_member, users, household, sister_team
):
    data = body(household)
    post(as_member, data)
    sender = users[Role.TEAM_MEMBER]
    sender.team = sister_team
    sender.save()

    again = post(as_member, data)

    assert again.status_code == 409
    assert "id" not in again.json()


def test_a_late_resend_reads_the_stored_session(as_member, household):
    """Past its few minutes the kept answer is gone; the stored row answers."""
    data = body(household)
    first = post(as_member, data).json()
    cache.clear()

    again = post(as_member, data)

    assert again.status_code == 200
    assert again.json() == first
    assert AssistanceSession.objects.count() == 1


def test_a_late_resend_is_answered_though_its_household_moved_away(
    as_member, household, area
):
    data = body(household)
    first = post(as_member, data).json()
    cache.clear()
    Household.objects.filter(pk=household.pk).update(ward=area.neighbour_ward)

    again = post(as_member, data)

    assert again.status_code == 200
    assert again.json()["id"] == first["id"]


class CacheDown:
    def __getattr__(self, name):
        def refuse(*args, **kwargs):
            raise ConnectionError("cache down")

        return refuse


def test_capture_and_resends_work_with_the_cache_down(
    as_member, household, monkeypatch
):
    monkeypatch.setattr("assistance.replays.cache", CacheDown())
    data = body(household)

    first = post(as_member, data)
    again = post(as_member, data)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]

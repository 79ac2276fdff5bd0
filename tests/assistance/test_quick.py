"""The capture's quick path stores what the checked path stores, or declines.

Each session is sent twice under two UUIDs: once down the quick path (one
statement, PostgreSQL), once down the checked path (the ORM), and the two
are compared: answers, session rows, members, lines, audit rows, follow-ups
closed and the summary buckets queued for a refresh.
"""

import datetime
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from assistance.api import views
from assistance.models import AssistanceSession, ServiceType, SessionService
from households.models import Resident
from tests.accounts.factories import UserFactory
from tests.assistance.factories import MembershipFactory
from tests.assistance.test_api import SESSIONS, post
from tests.households.factories import ResidentFactory

pytestmark = pytest.mark.django_db

# What differs between two stores of the same content under two UUIDs.
OWN = {"id", "client_uuid", "created_at", "updated_at"}
HISTORY_OWN = OWN | {"history_id", "history_date"}


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the quick path is one PostgreSQL statement; SQLite has none")


@pytest.fixture
def paths(monkeypatch):
    """Which path the next posts take, and which of them the quick one stored."""

    class Paths:
        quick = True
        stored = []

    real = views.quick_record

    def quick_record(request, **kwargs):
        if not Paths.quick:
            return None
        session = real(request, **kwargs)
        Paths.stored.append(session is not None)
        return session

    monkeypatch.setattr(views, "quick_record", quick_record)
    return Paths


@pytest.fixture
def refreshed(monkeypatch):
    """The (ward, day) buckets queued for a refresh, in order of queueing."""
    from reports import receivers

    queued = []
    monkeypatch.setattr(receivers, "_enqueue", lambda buckets: queued.append(buckets))
    return queued


def an_hour_ago() -> str:
    return (timezone.now() - datetime.timedelta(hours=1)).isoformat()


def field_body(member, **changes) -> dict:
    """A session as the field page sends it (members named, every key given)."""
    data = {
        "client_uuid": str(uuid.uuid4()),
        "started_at": an_hour_ago(),
        "place": "home",
        "notes": "",
        "services": [
            {
                "service": "online_safety",
                "outcome": "done",
                "reason": "",
                "dossier_ref": "",
            }
        ],
        "source": "field",
        "members": [member.pk],
        "service_point": None,
        "duration_minutes": None,
    }
    data.update(changes)
    return data


def stored(answer) -> dict:
    """The stored rows of an answered session, without what makes them its own."""
    session = AssistanceSession.objects.get(pk=answer["id"])
    row = AssistanceSession.objects.filter(pk=session.pk).values().get()
    history = list(AssistanceSession.history.filter(id=session.pk).values())
    return {
        "row": {key: value for key, value in row.items() if key not in OWN},
        "members": sorted(session.members.values_list("pk", flat=True)),
        "lines": sorted(
            (
                line.service_type_id,
                line.outcome,
                line.reason,
                line.dossier_ref,
                line.closed_at is None,
            )
            for line in session.services.all()
        ),  # fmt: skip
        "history": [
            {key: value for key, value in audit.items() if key not in HISTORY_OWN}
            for audit in history
        ],
    }


def differences(quick, checked, at="") -> list:
    """Where two nested values differ, as (place, quick's, checked's)."""
    if isinstance(quick, dict) and isinstance(checked, dict):
        return [
            difference
            for key in sorted(quick.keys() | checked.keys())
            for difference in differences(
                quick.get(key), checked.get(key), "%s.%s" % (at, key)
            )
        ]
    if (
        isinstance(quick, list)
        and isinstance(checked, list)
        and len(quick) == len(checked)
    ):
        return [
            difference
            for index, pair in enumerate(zip(quick, checked, strict=True))
            for difference in differences(*pair, "%s[%d]" % (at, index))
        ]
    return [] if quick == checked else [(at, quick, checked)]


def shown(answer) -> dict:
    shown = {key: value for key, value in answer.items() if key not in OWN}
    shown["services"] = [
        dict(line, closed_at=line["closed_at"] is not None)
        for line in answer["services"]
    ]
    return shown


@pytest.fixture
def same(as_member, paths, refreshed, django_capture_on_commit_callbacks):
    """Send a session down the quick path, then again under another UUID down
    the checked one; assert the quick one stored it, and that both stored,
    answered and queued for a refresh the same. Returns the quick answer."""

    def send(data, quick):
        paths.quick = quick
        refreshed.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = post(as_member, dict(data, client_uuid=str(uuid.uuid4())))
        assert response.status_code == 201, response.content
        return response.json(), set().union(*refreshed)

    def same(data, between=None):
        paths.stored.clear()
        quick, quick_buckets = send(data, quick=True)
        assert paths.stored == [True], "the quick path declined it"
        if between is not None:
            between()
        checked, checked_buckets = send(data, quick=False)
        assert differences(shown(quick), shown(checked)) == []
        for answer in (quick, checked):  # as a read shows the stored session
            read = as_member.get("%s%d/" % (SESSIONS, answer["id"])).json()
            assert differences(answer, read) == []
        assert differences(stored(quick), stored(checked)) == []
        assert quick_buckets == checked_buckets
        return quick

    return same


@pytest.fixture
def partner(area):
    """A second member of the team, whose name sorts before the first's."""
    return MembershipFactory(
        member__ward=area.ward, member__full_name="Bùi Thị Cúc", team=area.team
    ).member


# Stored alike


def test_a_home_visit_as_the_field_page_sends_it(same, member, household):
    answer = same(field_body(member, household=household.pk, resident=None))

    assert answer["household"] == household.pk
    assert answer["may_edit"] is True


def test_a_visit_with_its_point_duration_notes_and_lines_of_every_ending(
    same, member, household, service_point
):
    same(
        field_body(
            member,
            household=household.pk,
            place="centre",
            service_point=service_point.pk,
            duration_minutes=25,
            notes="  Hướng dẫn cài đặt  ",
            services=[
                {"service": "vneid_install", "outcome": "done"},
                {
                    "service": "birth_registration",
                    "outcome": "done",
                    "dossier_ref": " HS-2026-001 ",
                },
                {
                    "service": "bill_qr",
                    "outcome": "failed",
                    "reason": "  Không có mạng ",
                },
                {
                    "service": "payment_app",
                    "outcome": "follow_up",
                    "reason": "kept only when it failed",
                },
            ],
        )  # fmt: skip
    )


def test_a_person_helped_is_their_household_reached(same, member, resident):
    answer = same(field_body(member, household=None, resident=resident.pk))

    assert answer["household"] == resident.household_id


def test_a_person_named_with_their_household(same, member, resident):
    same(field_body(member, household=resident.household_id, resident=resident.pk))


def test_a_walk_in(same, member):
    same(
        field_body(
            member,
            household=None,
            resident=None,
            place="mobile",
            walk_in_gender="female",
            walk_in_age_group="60_plus",
            walk_in_elderly_alone=True,
            walk_in_disability=False,
            walk_in_poor=True,
            walk_in_ethnic_minority=False,
            walk_in_no_smartphone=True,
        )
    )


def test_two_members_come_back_in_the_order_of_their_names(
    same, member, partner, household
):
    answer = same(
        field_body(member, household=household.pk, members=[member.pk, partner.pk])
    )

    assert answer["members"] == [partner.pk, member.pk]


def test_a_finished_service_closes_the_same_households_earlier_follow_ups(
    same, as_member, member, household, paths
):
    paths.quick = False
    for days, outcome in ((5, "done"), (3, "follow_up")):
        earlier = field_body(
            member,
            household=household.pk,
            started_at=(timezone.now() - datetime.timedelta(days=days)).isoformat(),
            services=[{"service": "bill_qr", "outcome": outcome}],
        )
        assert post(as_member, earlier).status_code == 201
    follow_ups = SessionService.objects.filter(outcome="follow_up")

    def reopen():  # for the checked path to close in its turn
        assert follow_ups.filter(closed_at__isnull=False).update(closed_at=None) == 1

    finished = [{"service": "bill_qr", "outcome": "done"}]
    same(field_body(member, household=household.pk, services=finished), reopen)

    assert not follow_ups.filter(closed_at__isnull=True).exists()
    assert not SessionService.objects.filter(closed_at__isnull=False, outcome="done")


def test_a_follow_up_sent_after_the_session_that_finished_it_is_closed_at_once(
    same, as_member, member, resident, paths
):
    paths.quick = False
    finished = field_body(
        member,
        resident=resident.pk,
        services=[{"service": "vneid_account", "outcome": "done"}],
    )
    assert post(as_member, finished).status_code == 201
    earlier = (timezone.now() - datetime.timedelta(days=1)).isoformat()

    answer = same(
        field_body(
            member,
            resident=resident.pk,
            started_at=earlier,
            services=[{"service": "vneid_account", "outcome": "follow_up"}],
        )
    )

    assert answer["services"][0]["closed_at"] is not None


def test_the_quick_path_writes_with_one_statement(as_member, member, household, paths):
    post(as_member, field_body(member, household=household.pk))  # the catalogue read
    with CaptureQueriesContext(connection) as me:
        as_member.get("/api/v1/me/")

    with CaptureQueriesContext(connection) as capture:
        response = post(as_member, field_body(member, household=household.pk))

    assert response.status_code == 201
    assert paths.stored == [True, True]
    assert len(capture) == len(me) + 1


# Declined: the checked path answers


def test_a_check_that_fails_is_worded_by_the_checked_path(
    as_member, member, neighbour_household, paths
):
    response = post(as_member, field_body(member, household=neighbour_household.pk))

    assert response.status_code == 400
    assert "household" in response.json()
    assert paths.stored == [False]
    assert not AssistanceSession.objects.exists()


def test_a_member_who_left_the_team_is_refused(
    as_member, member, partner, household, paths
):
    partner.memberships.update(
        left_on=timezone.localdate() - datetime.timedelta(days=10)
    )

    response = post(
        as_member,
        field_body(member, household=household.pk, members=[member.pk, partner.pk]),
    )

    assert response.status_code == 400
    assert "members" in response.json()
    assert paths.stored == [False]
    assert not AssistanceSession.objects.exists()


def test_a_person_of_another_household_is_refused(
    as_member, member, household, area, paths
):
    stranger = ResidentFactory(household__ward=area.ward, household__hamlet=area.hamlet)

    response = post(
        as_member, field_body(member, household=household.pk, resident=stranger.pk)
    )

    assert response.status_code == 400
    assert "resident" in response.json()
    assert paths.stored == [False]


def test_a_service_taken_out_of_the_catalogue_is_refused_at_once(
    as_member, member, household, paths, django_capture_on_commit_callbacks
):
    assert (
        post(as_member, field_body(member, household=household.pk)).status_code == 201
    )
    safety = ServiceType.objects.get(code="online_safety")
    safety.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        safety.save()

    response = post(as_member, field_body(member, household=household.pk))

    assert response.status_code == 400
    assert "services" in response.json()
    assert paths.stored == [True, False]


def test_a_level_2_activation_for_a_person_raises_their_e_id(
    as_member, member, resident, paths
):
    response = post(
        as_member,
        field_body(
            member,
            resident=resident.pk,
            services=[{"service": "vneid_level2", "outcome": "done"}],
        ),
    )

    assert response.status_code == 201
    assert paths.stored == [False]
    resident.refresh_from_db()
    assert resident.vneid_level == Resident.VneidLevel.LEVEL_2


@pytest.mark.parametrize(
    "changes",
    [
        {"household": "HOUSEHOLD"},  # a number as text
        {"duration_minutes": "30"},
        {"started_at": "NAIVE"},  # no time zone: the server's is assumed
        {"walk_in_poor": False, "household": None, "walk_in_gender": "male",
         "walk_in_age_group": "18_59", "walk_in_disability": "false"},
    ],
    ids=["household-as-text", "duration-as-text", "naive-time", "flag-as-text"],
)  # fmt: skip
def test_values_of_other_forms_are_read_by_the_checked_path(
    as_member, member, household, paths, changes
):
    data = field_body(member, household=household.pk)
    for name, value in changes.items():
        if value == "HOUSEHOLD":
            value = str(household.pk)
        elif value == "NAIVE":
            value = timezone.localtime().replace(tzinfo=None).isoformat()
        data[name] = value

    response = post(as_member, data)

    assert response.status_code == 201, response.content
    assert paths.stored == [False]
    assert AssistanceSession.objects.count() == 1


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"place": ["home"]}, "place"),
        ({"source": {"field": True}}, "source"),
        ({"team": True}, "team"),
        ({"walk_in_gender": ["male"], "household": None}, "walk_in_gender"),
        ({"services": [{"service": "bill_qr", "outcome": ["done"]}]}, "services"),
    ],
    ids=["place-list", "source-object", "team-true", "gender-list", "outcome-list"],
)
def test_values_of_the_wrong_shape_are_refused_by_name(
    as_member, member, household, paths, changes, field
):
    data = dict(field_body(member, household=household.pk), **changes)

    response = post(as_member, data)

    assert response.status_code == 400
    assert field in response.json()
    assert paths.stored == [False]
    assert not AssistanceSession.objects.exists()


def test_a_resend_whose_kept_answer_is_gone_gets_the_stored_session(
    as_member, member, household, paths
):
    data = field_body(member, household=household.pk)
    first = post(as_member, data)
    cache.clear()

    again = post(as_member, data)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert paths.stored == [True, False]
    assert AssistanceSession.objects.count() == 1


def test_a_uuid_stored_with_other_content_is_a_conflict(
    as_member, member, household, paths
):
    data = field_body(member, household=household.pk)
    post(as_member, data)

    response = post(as_member, dict(data, notes="Khác"))

    assert response.status_code == 409
    assert paths.stored == [True, False]


def test_a_ward_official_takes_the_checked_path(api, area, member, household, paths):
    official = UserFactory(username="canbo", role=Role.WARD, ward=area.ward)
    api.force_login(official)

    response = post(api, field_body(member, household=household.pk, team=area.team.pk))

    assert response.status_code == 201
    assert paths.stored == [False]

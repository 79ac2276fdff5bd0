"""The one capture path through the API: its cost, its refusals, its resends.

Every way in (field page, API, admin) stores a session through
``session_record``; these tests drive it the way the field page does (its
JSON, every key given) and hold it to a fixed number of queries.
"""

import datetime
import json
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

from accounts.models import Role
from accounts.serializers import reference_missing
from assistance.models import AssistanceSession, ServiceType, SessionService
from households.models import Resident
from tests.accounts.factories import UserFactory
from tests.assistance.factories import MembershipFactory, ServicePointFactory
from tests.assistance.test_api import SESSIONS, post
from tests.households.factories import ResidentFactory

pytestmark = pytest.mark.django_db

# A new household session from a phone: the sign-in's two reads, the one
# reference check (which also finds the follow-ups the household waits on:
# none here, so none is looked for again), the session and its audit row,
# its members and lines (one statement on PostgreSQL, two elsewhere), its
# bucket marked as owed a refresh (reports.PendingRefresh), and the savepoint
# around them.
NEW_SESSION_QUERIES = 9 if connection.vendor == "postgresql" else 10


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


@pytest.fixture
def partner(area):
    """A second member of the team, whose name sorts before the first's."""
    return MembershipFactory(
        member__ward=area.ward, member__full_name="Bùi Thị Cúc", team=area.team
    ).member


# Cost


def test_a_new_household_session_costs_a_fixed_number_of_queries(
    as_member, member, household, django_assert_num_queries
):
    post(as_member, field_body(member, household=household.pk))  # the catalogue

    with django_assert_num_queries(NEW_SESSION_QUERIES):
        response = post(as_member, field_body(member, household=household.pk))

    assert response.status_code == 201


def test_a_session_with_several_members_and_lines_costs_no_more(
    as_member, member, partner, household, django_assert_num_queries
):
    post(as_member, field_body(member, household=household.pk))
    services = [
        {"service": "vneid_install", "outcome": "done"},
        {"service": "bill_qr", "outcome": "done"},
        {"service": "online_selling", "outcome": "done"},
    ]
    data = field_body(
        member,
        household=household.pk,
        members=[member.pk, partner.pk],
        services=services,
    )

    with django_assert_num_queries(NEW_SESSION_QUERIES):
        response = post(as_member, data)

    assert response.status_code == 201


# Stored as a read shows it


def test_the_answer_names_the_members_by_id_as_a_read_does(
    as_member, member, partner, household
):
    data = field_body(member, household=household.pk, members=[member.pk, partner.pk])

    answer = post(as_member, data).json()

    assert answer["members"] == sorted([member.pk, partner.pk])
    assert answer == as_member.get("%s%d/" % (SESSIONS, answer["id"])).json()


def test_a_person_helped_is_their_household_reached(as_member, member, resident):
    answer = post(as_member, field_body(member, resident=resident.pk)).json()

    assert answer["household"] == resident.household_id
    assert AssistanceSession.objects.get().household_id == resident.household_id


def test_a_level_2_activation_for_a_person_raises_their_e_id(
    as_member, member, resident
):
    services = [{"service": "vneid_level2", "outcome": "done"}]

    response = post(
        as_member, field_body(member, resident=resident.pk, services=services)
    )

    assert response.status_code == 201
    resident.refresh_from_db()
    assert resident.vneid_level == Resident.VneidLevel.LEVEL_2


def test_a_ward_official_logs_for_a_team_of_the_ward(api, area, member, household):
    api.force_login(UserFactory(username="canbo", role=Role.WARD, ward=area.ward))

    response = post(api, field_body(member, household=household.pk, team=area.team.pk))

    assert response.status_code == 201
    assert AssistanceSession.objects.get().ward == area.ward


# Refused by name


@pytest.mark.parametrize("field", ["household", "resident", "service_point", "team"])
def test_a_row_of_another_ward_reads_as_one_that_does_not_exist(
    as_member, area, member, household, field
):
    """The answer is the same for a row elsewhere and for no row at all."""
    elsewhere = {
        "household": lambda: (
            ResidentFactory(
                household__ward=area.neighbour_ward,
                household__hamlet=area.neighbour_hamlet,
            ).household.pk
        ),
        "resident": lambda: (
            ResidentFactory(
                household__ward=area.neighbour_ward,
                household__hamlet=area.neighbour_hamlet,
            ).pk
        ),
        "service_point": lambda: ServicePointFactory(ward=area.neighbour_ward).pk,
        "team": lambda: area.neighbour_team.pk,
    }[field]()
    missing = elsewhere + 100_000

    answers = [
        post(as_member, field_body(member, **{"household": household.pk, field: pk}))
        for pk in (elsewhere, missing)
    ]

    with translation.override("en"):
        expected = [{field: [reference_missing(pk)]} for pk in (elsewhere, missing)]
    assert [answer.status_code for answer in answers] == [400, 400]
    assert [answer.json()["errors"] for answer in answers] == expected
    assert not AssistanceSession.objects.exists()


def test_a_member_of_another_ward_does_not_exist(
    as_member, member, household, neighbour_member
):
    response = post(
        as_member,
        field_body(member, household=household.pk, members=[neighbour_member.pk]),
    )

    assert response.status_code == 400
    with translation.override("en"):
        assert response.json()["errors"] == {
            "members": [reference_missing(neighbour_member.pk)]
        }


def test_a_member_who_left_the_team_is_refused_by_name(
    as_member, member, partner, household
):
    partner.memberships.update(
        left_on=timezone.localdate() - datetime.timedelta(days=10)
    )

    response = post(
        as_member,
        field_body(member, household=household.pk, members=[member.pk, partner.pk]),
    )

    assert response.status_code == 400
    assert response.json()["errors"]["members"][0].startswith(
        "Bùi Thị Cúc is not a member of the team"
    )
    assert not AssistanceSession.objects.exists()


def test_a_person_of_another_household_is_refused(as_member, member, household, area):
    stranger = ResidentFactory(household__ward=area.ward, household__hamlet=area.hamlet)

    response = post(
        as_member, field_body(member, household=household.pk, resident=stranger.pk)
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "resident": ["This person does not live in the chosen household."]
    }


def test_a_service_taken_out_of_the_catalogue_is_refused_at_once(
    as_member, member, household, django_capture_on_commit_callbacks
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
    assert list(response.json()["errors"]) == ["services"]


@pytest.mark.parametrize(
    "moment",
    [
        "0001-01-01T00:00:00+07:00",
        "0001-01-01T10:00:00Z",
        "9999-12-31T23:59:59+07:00",
        "9999-12-31T23:59:59-12:00",
        "1999-12-31T23:00:00+07:00",
    ],
)
def test_a_moment_out_of_range_is_a_400_on_started_at(
    as_member, member, household, moment
):
    response = post(
        as_member, field_body(member, household=household.pk, started_at=moment)
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["started_at"]
    assert not AssistanceSession.objects.exists()


def test_a_naive_moment_is_read_in_the_servers_time_zone(as_member, member, household):
    data = field_body(member, household=household.pk)
    data["started_at"] = timezone.localtime().replace(tzinfo=None).isoformat()

    response = post(as_member, data)

    assert response.status_code == 201, response.content
    assert AssistanceSession.objects.count() == 1


# The client reads English (tests/conftest.py); DRF's words, as translated.
WHOLE = "A valid integer is required."
TEXT = "Not a valid string."
YES_NO = "Must be a valid boolean."


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"household": "HOUSEHOLD"}, "household", WHOLE),
        ({"members": ["MEMBER"]}, "members", WHOLE),
        ({"duration_minutes": "30"}, "duration_minutes", WHOLE),
        ({"notes": 0}, "notes", TEXT),
        ({"place": 1}, "place", TEXT),
        ({"walk_in_poor": "false", "household": None, "walk_in_gender": "male",
          "walk_in_age_group": "18_59"}, "walk_in_poor",
         YES_NO),
        ({"services": [{"service": "bill_qr", "outcome": "done", "reason": 5}]},
         "services", TEXT),
    ],
    ids=["household-as-text", "member-as-text", "duration-as-text", "notes-as-number",
         "place-as-number", "flag-as-text", "reason-as-number"],
)  # fmt: skip
def test_a_value_of_another_json_type_is_refused_by_name(
    as_member, member, household, changes, field, message
):
    """The schema states each value's JSON type, and a client built from it
    sends that type: a number sent as text (or text as a number) is a
    mistake, refused with the field named, never read as something else."""
    data = field_body(member, household=household.pk)
    for name, value in changes.items():
        if value == "HOUSEHOLD":
            value = str(household.pk)
        elif value == ["MEMBER"]:
            value = [str(member.pk)]
        data[name] = value

    response = post(as_member, data)

    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert message in json.dumps(errors)
    assert not AssistanceSession.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"place": ["home"]}, "place"),
        ({"source": {"field": True}}, "source"),
        ({"team": True}, "team"),
        ({"team": 2**70}, "team"),
        ({"household": -3}, "household"),
        ({"household": "số 5"}, "household"),
        ({"resident": [1]}, "resident"),
        ({"members": "1"}, "members"),
        ({"members": [None]}, "members"),
        ({"members": [2**64]}, "members"),
        ({"walk_in_gender": ["male"], "household": None}, "walk_in_gender"),
        ({"services": [{"service": "bill_qr", "outcome": ["done"]}]}, "services"),
        ({"services": "bill_qr"}, "services"),
        ({"started_at": 1}, "started_at"),
        ({"client_uuid": "not-a-uuid"}, "client_uuid"),
    ],
)
def test_values_of_the_wrong_shape_are_refused_by_name(
    as_member, member, household, changes, field
):
    data = dict(field_body(member, household=household.pk), **changes)

    response = post(as_member, data)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert not AssistanceSession.objects.exists()


# Resends


def test_a_resend_whose_kept_answer_is_gone_gets_the_stored_session(
    as_member, member, household
):
    data = field_body(member, household=household.pk)
    first = post(as_member, data)
    cache.clear()

    again = post(as_member, data)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert AssistanceSession.objects.count() == 1
    assert SessionService.objects.count() == 1


def test_a_late_resend_is_answered_though_its_member_left_the_team(
    as_member, member, partner, household
):
    data = field_body(member, household=household.pk, members=[partner.pk])
    first = post(as_member, data).json()
    cache.clear()
    partner.memberships.update(left_on=timezone.localdate() - datetime.timedelta(1))

    again = post(as_member, data)

    assert again.status_code == 200
    assert again.json()["id"] == first["id"]


def test_a_uuid_stored_with_other_content_is_a_conflict(as_member, member, household):
    data = field_body(member, household=household.pk)
    stored = post(as_member, data).json()

    response = post(as_member, dict(data, notes="Khác"))

    assert response.status_code == 409
    assert response.json()["id"] == stored["id"]
    assert data["client_uuid"] in response.json()["errors"]["client_uuid"][0]

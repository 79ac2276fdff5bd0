"""A phone's queue in one request: each session answered as its own POST."""

import uuid

import pytest

from accounts.models import Role
from assistance.models import AssistanceSession
from tests.assistance.test_api import SESSIONS, body, post
from tests.assistance.test_replays import ME, queries_of

pytestmark = pytest.mark.django_db

BATCH = "/api/v1/sessions/batch/"


def send(client, sessions):
    return client.post(BATCH, {"sessions": sessions}, format="json")


def answered(response) -> list[tuple[int, dict]]:
    assert response.status_code == 200
    return [(item["status"], item["body"]) for item in response.json()["results"]]


def refused_fields(answer) -> set[str]:
    """The fields a 400 names, in the flat shape or the central one."""
    found = answer.json()
    return set(found.get("errors", found))


@pytest.fixture
def mixed(as_member, household, sister_team, sister_user):
    """A queue as a phone may send it: each kind of answer, an earlier one first."""
    earlier = body(household)
    assert post(as_member, earlier).status_code == 201
    return [
        body(household, services=[]),  # refused before anything stored
        body(household),  # new
        earlier,  # a resend
        {**earlier, "notes": "Nội dung khác"},  # the UUID with other content
        body(household, team=sister_team.pk),  # a team out of the member's scope
        body(household, notes="Lần thứ hai"),  # new, after the refusals
    ]


def test_each_item_is_answered_in_order_as_a_single_post_would_be(as_member, mixed):
    results = send(as_member, mixed).json()["results"]

    assert [item["status"] for item in results] == [400, 201, 200, 409, 400, 201]
    assert [item["client_uuid"] for item in results] == [
        data["client_uuid"] for data in mixed
    ]
    # The same sessions posted one by one now: the new ones are resends.
    singles = [post(as_member, data) for data in mixed]
    assert [single.status_code for single in singles] == [400, 200, 200, 409, 400, 200]
    assert [item["body"] for item in results] == [single.json() for single in singles]
    assert refused_fields(singles[0]) == {"services"}
    assert refused_fields(singles[4]) == {"team"}


def test_a_refused_item_neither_undoes_nor_holds_back_the_others(as_member, mixed):
    results = send(as_member, mixed).json()["results"]

    stored = AssistanceSession.objects.order_by("pk")
    assert stored.count() == 3  # the earlier one and the two new ones
    assert [str(session.client_uuid) for session in stored] == [
        mixed[2]["client_uuid"],
        mixed[1]["client_uuid"],
        mixed[5]["client_uuid"],
    ]
    assert stored.get(client_uuid=mixed[2]["client_uuid"]).notes == mixed[2]["notes"]
    assert [item.get("location") for item in results] == [
        None,
        "%s%d/" % (SESSIONS, results[1]["body"]["id"]),
        None,
        None,
        None,
        "%s%d/" % (SESSIONS, results[5]["body"]["id"]),
    ]


def test_a_new_items_answer_is_the_session_as_stored(as_member, household):
    results = send(as_member, [body(household)]).json()["results"]

    assert results[0]["status"] == 201
    assert as_member.get(results[0]["location"]).json() == results[0]["body"]


def test_the_same_uuid_twice_is_stored_once_and_answered_as_a_resend(
    as_member, household
):
    data = body(household)

    results = answered(send(as_member, [data, data]))

    assert [status for status, _body in results] == [201, 200]
    assert results[0][1] == results[1][1]
    assert AssistanceSession.objects.count() == 1


def test_the_same_uuid_twice_with_other_content_is_a_conflict(as_member, household):
    data = body(household)
    other = {**data, "notes": "Nội dung khác"}

    results = answered(send(as_member, [data, other]))

    assert [status for status, _body in results] == [201, 409]
    assert results[1][1] == post(as_member, other).json()
    assert AssistanceSession.objects.get().notes == data["notes"]


def test_an_item_that_is_not_an_object_is_refused_alone(as_member, household):
    data = body(household)

    results = send(as_member, [5, data]).json()["results"]

    assert [item["status"] for item in results] == [400, 201]
    assert results[0]["client_uuid"] is None
    assert results[0]["body"] == post(as_member, 5).json()
    assert AssistanceSession.objects.get().client_uuid == uuid.UUID(data["client_uuid"])


@pytest.mark.parametrize(
    "sent",
    [
        {"sessions": []},
        {"sessions": "not a list"},
        {"sessions": {"client_uuid": str(uuid.uuid4())}},
        {"sessions": None},
        {},
    ],
    ids=["none", "a string", "an object", "null", "missing"],
)
def test_sessions_that_are_not_a_list_of_some_are_a_400_on_sessions(as_member, sent):
    response = as_member.post(BATCH, sent, format="json")

    assert response.status_code == 400
    assert refused_fields(response) == {"sessions"}


def test_more_than_100_sessions_are_refused_whole(as_member, household):
    response = send(as_member, [body(household) for _ in range(101)])

    assert response.status_code == 400
    assert refused_fields(response) == {"sessions"}
    assert not AssistanceSession.objects.exists()


def test_100_sessions_are_taken(as_member, household):
    results = answered(send(as_member, [body(household) for _ in range(100)]))

    assert [status for status, _body in results] == [201] * 100
    assert AssistanceSession.objects.count() == 100


def test_a_ward_official_sends_a_batch_for_a_team_of_the_ward(
    api, users, area, member, household
):
    api.force_login(users[Role.WARD])
    data = body(household, team=area.team.pk, members=[member.pk])

    results = answered(send(api, [data]))

    assert [status for status, _body in results] == [201]
    assert AssistanceSession.objects.get().recorded_by == users[Role.WARD]


def test_province_staff_cannot_send_a_batch(api, users, area, member, household):
    api.force_login(users[Role.PROVINCE])
    data = body(household, team=area.team.pk, members=[member.pk])

    response = send(api, [data])

    assert response.status_code == 403
    assert response.json() == post(api, data).json()
    assert not AssistanceSession.objects.exists()


def test_anonymous_callers_are_asked_to_sign_in(api, household):
    response = send(api, [body(household)])

    assert response.status_code == 401
    assert not AssistanceSession.objects.exists()


def test_the_schema_describes_the_batch(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"][BATCH]["post"]
    assert operation["summary"]
    assert {"200", "400", "401", "403", "429"} <= set(operation["responses"])
    shapes = schema["components"]["schemas"]
    request = shapes["SessionBatchInputRequest"]["properties"]["sessions"]
    assert "SessionInputRequest" in request["items"]["description"]
    assert (request["minItems"], request["maxItems"]) == (1, 100)
    result = shapes["SessionBatchResult"]["properties"]
    assert all(field.get("description") for field in result.values())


def test_an_items_resend_alone_is_answered_from_the_kept_answer(as_member, household):
    data = body(household)
    first = send(as_member, [data, body(household)]).json()["results"][0]
    _me, sign_in = queries_of(lambda: as_member.get(ME))

    again, reads = queries_of(lambda: post(as_member, data))

    assert again.status_code == 200
    assert again.json() == first["body"]
    assert reads == sign_in  # the session was not read again

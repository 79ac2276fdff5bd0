"""POST /api/v1/households/: a team member adds a household of the team's ward,
once per UUID, warned of the households it may repeat."""

from uuid import uuid4

import pytest

from accounts.models import Role
from households.models import Household
from tests.accounts.factories import UserFactory
from tests.areas.factories import HamletFactory
from tests.households.factories import HouseholdFactory
from tests.teams.factories import TeamFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/households/"


@pytest.fixture
def member(api, users):
    api.force_authenticate(users[Role.TEAM_MEMBER])
    return users[Role.TEAM_MEMBER]


@pytest.fixture
def kept(area):
    return HouseholdFactory(
        ward=area.ward,
        hamlet=area.hamlet,
        code="BD-0100",
        head_name="Đặng Thị Hường",
        phone="0912345678",
        address="12 ngõ Hòa Bình",
    )


def payload(**changes) -> dict:
    data = {
        "client_uuid": str(uuid4()),
        "head_name": "Lê Văn Mười",
        "address": "5 ngõ Chùa",
        "phone": "+84 988 111 222",
        "size": 4,
        "elderly_alone": False,
        "poverty": "near_poor",
    }
    data.update(changes)
    return data


def test_a_member_adds_a_household_of_the_teams_hamlet(api, member, area):
    response = api.post(URL, payload(), format="json")

    assert response.status_code == 201, response.json()
    household = Household.objects.get()
    assert (household.ward, household.hamlet) == (area.ward, area.hamlet)
    assert household.phone == "0988111222"
    assert household.poverty == "near_poor"
    assert household.code.startswith("DT-")
    assert response.json()["code"] == household.code


def test_the_addition_is_audited_with_who_made_it(api, member):
    api.post(URL, payload(), format="json")

    record = Household.history.get()
    assert record.history_type == "+"
    assert record.history_user == member


def test_a_resend_is_stored_once_and_answered_200(api, member):
    body = payload()
    first = api.post(URL, body, format="json")
    again = api.post(URL, body, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Household.objects.count() == 1


def test_the_same_uuid_with_other_content_is_a_conflict(api, member):
    body = payload()
    api.post(URL, body, format="json")
    response = api.post(URL, {**body, "size": 9}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert Household.objects.get().size == 4


def test_a_refused_field_is_named_in_vietnamese(client, users):
    client.force_login(users[Role.TEAM_MEMBER])
    response = client.post(
        URL,
        payload(phone="12345", head_name=""),
        content_type="application/json",
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"head_name", "phone"}
    assert "Trường này không được để trống." in errors["head_name"]
    assert errors["phone"] == ["“12345” không phải số điện thoại Việt Nam."]
    assert not Household.objects.exists()


def test_a_likely_duplicate_is_refused_with_its_candidates(api, member, kept):
    response = api.post(
        URL, payload(head_name="dang thi huong", phone="", address=""), format="json"
    )

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "likely_duplicate"
    [candidate] = body["candidates"]
    assert candidate["code"] == "BD-0100"
    assert candidate["head"] == "Đặng Thị Hường"
    assert candidate["hamlet"] == kept.hamlet.name
    assert [reason["code"] for reason in candidate["reasons"]] == ["same_name"]
    assert Household.objects.count() == 1


def test_the_same_phone_is_a_likely_duplicate(api, member, kept):
    response = api.post(URL, payload(phone="0912 345 678"), format="json")

    assert response.status_code == 409
    reasons = response.json()["candidates"][0]["reasons"]
    assert [reason["code"] for reason in reasons] == ["same_phone"]


def test_a_confirmed_duplicate_is_stored(api, member, kept):
    body = payload(head_name="Đặng Thị Hường", confirm_duplicate=True)
    response = api.post(URL, body, format="json")

    assert response.status_code == 201
    assert Household.objects.filter(head_name="Đặng Thị Hường").count() == 2


def test_a_resend_of_a_stored_household_is_not_its_own_duplicate(api, member):
    body = payload(head_name="Trịnh Văn Một")
    api.post(URL, body, format="json")
    again = api.post(URL, body, format="json")

    assert again.status_code == 200


def test_candidates_of_another_ward_are_not_shown(api, member, area):
    HouseholdFactory(
        ward=area.neighbour_ward,
        hamlet=area.neighbour_hamlet,
        head_name="Lê Văn Mười",
        phone="0988111222",
    )
    response = api.post(URL, payload(), format="json")

    assert response.status_code == 201


def test_a_hamlet_team_cannot_add_in_another_hamlet(api, member, area):
    elsewhere = HamletFactory(ward=area.ward, name="Tổ dân phố số 9")
    response = api.post(URL, payload(hamlet=elsewhere.pk), format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"hamlet"}


def test_a_ward_team_chooses_a_hamlet_of_its_ward(api, area):
    team = TeamFactory(ward=area.ward, hamlet=None)
    api.force_authenticate(UserFactory(role=Role.TEAM_MEMBER, team=team))
    chosen = HamletFactory(ward=area.ward, name="Tổ dân phố số 5")

    missing = api.post(URL, payload(), format="json")
    stored = api.post(URL, payload(hamlet=chosen.pk), format="json")

    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"hamlet"}
    assert stored.status_code == 201
    assert Household.objects.get().hamlet == chosen


def test_a_hamlet_of_another_ward_is_refused(api, area):
    team = TeamFactory(ward=area.ward, hamlet=None)
    api.force_authenticate(UserFactory(role=Role.TEAM_MEMBER, team=team))

    response = api.post(URL, payload(hamlet=area.neighbour_hamlet.pk), format="json")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"hamlet"}
    assert not Household.objects.exists()


@pytest.mark.parametrize("role", [Role.WARD, Role.PROVINCE, Role.NATIONAL])
def test_only_team_members_and_leaders_add_households_here(api, users, role):
    api.force_authenticate(users[role])
    response = api.post(URL, payload(), format="json")

    assert response.status_code == 403
    assert not Household.objects.exists()


def test_a_leader_adds_households_too(api, users):
    api.force_authenticate(users[Role.TEAM_LEADER])
    assert api.post(URL, payload(), format="json").status_code == 201

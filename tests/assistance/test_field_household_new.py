"""The field page to add a household, and what the phone keeps to warn of one
added twice."""

import pytest

from accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.areas.factories import HamletFactory
from tests.households.factories import HouseholdFactory
from tests.teams.factories import TeamFactory

pytestmark = pytest.mark.django_db

PAGE = "/field/households/new/"


def test_a_hamlet_team_adds_in_its_own_hamlet_without_choosing(client, users, area):
    client.force_login(users[Role.TEAM_MEMBER])

    response = client.get(PAGE)

    assert response.status_code == 200
    assert "Thêm hộ" in response.text
    assert 'name="hamlet"' not in response.text
    assert f'data-hamlet="{area.hamlet.pk}"' in response.text
    assert "Vẫn thêm hộ mới" in response.text


def test_a_ward_team_chooses_among_its_wards_hamlets_only(client, area):
    team = TeamFactory(ward=area.ward, hamlet=None)
    client.force_login(UserFactory(role=Role.TEAM_MEMBER, team=team))
    other = HamletFactory(ward=area.ward, name="Tổ dân phố số 7")

    response = client.get(PAGE)

    assert list(response.context["hamlets"]) == sorted(
        [area.hamlet, other], key=lambda hamlet: hamlet.name
    )
    assert area.neighbour_hamlet.name not in response.text


def test_the_page_is_closed_to_ward_officials(client, users):
    client.force_login(users[Role.WARD])

    assert client.get(PAGE).status_code == 403


def test_the_log_page_and_the_foot_list_link_to_it(client, users):
    client.force_login(users[Role.TEAM_MEMBER])

    response = client.get("/field/log/")

    assert response.text.count(f'href="{PAGE}"') == 2
    assert "Không thấy hộ? Thêm hộ mới" in response.text


def test_the_kept_households_carry_their_hamlet_for_the_warning(client, users, area):
    client.force_login(users[Role.TEAM_MEMBER])
    HouseholdFactory(ward=area.ward, hamlet=area.hamlet, phone="0912 345 678")

    [row] = client.get("/field/households.json").json()["households"]

    assert row["hamlet_id"] == area.hamlet.pk
    # The phone, normalised, only inside the search key (no field of its own).
    assert "phone" not in row
    assert row["key"].split()[-1] == "0912345678"


def test_the_phone_keeps_the_page_for_offline(client, users):
    client.force_login(users[Role.TEAM_MEMBER])

    assert PAGE in client.get("/field/sw.js").text

"""The member form's account box names only accounts in the official's area:
an id typed into the URL, or left in a refused form, shows nothing else."""

import pytest

from accounts.models import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/teams/member/add/"


@pytest.fixture
def stranger(area):
    return UserFactory(
        username="nguoi-tinh-khac", role=Role.TEAM_MEMBER, team=area.other_team
    )


@pytest.fixture
def neighbour(area):
    return UserFactory(
        username="thanh-vien-to-1", role=Role.TEAM_MEMBER, team=area.team
    )


def test_another_wards_account_is_not_named_by_id(client, users, stranger):
    client.force_login(users[Role.WARD])

    response = client.get(ADD, {"user": stranger.pk})

    assert response.status_code == 200
    assert stranger.username not in response.text


def test_an_account_of_the_ward_is_named(client, users, neighbour):
    client.force_login(users[Role.WARD])

    response = client.get(ADD, {"user": neighbour.pk})

    assert neighbour.username in response.text


def test_a_refused_form_does_not_name_another_wards_account(client, users, stranger):
    client.force_login(users[Role.WARD])

    response = client.post(ADD, {"full_name": "", "user": stranger.pk})

    assert response.status_code == 200  # the form comes back with its errors
    assert stranger.username not in response.text

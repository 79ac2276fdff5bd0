import pytest

from accounts.models import Role

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls_for_tests")]


@pytest.mark.parametrize(
    "role", [Role.PROVINCE, Role.WARD, Role.TEAM_LEADER, Role.TEAM_MEMBER]
)
def test_a_view_that_forgets_its_scope_is_closed_to_area_limited_users(
    client, users, role
):
    client.force_login(users[role])

    assert client.get("/forgot/").status_code == 403


def test_anonymous_visitors_are_refused_too(client, db):
    assert client.get("/forgot/").status_code == 403


def test_national_administrators_pass(client, users):
    client.force_login(users[Role.NATIONAL])

    assert client.get("/forgot/").status_code == 200


def test_a_view_that_declares_its_scope_opens(client, users):
    client.force_login(users[Role.WARD])

    assert client.get("/declared/").status_code == 200

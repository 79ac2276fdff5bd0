import re

import pytest
from django.core import mail

from accounts.models import Role, User
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def login(client, username, password=PASSWORD):
    return client.post(LOGIN, {"login": username, "password": password}, follow=True)


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        (Role.TEAM_MEMBER, "/field/"),
        (Role.TEAM_LEADER, "/field/"),
        (Role.WARD, "/dashboard/"),
        (Role.PROVINCE, "/dashboard/"),
        (Role.NATIONAL, "/admin/"),
    ],
)
def test_each_role_lands_where_its_work_is(client, users, role, landing):
    response = login(client, users[role].username)

    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


def test_field_home_names_the_members_team_and_ward(client, users, area):
    response = login(client, users[Role.TEAM_MEMBER].username)

    assert area.team.name in response.text
    assert area.ward.name in response.text


def test_ward_dashboard_names_the_ward(client, users, area):
    response = login(client, users[Role.WARD].username)

    assert area.ward.name in response.text


def test_wrong_password_is_refused_without_saying_which_part(client, users):
    response = login(client, users[Role.WARD].username, "wrong")

    assert not response.wsgi_request.user.is_authenticated
    assert response.redirect_chain == []


def test_repeated_failures_lock_the_account_for_a_while(client, users):
    username = users[Role.WARD].username
    for _attempt in range(5):
        login(client, username, "guess")

    response = login(client, username, PASSWORD)

    assert not response.wsgi_request.user.is_authenticated
    assert (
        "Too many failed login attempts"
        in response.context["form"].errors["__all__"][0]
        or "Quá nhiều" in response.text
    )


def test_one_users_lockout_leaves_the_others_alone(client, users):
    for _attempt in range(5):
        login(client, users[Role.WARD].username, "guess")

    response = login(client, users[Role.TEAM_MEMBER].username)

    assert response.wsgi_request.user.is_authenticated


def test_nobody_can_sign_up(client, db):
    client.post(
        "/accounts/signup/",
        {
            "username": "intruder",
            "password1": "S3cure-pass!",
            "password2": "S3cure-pass!",
        },
    )

    assert not User.objects.filter(username="intruder").exists()


def test_logout_ends_the_session(client, users):
    client.force_login(users[Role.WARD])

    client.post("/accounts/logout/")

    assert client.get("/dashboard/").status_code == 302


def test_password_change(client, users):
    user = users[Role.TEAM_MEMBER]
    client.force_login(user)

    client.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "new-Strong-passw0rd",
            "password2": "new-Strong-passw0rd",
        },
    )

    user.refresh_from_db()
    assert user.check_password("new-Strong-passw0rd")


def test_password_reset_by_email_link(client, users):
    user = users[Role.WARD]
    user.email = "phuong@example.gov.vn"
    user.save()

    client.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(
        r"https?://[^/]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body
    )
    form_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    client.post(
        form_url, {"password1": "Another-passw0rd", "password2": "Another-passw0rd"}
    )

    user.refresh_from_db()
    assert user.check_password("Another-passw0rd")


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.parametrize("role", [Role.TEAM_MEMBER, Role.TEAM_LEADER])
def test_team_roles_cannot_open_the_dashboard(client, users, role):
    client.force_login(users[role])

    assert client.get("/dashboard/").status_code == 403


@pytest.mark.parametrize("role", [Role.WARD, Role.PROVINCE])
def test_officials_cannot_open_the_field_pages(client, users, role):
    client.force_login(users[role])

    assert client.get("/field/").status_code == 403

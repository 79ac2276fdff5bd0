"""Two-factor sign-in: required of national administrators and province staff,
available to ward officials, required of a province's ward officials at its
choice; team members are not asked."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from accounts.models import Role
from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.totp import totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ACTIVATE = "/accounts/2fa/totp/activate/"
AUTHENTICATE = "/accounts/2fa/authenticate/"


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_ROLES = ["national", "province"]


def login(client, username, password=PASSWORD):
    return client.post(LOGIN, {"login": username, "password": password}, follow=True)


def landed(response) -> str:
    return response.redirect_chain[-1][0] if response.redirect_chain else ""


def with_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


@pytest.mark.parametrize("role", [Role.NATIONAL, Role.PROVINCE])
def test_required_roles_are_sent_to_set_up_an_app_first(client, users, required, role):
    response = login(client, users[role].username)

    assert landed(response) == ACTIVATE
    assert "Tài khoản của bạn phải dùng đăng nhập hai bước" in response.text


def test_required_account_cannot_open_other_pages_before_setting_up(
    client, users, required
):
    login(client, users[Role.PROVINCE].username)

    assert client.get("/dashboard/").url == ACTIVATE
    assert client.get("/admin/accounts/user/").url == ACTIVATE
    assert client.get("/api/v1/me/").status_code == 403


def test_ward_officials_are_not_asked_unless_their_province_says_so(
    client, users, required
):
    response = login(client, users[Role.WARD].username)

    assert landed(response) == "/dashboard/"


def test_ward_officials_find_two_factor_sign_in_on_their_password_page(client, users):
    client.force_login(users[Role.WARD])

    response = client.get("/accounts/password/change/")

    assert 'href="/accounts/2fa/"' in response.text
    assert "Đăng nhập hai bước" in response.text


def test_a_province_may_require_it_of_its_ward_officials(client, users, area):
    area.province.ward_officials_mfa_required = True
    area.province.save()
    other = UserFactory(role=Role.WARD, ward=area.other_ward)

    assert landed(login(client, users[Role.WARD].username)) == ACTIVATE
    client.logout()
    assert landed(login(client, other.username)) == "/dashboard/"


def test_team_members_are_never_asked(client, users, area, settings):
    settings.MFA_REQUIRED_ROLES = ["national", "province", "ward"]
    area.province.ward_officials_mfa_required = True
    area.province.save()

    response = login(client, users[Role.TEAM_MEMBER].username)

    assert landed(response) == "/field/"


def test_setting_up_the_app_opens_the_platform(client, users, required):
    user = users[Role.PROVINCE]
    login(client, user.username)
    page = client.get(ACTIVATE)
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', page.text)[1]

    response = client.post(ACTIVATE, {"code": totp_code(secret)}, follow=True)

    assert landed(response) == "/accounts/2fa/recovery-codes/"
    assert len(re.findall(r"<li><code>\d{8}</code></li>", response.text)) == 10
    assert Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()
    assert client.get("/dashboard/").status_code == 200


def test_a_wrong_code_does_not_set_up_the_app(client, users, required):
    user = users[Role.PROVINCE]
    login(client, user.username)
    client.get(ACTIVATE)

    response = client.post(ACTIVATE, {"code": "000000"})

    assert response.status_code == 200
    assert "Mã không đúng" in response.text
    assert not Authenticator.objects.filter(user=user).exists()


def test_sign_in_asks_for_the_apps_code_after_the_password(client, users, required):
    user = users[Role.PROVINCE]
    secret = with_totp(user)

    response = login(client, user.username)
    assert landed(response) == AUTHENTICATE
    assert not response.wsgi_request.user.is_authenticated

    response = client.post(AUTHENTICATE, {"code": totp_code(secret)}, follow=True)
    assert landed(response) == "/dashboard/"
    assert response.wsgi_request.user == user


def test_a_code_from_long_ago_is_refused(client, users, required):
    user = users[Role.NATIONAL]
    secret = with_totp(user)
    login(client, user.username)

    response = client.post(
        AUTHENTICATE, {"code": totp_code(secret, at=time.time() - 600)}
    )

    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_a_recovery_code_signs_in_once(client, users, required):
    user = users[Role.PROVINCE]
    with_totp(user)
    code = RecoveryCodes.activate(user).get_unused_codes()[0]

    login(client, user.username)
    response = client.post(AUTHENTICATE, {"code": code}, follow=True)
    assert landed(response) == "/dashboard/"

    client.logout()
    login(client, user.username)
    response = client.post(AUTHENTICATE, {"code": code})
    assert not response.wsgi_request.user.is_authenticated


def test_a_required_account_cannot_switch_it_off(client, users, required):
    user = users[Role.PROVINCE]
    secret = with_totp(user)
    login(client, user.username)
    client.post(AUTHENTICATE, {"code": totp_code(secret)})

    client.post("/accounts/2fa/totp/deactivate/")

    assert Authenticator.objects.filter(user=user, type="totp").exists()


def test_a_ward_official_may_switch_it_off(client, users):
    user = users[Role.WARD]
    secret = with_totp(user)
    login(client, user.username)
    client.post(AUTHENTICATE, {"code": totp_code(secret)})

    client.post("/accounts/2fa/totp/deactivate/")

    assert not Authenticator.objects.filter(user=user, type="totp").exists()


def test_province_staff_require_it_of_their_ward_officials_in_the_admin(
    client, users, area
):
    client.force_login(users[Role.PROVINCE])
    url = "/admin/areas/province/%s/change/" % area.province.pk

    client.post(url, {"ward_officials_mfa_required": "on"})

    area.province.refresh_from_db()
    assert area.province.ward_officials_mfa_required


def test_province_staff_cannot_set_it_for_another_province(client, users, area):
    client.force_login(users[Role.PROVINCE])
    url = "/admin/areas/province/%s/change/" % area.other_province.pk

    response = client.post(url, {"ward_officials_mfa_required": "on"})

    area.other_province.refresh_from_db()
    assert not area.other_province.ward_officials_mfa_required
    assert response.url == "/admin/"  # "no such province": not hers to change


def reset_two_factor(client, *accounts):
    return client.post(
        "/admin/accounts/user/",
        {
            "action": "reset_two_factor",
            "_selected_action": [account.pk for account in accounts],
        },
        follow=True,
    )


def test_province_staff_reset_a_ward_officials_lost_phone(client, users, area):
    official = users[Role.WARD]
    with_totp(official)
    RecoveryCodes.activate(official)
    client.force_login(users[Role.PROVINCE])

    response = reset_two_factor(client, official)

    assert not Authenticator.objects.filter(user=official).exists()
    assert "Đã đặt lại đăng nhập hai bước của 1 tài khoản" in response.text
    official.refresh_from_db()
    assert official.sessions_ended_at is not None


def test_another_provinces_official_cannot_be_reset(client, users, area):
    foreign = UserFactory(role=Role.WARD, ward=area.other_ward)
    with_totp(foreign)
    client.force_login(users[Role.PROVINCE])

    reset_two_factor(client, foreign)

    assert Authenticator.objects.filter(user=foreign).exists()


def test_authenticator_secrets_are_not_in_the_admin(client, users):
    client.force_login(users[Role.NATIONAL])

    assert "/admin/mfa/" not in client.get("/admin/").text
    assert client.get("/admin/mfa/authenticator/").status_code == 404


@pytest.mark.parametrize("remember", [False, True])
def test_the_code_step_keeps_the_keep_me_signed_in_choice(
    client, users, required, remember
):
    user = users[Role.PROVINCE]
    secret = with_totp(user)
    data = {"login": user.username, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    client.post(LOGIN, data)

    client.post(AUTHENTICATE, {"code": totp_code(secret)})

    assert client.session.get_expire_at_browser_close() is not remember

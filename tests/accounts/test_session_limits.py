"""Officials' sessions end when left idle and, without "keep me signed in",
when the browser closes; team members' phones stay signed in. An official
ends the sessions of the accounts they manage, and of no one else."""

import time
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import CHANGE, LogEntry

from accounts.models import Role
from accounts.sessions import LAST_SEEN
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
USERS = "/admin/accounts/user/"


def sign_in(client, user, remember=False):
    data = {"login": user.username, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post(LOGIN, data)
    assert response.status_code == 302
    return response


def idle_for(client, minutes):
    session = client.session
    session[LAST_SEEN] = time.time() - minutes * 60
    session.save()


def test_an_official_idle_for_half_an_hour_is_signed_out(client, users):
    sign_in(client, users[Role.WARD])
    idle_for(client, 31)

    response = client.get("/dashboard/", follow=True)

    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert not response.wsgi_request.user.is_authenticated
    assert (
        "Bạn đã được đăng xuất sau 30 phút không thao tác. "
        "Hãy đăng nhập lại để tiếp tục."
    ) in response.text


def test_an_official_back_within_the_half_hour_stays_signed_in(client, users):
    sign_in(client, users[Role.PROVINCE])
    idle_for(client, 29)

    response = client.get("/dashboard/")

    assert response.status_code == 200
    assert response.wsgi_request.user == users[Role.PROVINCE]


def test_each_request_restarts_the_idle_clock(client, users):
    sign_in(client, users[Role.NATIONAL])
    idle_for(client, 20)
    client.get("/admin/")
    assert time.time() - client.session[LAST_SEEN] < 5


def test_the_idle_time_is_a_setting(client, users, settings):
    settings.SESSION_IDLE_MINUTES = 5
    sign_in(client, users[Role.WARD])
    idle_for(client, 6)

    response = client.get("/dashboard/", follow=True)

    assert not response.wsgi_request.user.is_authenticated
    assert "sau 5 phút không thao tác" in response.text


def test_a_team_members_phone_stays_signed_in_for_days(client, users):
    sign_in(client, users[Role.TEAM_MEMBER])
    idle_for(client, 3 * 24 * 60)

    response = client.get("/field/")

    assert response.status_code == 200
    assert response.wsgi_request.user == users[Role.TEAM_MEMBER]


def test_an_officials_session_ends_with_the_browser_unless_kept(client, users):
    sign_in(client, users[Role.WARD])
    assert client.session.get_expire_at_browser_close()

    client.logout()
    sign_in(client, users[Role.WARD], remember=True)
    assert not client.session.get_expire_at_browser_close()


def test_a_team_members_session_outlives_the_browser_box_or_not(client, users):
    sign_in(client, users[Role.TEAM_MEMBER])

    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() >= 7 * 24 * 3600


def test_user_list_shows_the_last_sign_in_in_vietnam_time(client, users):
    member = users[Role.TEAM_MEMBER]
    sign_in(client, member)
    member.refresh_from_db()
    client.logout()
    client.force_login(users[Role.WARD])

    response = client.get(USERS)

    assert "Đăng nhập gần nhất" in response.text
    shown = member.last_login.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert shown.strftime("%H:%M %d/%m/%Y") in response.text


def end_sessions(client, *accounts):
    return client.post(
        USERS,
        {
            "action": "end_sessions",
            "_selected_action": [account.pk for account in accounts],
        },
        follow=True,
    )


def test_an_official_ends_a_team_members_sessions(client, users):
    member = users[Role.TEAM_MEMBER]
    phone = client.__class__()
    sign_in(phone, member)
    client.force_login(users[Role.WARD])

    response = end_sessions(client, member)

    assert "Đã kết thúc các phiên đăng nhập của 1 tài khoản" in response.text
    field = phone.get("/field/", follow=True)
    assert not field.wsgi_request.user.is_authenticated
    assert "đã được cán bộ quản lý kết thúc" in field.text
    record = LogEntry.objects.get(object_id=str(member.pk))
    assert (record.action_flag, record.user) == (CHANGE, users[Role.WARD])


def test_signing_in_again_after_the_end_works(client, users):
    member = users[Role.TEAM_MEMBER]
    client.force_login(users[Role.WARD])
    end_sessions(client, member)
    client.logout()

    sign_in(client, member)

    assert client.get("/field/").status_code == 200


def test_a_phone_signed_out_is_told_to_sign_in_not_sent_a_page(client, users):
    # field.js keeps a queued session when the API answers 401/403 and sends
    # it after the next sign-in; a redirect to the sign-in page would not do.
    member = users[Role.TEAM_MEMBER]
    phone = client.__class__()
    sign_in(phone, member)
    client.force_login(users[Role.WARD])
    end_sessions(client, member)

    response = phone.post("/api/v1/sessions/", {}, content_type="application/json")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")


def test_a_foreign_wards_accounts_cannot_be_ended(client, users, area):
    foreign = UserFactory(role=Role.TEAM_MEMBER, team=area.other_team)
    phone = client.__class__()
    sign_in(phone, foreign)
    client.force_login(users[Role.WARD])

    end_sessions(client, foreign)

    foreign.refresh_from_db()
    assert foreign.sessions_ended_at is None
    assert phone.get("/field/").status_code == 200


def test_a_ward_official_cannot_end_a_fellow_officials_sessions(client, users, area):
    fellow = UserFactory(role=Role.WARD, ward=area.ward)
    client.force_login(users[Role.WARD])

    response = end_sessions(client, fellow)

    fellow.refresh_from_db()
    assert fellow.sessions_ended_at is None
    assert "bạn không quản lý" in response.text


def test_province_staff_end_their_ward_officials_sessions(client, users):
    official = users[Role.WARD]
    office = client.__class__()
    sign_in(office, official)
    client.force_login(users[Role.PROVINCE])

    end_sessions(client, official)

    assert not office.get("/dashboard/", follow=True).wsgi_request.user.is_authenticated

"""Every account action taken in the admin leaves a record: who, when, what."""

import json

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry

from accounts.models import Role, User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(client, users):
    client.force_login(users[Role.WARD])
    return users[Role.WARD]


def records_of(account):
    return LogEntry.objects.filter(object_id=str(account.pk)).order_by("action_time")


def test_account_creation_is_recorded_with_its_author(client, official, area):
    client.post(
        "/admin/accounts/user/add/",
        {
            "username": "tv.moi",
            "password1": "Mat-khau-manh-2026",
            "password2": "Mat-khau-manh-2026",
            "role": Role.TEAM_MEMBER,
            "team": area.team.pk,
        },
    )

    record = records_of(User.objects.get(username="tv.moi")).get()
    assert (record.action_flag, record.user) == (ADDITION, official)


def test_deactivation_is_recorded_with_the_field_that_changed(client, official, users):
    member = users[Role.TEAM_MEMBER]

    client.post(
        "/admin/accounts/user/%d/change/" % member.pk,
        {"username": member.username, "role": member.role, "team": member.team_id},
    )

    record = records_of(member).get()
    assert (record.action_flag, record.user) == (CHANGE, official)
    assert "Active" in json.loads(record.change_message)[0]["changed"]["fields"]


def test_password_reset_is_recorded(client, official, users):
    member = users[Role.TEAM_MEMBER]

    client.post(
        "/admin/accounts/user/%d/password/" % member.pk,
        {"password1": "Mat-khau-moi-2026", "password2": "Mat-khau-moi-2026"},
    )

    record = records_of(member).get()
    assert json.loads(record.change_message) == [{"changed": {"fields": ["password"]}}]


def test_refused_account_creation_leaves_nothing(client, official, area):
    client.post(
        "/admin/accounts/user/add/",
        {
            "username": "vuot.quyen",
            "password1": "Mat-khau-manh-2026",
            "password2": "Mat-khau-manh-2026",
            "role": Role.WARD,
            "ward": area.ward.pk,
        },
    )

    assert not User.objects.filter(username="vuot.quyen").exists()
    assert not LogEntry.objects.exists()


def test_account_history_is_visible_to_its_ward_only(client, official, users, area):
    member = users[Role.TEAM_MEMBER]
    client.post(
        "/admin/accounts/user/%d/password/" % member.pk,
        {"password1": "Mat-khau-moi-2026", "password2": "Mat-khau-moi-2026"},
    )
    url = "/admin/accounts/user/%d/history/" % member.pk

    mine = client.get(url)
    client.force_login(UserFactory(role=Role.WARD, ward=area.neighbour_ward))
    theirs = client.get(url, follow=True)

    assert official.username in mine.text
    assert member.username not in theirs.text

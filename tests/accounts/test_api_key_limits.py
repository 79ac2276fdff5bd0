"""A key works until its last day ends in Vietnam, and only from the addresses
it names, read behind the trusted proxies as sign-in reads them."""

import datetime

import pytest
from django.utils import timezone

from accounts.api_keys import api_key_issue
from accounts.models import ApiKey, Role

pytestmark = pytest.mark.django_db

PROVINCES = "/api/v1/areas/provinces/"
ADMIN = "/admin/accounts/apikey/"
LAST_DAY = datetime.date(2026, 6, 30)
UTC = datetime.UTC
PROXY = "10.0.0.2"


def issue(users, **fields) -> str:
    return api_key_issue(
        key=ApiKey(name="Kho dữ liệu", level=ApiKey.Level.NATIONAL, **fields),
        created_by=users[Role.NATIONAL],
    )


def at(monkeypatch, moment: datetime.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


def call(api, secret, **extra):
    return api.get(PROVINCES, HTTP_X_API_KEY=secret, **extra)


# Expiry


def test_a_key_works_until_late_on_its_last_day(api, users, monkeypatch):
    secret = issue(users, expires_on=LAST_DAY)
    # 23:30 on 30 June in Vietnam.
    at(monkeypatch, datetime.datetime(2026, 6, 30, 16, 30, tzinfo=UTC))

    assert call(api, secret).status_code == 200


def test_a_key_stops_when_its_last_day_ends_in_vietnam(api, users, monkeypatch):
    secret = issue(users, expires_on=LAST_DAY)
    # 00:10 on 1 July in Vietnam, still 30 June in UTC.
    at(monkeypatch, datetime.datetime(2026, 6, 30, 17, 10, tzinfo=UTC))

    response = call(api, secret)

    assert response.status_code == 401
    assert response.json()["detail"] == (
        "This API key has expired: its last day was 2026-06-30; ask an "
        "administrator for a new key."
    )
    assert ApiKey.objects.get().last_used_at is None


def test_a_key_without_expiry_keeps_working(api, users, monkeypatch):
    secret = issue(users)
    at(monkeypatch, datetime.datetime(2036, 1, 1, tzinfo=UTC))

    assert call(api, secret).status_code == 200


# Addresses


def test_a_call_from_inside_an_allowed_network_is_served(api, users):
    secret = issue(users, allowed_networks=["203.0.113.0/24", "198.51.100.7"])

    assert call(api, secret, REMOTE_ADDR="203.0.113.40").status_code == 200
    assert call(api, secret, REMOTE_ADDR="198.51.100.7").status_code == 200


def test_a_call_from_outside_is_refused_without_naming_the_networks(api, users):
    secret = issue(users, allowed_networks=["203.0.113.0/24"])

    response = call(api, secret, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 401
    detail = response.json()["detail"]
    assert detail == "This API key may not be used from the address 198.51.100.7."
    assert "203.0.113" not in response.text


def test_ipv6_networks_are_checked(api, users):
    secret = issue(users, allowed_networks=["2001:db8:10::/48"])

    inside = call(api, secret, REMOTE_ADDR="2001:db8:10::5")
    outside = call(api, secret, REMOTE_ADDR="2001:db8:11::5")

    assert (inside.status_code, outside.status_code) == (200, 401)


def test_behind_one_trusted_proxy_the_forwarded_address_counts(api, users, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    secret = issue(users, allowed_networks=["203.0.113.0/24"])

    inside = call(api, secret, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    # A client's own forged entry comes first; the proxy appends the real one.
    forged = call(
        api,
        secret,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7",
    )

    assert (inside.status_code, forged.status_code) == (200, 401)


def test_a_forged_forwarded_header_does_not_help_without_a_proxy(api, users):
    secret = issue(users, allowed_networks=["203.0.113.0/24"])

    response = call(
        api, secret, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )

    assert response.status_code == 401
    assert "198.51.100.7" in response.json()["detail"]


def test_a_key_without_networks_works_from_anywhere(api, users):
    secret = issue(users)

    assert call(api, secret, REMOTE_ADDR="192.0.2.1").status_code == 200


# The admin


def test_the_admin_takes_networks_one_a_line(client, users, area):
    client.force_login(users[Role.NATIONAL])

    client.post(
        ADMIN + "add/",
        {
            "name": "Kho dữ liệu",
            "level": "national",
            "is_active": "on",
            "expires_on": "30/06/2026",
            "allowed_networks": "203.0.113.0/24\r\n2001:db8::1\r\n",
        },
    )

    key = ApiKey.objects.get()
    assert key.expires_on == LAST_DAY
    assert key.allowed_networks == ["203.0.113.0/24", "2001:db8::1"]


def test_a_bad_network_is_named_in_vietnamese(client, users, area):
    client.force_login(users[Role.NATIONAL])

    response = client.post(
        ADMIN + "add/",
        {
            "name": "Kho dữ liệu",
            "level": "national",
            "is_active": "on",
            "allowed_networks": "203.0.113.0/24\r\n10.0.0.300\r\n",
        },
    )

    errors = response.context["adminform"].form.errors["allowed_networks"]
    assert len(errors) == 1
    assert "“10.0.0.300”" in errors[0]
    assert "không phải" in errors[0]
    assert not ApiKey.objects.exists()


def test_the_list_shows_last_use_in_vietnam_time_and_expiry(client, users, area):
    issue(users, expires_on=datetime.date(2020, 1, 1))
    used = ApiKey.objects.get()
    used.last_used_at = datetime.datetime(2026, 6, 30, 17, 10, tzinfo=UTC)
    used.save()
    issue(users)
    client.force_login(users[Role.NATIONAL])

    response = client.get(ADMIN)

    table = response.text.split('id="result_list"')[1].split("</table>")[0]
    rows = table.split("<tr")[2:]  # past the header
    assert len(rows) == 2
    assert "00:10 01/07/2026" in rows[1] and "1 tháng 1 năm 2020" in rows[1]
    assert 'alt="True"' in rows[1]  # expired
    assert "chưa bao giờ" in rows[0] and 'alt="False"' in rows[0]


def test_the_change_form_shows_last_use_read_only(client, users, area):
    issue(users)
    key = ApiKey.objects.get()
    key.last_used_at = datetime.datetime(2026, 6, 30, 1, 0, tzinfo=UTC)
    key.save()
    client.force_login(users[Role.NATIONAL])

    response = client.get(ADMIN + "%d/change/" % key.pk)

    assert "08:00 30/06/2026" in response.text
    assert 'name="last_used_at"' not in response.text


def test_expiry_and_networks_can_be_changed_after_issue(client, users, area):
    issue(users)
    key = ApiKey.objects.get()
    client.force_login(users[Role.NATIONAL])

    client.post(
        ADMIN + "%d/change/" % key.pk,
        {
            "name": key.name,
            "is_active": "on",
            "expires_on": "30/06/2026",
            "allowed_networks": "198.51.100.0/24",
        },
    )

    key.refresh_from_db()
    assert (key.expires_on, key.allowed_networks) == (LAST_DAY, ["198.51.100.0/24"])

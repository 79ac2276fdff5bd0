"""API keys: issued in the admin, stored as a hash, shown once, checked per call."""

import hashlib
import re

import pytest
from django.contrib.messages import get_messages

from accounts.api_keys import api_key_issue
from accounts.models import ApiKey, Role
from accounts.scope import Level, Scope, scope_for
from assistance.models import AssistanceSession

pytestmark = pytest.mark.django_db

ADD = "/admin/accounts/apikey/"
PROVINCES = "/api/v1/areas/provinces/"
# The message ends with the key, in either language ("Key: …", "Khoá: …").
KEY = re.compile(r"(?:Key|Khoá): (\S+)$")


def issue(users, **fields) -> str:
    return api_key_issue(
        key=ApiKey(name="Kho dữ liệu", **fields), created_by=users[Role.NATIONAL]
    )


def shown_key(response) -> str:
    found = [
        KEY.search(str(message)) for message in get_messages(response.wsgi_request)
    ]
    keys = [match.group(1) for match in found if match]
    assert len(keys) == 1
    return keys[0]


# Issuing in the admin


def test_the_admin_stores_only_a_hash_and_shows_the_key_once(client, users, area):
    client.force_login(users[Role.NATIONAL])

    response = client.post(
        ADD + "add/",
        {
            "name": "Kho dữ liệu tỉnh",
            "level": "province",
            "province": "01",
            "is_active": "on",
        },
        follow=True,
    )

    secret = shown_key(response)
    key = ApiKey.objects.get()
    assert len(secret) >= 40
    assert key.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert key.prefix == secret[:8]
    assert (key.level, key.province_id, key.created_by) == (
        "province",
        "01",
        users[Role.NATIONAL],
    )
    stored = [
        str(getattr(key, field.attname)) for field in ApiKey._meta.concrete_fields
    ]
    assert not [value for value in stored if secret in value]
    assert secret in response.text
    # Never again: not in the list, not on the key's page.
    assert secret not in client.get(ADD).text
    assert secret not in client.get(ADD + "%d/change/" % key.pk).text


def test_province_staff_issue_a_key_for_a_ward_of_their_province(client, users, area):
    client.force_login(users[Role.PROVINCE])

    response = client.post(
        ADD + "add/",
        {
            "name": "Phần mềm phường",
            "level": "ward",
            "ward": "00070",
            "is_active": "on",
        },
        follow=True,
    )

    shown_key(response)
    key = ApiKey.objects.get()
    assert (key.level, key.province_id, key.ward_id) == ("ward", "01", "00070")


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"level": "province", "province": "79"}, "province"),
        ({"level": "ward", "ward": "26734"}, "ward"),
        ({"level": "national"}, "level"),
        ({"level": "province"}, "province"),
    ],
)
def test_province_staff_cannot_issue_a_key_beyond_their_province(
    client, users, area, fields, error
):
    client.force_login(users[Role.PROVINCE])

    response = client.post(ADD + "add/", {"name": "Lạ", "is_active": "on", **fields})

    assert response.status_code == 200
    assert error in response.context["adminform"].form.errors
    assert not ApiKey.objects.exists()


def test_province_staff_see_only_their_provinces_keys(client, users, area):
    issue(users, level="province", province=area.province)
    issue(users, level="province", province=area.other_province)
    issue(users, level="national")
    client.force_login(users[Role.PROVINCE])

    response = client.get(ADD)

    assert [key.province_id for key in response.context["cl"].result_list] == ["01"]


def test_ward_officials_neither_see_nor_issue_keys(client, users, area):
    client.force_login(users[Role.WARD])

    assert client.get(ADD).status_code == 403
    assert (
        client.post(
            ADD + "add/", {"name": "x", "level": "ward", "ward": "00004"}
        ).status_code
        == 403
    )
    assert not ApiKey.objects.exists()


def test_a_keys_area_cannot_be_changed_after_issue(client, users, area):
    issue(users, level="province", province=area.province)
    key = ApiKey.objects.get()
    client.force_login(users[Role.NATIONAL])

    client.post(
        ADD + "%d/change/" % key.pk,
        {"name": "Đổi tên", "level": "national", "province": "79"},
    )

    key.refresh_from_db()
    assert (key.name, key.level, key.province_id, key.is_active) == (
        "Đổi tên",
        "province",
        "01",
        False,
    )


# Checking on each request


def test_a_key_authenticates_with_the_header(api, users, area):
    secret = issue(users, level="province", province=area.province)

    response = api.get(PROVINCES, HTTP_X_API_KEY=secret)

    assert response.status_code == 200
    assert ApiKey.objects.get().last_used_at is not None


def test_an_unknown_key_is_a_401_that_says_so(api, users, area):
    secret = issue(users, level="national")

    response = api.get(PROVINCES, HTTP_X_API_KEY=secret[:-1] + "x")

    assert response.status_code == 401
    assert response.json() == {
        "code": "authentication_failed",
        "detail": "Unknown API key: check the X-Api-Key header.",
    }


def test_a_switched_off_key_is_refused(api, users, area):
    secret = issue(users, level="national", is_active=False)

    response = api.get(PROVINCES, HTTP_X_API_KEY=secret)

    assert response.status_code == 401
    assert "switched off" in response.json()["detail"]


def test_an_empty_key_is_refused(api, area):
    response = api.get(PROVINCES, HTTP_X_API_KEY="")

    assert response.status_code == 401


def test_a_key_cannot_read_or_log_sessions(api, users, area):
    secret = issue(users, level="ward", ward=area.ward)

    listing = api.get("/api/v1/sessions/", HTTP_X_API_KEY=secret)
    posting = api.post("/api/v1/sessions/", {}, format="json", HTTP_X_API_KEY=secret)

    # A key is no credential here: the caller is asked to sign in.
    assert (listing.status_code, posting.status_code) == (401, 401)
    assert listing["WWW-Authenticate"] == 'Session realm="api"'
    assert not AssistanceSession.objects.exists()


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"level": "national"}, Scope(Level.NATIONAL)),
        ({"level": "province", "province_id": "79"}, Scope(Level.PROVINCE, "79")),
        ({"level": "ward", "ward_id": "00070"}, Scope(Level.WARD, "01", "00070")),
    ],
)
def test_a_key_becomes_the_scope_of_its_area(users, area, fields, expected):
    issue(users, **fields)

    assert scope_for(ApiKey.objects.get()) == expected


def test_a_switched_off_key_has_no_scope(users, area):
    issue(users, level="national", is_active=False)

    assert scope_for(ApiKey.objects.get()).level == Level.NONE


def test_the_key_header_is_documented(client, area):
    schema = client.get("/api/schema/?format=json").json()

    assert schema["components"]["securitySchemes"]["apiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-Api-Key",
        "description": schema["components"]["securitySchemes"]["apiKey"]["description"],
    }
    assert {"apiKey": []} in schema["paths"]["/api/v1/stats/"]["get"]["security"]

"""GET /api/v1/me/: the caller's own account or key and the area it reaches."""

import pytest
from rest_framework.test import APIClient

from accounts.api_keys import api_key_issue
from accounts.models import ApiKey, Role

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"


@pytest.fixture
def api():
    return APIClient()


def test_anonymous_callers_are_refused(api):
    response = api.get(ME)

    # The API key scheme's challenge makes it a 401 rather than a 403.
    assert response.status_code == 401
    assert "username" not in response.json()


def test_a_team_member_sees_their_team_ward_and_province(api, users, area):
    api.force_login(users[Role.TEAM_MEMBER])

    response = api.get(ME)

    assert response.status_code == 200
    assert response.json() == {
        "username": "thanhvien",
        "api_key": None,
        "role": "team_member",
        "scope": {
            "level": "team",
            "province": "01",
            "ward": "00004",
            "team": area.team.pk,
        },
    }


def test_province_staff_see_their_province_only(api, users):
    api.force_login(users[Role.PROVINCE])

    body = api.get(ME).json()

    assert (body["username"], body["role"]) == ("tinh", "province")
    assert body["scope"] == {
        "level": "province",
        "province": "01",
        "ward": None,
        "team": None,
    }


def test_an_api_key_sees_its_own_scope_and_prefix(api, users, area):
    secret = api_key_issue(
        key=ApiKey(name="Kho dữ liệu", level="ward", ward=area.ward),
        created_by=users[Role.NATIONAL],
    )

    response = api.get(ME, HTTP_X_API_KEY=secret)

    assert response.status_code == 200
    assert response.json() == {
        "username": None,
        "api_key": secret[:8],
        "role": None,
        "scope": {"level": "ward", "province": "01", "ward": "00004", "team": None},
    }


def test_a_switched_off_key_is_refused(api, users):
    key = ApiKey(name="Kho dữ liệu", level="province", province_id="01")
    secret = api_key_issue(key=key, created_by=users[Role.NATIONAL])
    ApiKey.objects.filter(pk=key.pk).update(is_active=False)

    response = api.get(ME, HTTP_X_API_KEY=secret)

    assert response.status_code == 401


def test_the_endpoint_is_in_the_api_schema(api):
    schema = api.get("/api/schema/?format=json").json()

    operation = schema["paths"]["/api/v1/me/"]["get"]
    assert operation["summary"] == "Who am I"
    shape = schema["components"]["schemas"]["MeOutput"]["properties"]
    assert set(shape) == {"username", "api_key", "role", "scope"}

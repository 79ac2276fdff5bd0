"""A path under /api/ without its final slash is served, never redirected:
clients follow a 301 with a GET, and a write would seem stored."""

import pytest

from accounts.models import Role

pytestmark = pytest.mark.django_db


def test_a_write_without_the_slash_reaches_the_view(api, users):
    api.force_authenticate(users[Role.TEAM_MEMBER])

    response = api.post("/api/v1/sessions", {"place": "home"}, format="json")

    # The capture API itself refuses the incomplete session, by field.
    assert response.status_code == 400
    assert "client_uuid" in response.json()["errors"]


def test_a_read_without_the_slash_is_answered_in_place(api, users):
    api.force_authenticate(users[Role.WARD])

    response = api.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["role"] == Role.WARD


def test_an_unknown_api_path_stays_unknown(api, users):
    api.force_authenticate(users[Role.WARD])

    assert api.post("/api/v1/nowhere", {}, format="json").status_code == 404


def test_pages_outside_the_api_keep_their_redirect(client, users):
    client.force_login(users[Role.WARD])

    response = client.get("/dashboard")

    assert response.status_code == 301
    assert response["Location"] == "/dashboard/"

"""Requests that once answered 500: each gets a working answer or a clear 4xx."""

import pytest
from django.test import Client

from accounts.models import Role
from tests.assistance.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_a_form_encoded_session_is_refused_as_not_json_not_crashed(users, member):
    """A multipart POST: the CSRF check reads the body first, then the API
    says it takes JSON only (415), in its error shape."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[Role.TEAM_MEMBER])
    client.get("/field/")
    token = client.cookies["csrftoken"].value

    response = client.post(
        "/api/v1/sessions/", {"place": "home"}, HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


@pytest.mark.parametrize("offset", ["+16:00", "-23:59", "+00:00", "+07:00"])
def test_updated_after_takes_any_offset_python_reads(api, users, area, offset):
    SessionFactory(team=area.team)
    api.force_authenticate(users[Role.WARD])

    response = api.get(
        "/api/v1/sessions/", {"updated_after": "2020-01-01T00:00:00" + offset}
    )

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_updated_after_compares_the_moment_itself(api, users, area):
    session = SessionFactory(team=area.team)
    api.force_authenticate(users[Role.WARD])
    # The same moment as the last change, written with a far offset.
    moment = session.updated_at.astimezone().isoformat()

    response = api.get("/api/v1/sessions/", {"updated_after": moment})

    assert response.json()["results"] == []


@pytest.mark.parametrize(
    "page", ["/field/households.json", "/field/", "/field/log/", "/field/training/"]
)
def test_a_national_administrator_is_told_the_field_pages_are_a_teams(
    client, users, page
):
    client.force_login(users[Role.NATIONAL])

    response = client.get(page)

    assert response.status_code == 403

"""Under /api/ every error is JSON with a code, never an HTML page."""

import pytest
from django.test import RequestFactory

from accounts.models import Role
from config import errors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/api/v1/nowhere/", "/api/v1/sessions/-1/", "/api/v1/sessions/abc/"]
)
def test_an_unknown_api_path_is_a_json_404(api, users, path):
    api.force_authenticate(users[Role.WARD])

    response = api.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_a_page_outside_the_api_stays_a_page(client, users):
    client.force_login(users[Role.WARD])

    response = client.get("/nowhere/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_server_error_under_the_api_is_json():
    request = RequestFactory().get("/api/v1/sessions/")

    response = errors.server_error(request)

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert b'"code": "server_error"' in response.content


def test_a_server_error_of_a_page_is_the_page():
    response = errors.server_error(RequestFactory().get("/field/"))

    assert response.status_code == 500
    assert b"<" in response.content

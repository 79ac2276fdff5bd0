"""Under /api/ every error is JSON in one shape, never an HTML page."""

import json

import pytest
from django.test import Client, RequestFactory

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
    assert response.json() == {"code": "not_found", "detail": "Not found."}


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
    assert json.loads(response.content) == {
        "code": "server_error",
        "detail": "Máy chủ chưa trả lời được; hãy thử lại sau giây lát.",
    }


def test_a_server_error_of_a_page_is_the_page():
    response = errors.server_error(RequestFactory().get("/field/"))

    assert response.status_code == 500
    assert b"<" in response.content


def test_a_view_that_fails_answers_a_json_500(api, users, monkeypatch):
    api.force_authenticate(users[Role.WARD])
    api.raise_request_exception = False

    def fails(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr("accounts.api.scope_for", fails)
    response = api.get("/api/v1/me/")

    assert response.status_code == 500
    assert response.json()["code"] == "server_error"


@pytest.mark.parametrize(
    "send, status, code",
    [
        (lambda api: api.post("/api/v1/stats/", {}), 405, "method_not_allowed"),
        (
            lambda api: api.post("/api/v1/sessions/", "x", content_type="text/plain"),
            415,
            "unsupported_media_type",
        ),
        (
            lambda api: api.get("/api/v1/sessions/", HTTP_ACCEPT="image/png"),
            406,
            "not_acceptable",
        ),
        (
            lambda api: api.get("/api/v1/sessions/", HTTP_ACCEPT="text/html"),
            406,
            "not_acceptable",
        ),
        (
            lambda api: api.get("/api/v1/stats/", {"format": "csv", "level": "zz"}),
            400,
            "invalid",
        ),
    ],
)
def test_refusals_of_the_request_itself_are_json_with_their_code(
    api, users, send, status, code
):
    api.force_login(users[Role.WARD])

    response = send(api)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == code


def test_a_missing_csrf_token_is_refused_in_the_readers_language(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[Role.WARD])

    response = client.post("/api/v1/sessions/", {}, content_type="application/json")

    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "detail": "Mã bảo mật của trang bị thiếu hoặc đã hết hạn: hãy tải lại "
        "trang rồi gửi lại.",
    }


def test_a_write_to_an_unknown_address_hears_that_it_is_unknown(users):
    """Not that its CSRF token is missing: nothing there would take it."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(users[Role.WARD])

    response = client.post("/api/v1/nowhere/", {}, content_type="application/json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"

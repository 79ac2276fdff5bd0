"""Errors reach Sentry with personal data masked as in the logs: no phone or
e-mail in any text, no user's name or e-mail, no cookies, no request body."""

import logging

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from accounts.models import Role
from config.sentry import sentry_init

pytestmark = pytest.mark.django_db

PHONE, EMAIL = "0912 345 678", "bay@example.vn"


class Captured(Transport):
    """Keeps each event instead of sending it."""

    def __init__(self, options=None):
        super().__init__(options)
        self.events = []

    def capture_envelope(self, envelope):
        event = envelope.get_event()
        if event is not None:
            self.events.append(event)


@pytest.fixture
def sentry():
    transport = Captured()
    sentry_init(
        dsn="https://public@sentry.invalid/1",
        environment="tests",
        traces_sample_rate=0.0,
        transport=transport,
    )
    yield transport
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


@pytest.fixture
def failing_page(settings, client, users):
    settings.ROOT_URLCONF = "tests.config.urls_raising"
    client.raise_request_exception = False
    user = users[Role.WARD]
    user.email = "phuong.official@example.vn"
    user.save()
    client.force_login(user)
    client.cookies["language"] = "vi"
    return client


def failed_event(sentry, client, **extra):
    response = client.post(
        "/fails/?phone=0987654321",
        {"full_name": "Trần Văn Cư", "phone": "0987654321"},
        **extra,
    )
    assert response.status_code == 500
    sentry_sdk.flush()
    [event] = sentry.events
    return event


def test_the_error_reaches_sentry_with_its_phone_and_email_masked(sentry, failing_page):
    event = failed_event(sentry, failing_page)

    [exception] = event["exception"]["values"]
    assert exception["type"] == "RuntimeError"
    assert "[phone]" in exception["value"]
    assert "[email]" in exception["value"]
    text = repr(event)
    assert PHONE not in text
    assert EMAIL not in text


def test_no_user_name_or_email_is_sent(sentry, failing_page, users):
    user = users[Role.WARD]

    event = failed_event(sentry, failing_page)

    assert set(event.get("user", {})) <= {"id"}
    text = repr(event)
    assert user.username not in text
    assert user.email not in text


def test_no_cookie_body_or_query_is_sent(sentry, failing_page):
    event = failed_event(sentry, failing_page, HTTP_AUTHORIZATION="Bearer abc123")

    request = event["request"]
    text = repr(event)
    assert "sessionid" not in text
    assert "Trần Văn Cư" not in text
    assert "0987654321" not in text
    assert "abc123" not in text
    assert request.get("cookies") in (None, "[removed]", {})


def test_no_local_variables_are_sent(sentry, failing_page):
    event = failed_event(sentry, failing_page)

    frames = event["exception"]["values"][0]["stacktrace"]["frames"]
    assert frames
    assert not any("vars" in frame for frame in frames)


def test_breadcrumbs_from_the_logs_are_masked(sentry, failing_page):
    logging.getLogger("households").info("called %s before failing", "0977 111 222")

    event = failed_event(sentry, failing_page)

    crumbs = event["breadcrumbs"]["values"]
    assert any("[phone]" in (crumb.get("message") or "") for crumb in crumbs)
    assert "0977 111 222" not in repr(event)


def test_personal_data_is_off_in_the_client(sentry):
    options = sentry_sdk.get_client().options

    assert not options["send_default_pii"]
    assert options["include_local_variables"] is False

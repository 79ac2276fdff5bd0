"""LOG_FORMAT=json: one JSON object a line, each request's under its id, with
the user's id and never a name or a phone."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings

from accounts.models import Role
from core.logging import JsonFormatter, RedactPersonalDataFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """What the console handler writes with LOG_FORMAT=json, as parsed lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactPersonalDataFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    lines = lambda: [json.loads(line) for line in stream.getvalue().splitlines()]  # noqa: E731
    lines.text = stream.getvalue
    yield lines
    root.removeHandler(handler)


def request_lines(lines):
    return [line for line in lines if line["logger"] == "config.requests"]


def test_log_format_json_makes_the_platform_log_json_lines(tmp_path):
    environment = {
        **os.environ,
        "LOG_FORMAT": "json",
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    code = (
        "import logging; "
        "logging.getLogger('households').warning('call %s', '0912345678')"
    )

    run = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
    )

    [line] = [json.loads(text) for text in run.stderr.splitlines()]
    assert line["logger"] == "households"
    assert line["level"] == "WARNING"
    assert line["message"] == "call [phone]"


def test_a_request_is_one_json_line_with_its_id_user_view_and_time(
    client, users, json_lines
):
    user = users[Role.WARD]
    client.force_login(user)

    response = client.get("/healthz")

    [line] = request_lines(json_lines())
    assert line["request_id"] == response["X-Request-ID"]
    assert line["view"] == "healthz"
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["level"] == "INFO"
    assert line["time"].endswith("+00:00")


def test_the_signed_in_user_is_an_id_never_a_name(client, users, json_lines):
    user = users[Role.WARD]
    user.first_name, user.last_name = "Lê Thị", "Mai"
    user.save()
    client.force_login(user)

    client.get("/")

    [line] = request_lines(json_lines())
    assert line["user_id"] == user.pk
    text = json.dumps(json_lines(), ensure_ascii=False)
    assert user.username not in text
    assert "Mai" not in text


def test_lines_logged_during_a_request_carry_its_id(client, json_lines, monkeypatch):
    from config import health

    def refuse():
        raise OSError("down")

    monkeypatch.setattr(health.connection, "cursor", refuse)

    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c2e1d")

    warnings = [line for line in json_lines() if line["logger"] == "config.health"]
    assert warnings
    assert {line["request_id"] for line in warnings} == {"lb-7f3a9c2e1d"}
    assert response["X-Request-ID"] == "lb-7f3a9c2e1d"


def test_a_phone_sent_as_request_id_is_replaced(client, json_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="0912345678")

    assert response["X-Request-ID"] != "0912345678"
    assert "0912345678" not in json.dumps(json_lines())


def test_a_request_id_that_is_not_an_id_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID='x" injected\nline')

    assert len(response["X-Request-ID"]) == 32


def test_phones_and_emails_in_a_message_are_masked(json_lines):
    logging.getLogger("households").warning(
        "could not reach %s at %s", "0912 345 678", "an@example.vn"
    )

    [line] = json_lines()
    assert line["message"] == "could not reach [phone] at [email]"


def test_a_traceback_is_masked_too(json_lines):
    try:
        raise ValueError("no household with phone +84 912 345 678")
    except ValueError:
        logging.getLogger("households").exception("import failed")

    [line] = json_lines()
    assert "[phone]" in line["exception"]
    assert "912 345 678" not in line["exception"]


def test_vietnamese_stays_readable(json_lines):
    logging.getLogger("reports").info("Đã tính lại số liệu")

    assert '"message": "Đã tính lại số liệu"' in json_lines.text()


def test_the_default_lines_mask_a_traceback_too():
    from django.conf import settings as django_settings

    from core.logging import PlainFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    plain = django_settings.LOGGING["formatters"]["plain"]
    assert plain["()"] == "core.logging.PlainFormatter"
    handler.setFormatter(PlainFormatter(fmt=plain["fmt"]))
    logger = logging.getLogger("households")
    logger.addHandler(handler)
    try:
        raise ValueError("no household with phone 0912 345 678")
    except ValueError:
        logger.exception("import failed")
    finally:
        logger.removeHandler(handler)

    assert "[phone]" in stream.getvalue()
    assert "0912 345 678" not in stream.getvalue()

import io
import logging

import pytest

from core.logging import RedactPersonalDataFilter, redact

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text",
    [
        "0912345678",
        "0912 345 678",
        "+84 912.345.678",
        "84912345678",
        "024 3825 1234",
        "an.nguyen@example.vn",
    ],
)
def test_phone_numbers_and_emails_are_redacted(text):
    assert text not in redact("Searched for %s today" % text)


def test_codes_and_counts_are_kept():
    message = "Ward 00004 imported 5000 rows in 3.2 s"

    assert redact(message) == message


@pytest.fixture
def log_output():
    """What the platform's configured console handler writes."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactPersonalDataFilter) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_logged_request_path_loses_the_phone_number(client, log_output):
    client.get("/ho-gia-dinh/tim/0912345678/")

    written = log_output.getvalue()
    assert "Not Found" in written
    assert "0912345678" not in written

import datetime
from pathlib import Path

import pytest
from django.utils import formats, translation

pytestmark = pytest.mark.django_db
LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_vietnamese_by_default_even_for_an_english_browser(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.text
    assert '<html lang="vi">' in response.text


def test_the_switcher_turns_pages_to_english_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    english = client.get("/accounts/login/")
    client.post("/i18n/setlang/", {"language": "vi", "next": "/accounts/login/"})
    vietnamese = client.get("/accounts/login/")

    assert "Sign in" in english.text and "Đăng nhập" not in english.text
    assert "Đăng nhập" in vietnamese.text


def test_allauth_messages_are_in_vietnamese(client, users):
    response = client.post("/accounts/login/", {"login": "phuong", "password": "wrong"})

    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.text


def test_dates_and_numbers_are_written_the_vietnamese_way():
    with translation.override("vi"):
        assert formats.date_format(
            datetime.date(2026, 11, 23), "SHORT_DATE_FORMAT"
        ) == ("23/11/2026")
        assert formats.number_format(1234567, use_l10n=True, force_grouping=True) == (
            "1.234.567"
        )
        assert formats.number_format(97.5, 1, use_l10n=True) == "97,5"


def test_every_vietnamese_message_is_translated():
    import subprocess

    result = subprocess.run(
        [
            "msgfmt",
            "--check",
            "--statistics",
            "-o",
            "/dev/null",
            str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"),
        ],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr


def test_committed_compiled_catalogue_carries_the_translations():
    folder = LOCALE / "vi" / "LC_MESSAGES"
    compiled = (folder / "django.mo").read_bytes()

    # Each translated msgstr of the .po must be in the committed .mo.
    assert "Tổ công nghệ số cộng đồng".encode() in compiled
    assert "Quá nhiều lần đăng nhập sai".encode() in compiled

"""Settings are read at start-up, so each case starts a fresh interpreter."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "pr0duction-l1ke-secret-with-enough-entropy-8f3a91c2d7e4b6a5",
    "ALLOWED_HOSTS": "tcns.example.gov.vn",
    "EMAIL_URL": "smtp+tls://tcns:secret@smtp.example.gov.vn:587",
}
# Variables the test command sets for plain-HTTP testing must not leak in.
RELAXED = (
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run(args, **overrides):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in RELAXED and key not in ("SECRET_KEY", "DEBUG")
    }
    environment.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_to_start_without_a_secret_when_debug_is_off():
    result = run(["check"], DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = run(
        ["shell", "-c", "from django.conf import settings; print(settings.DEBUG)"],
        SECRET_KEY=PRODUCTION["SECRET_KEY"],
    )

    assert result.stdout.strip().splitlines()[-1] == "False"


def test_demo_mode_starts_without_a_secret():
    assert run(["check"], DEBUG="1").returncode == 0


def test_deployment_check_is_clean_with_production_settings():
    result = run(["check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deployment_check_refuses_mail_that_is_only_printed():
    settings = {
        name: value for name, value in PRODUCTION.items() if name != "EMAIL_URL"
    }

    result = run(["check", "--deploy"], **settings)

    assert result.returncode != 0
    assert "accounts.E004" in result.stderr


def test_demo_mode_prints_its_mail_without_complaint():
    assert (
        run(["check", "--deploy", "--fail-level", "ERROR"], DEBUG="1").returncode == 0
    )


def test_the_language_cookie_is_secure_under_https_settings():
    result = run(
        [
            "shell",
            "-c",
            "from django.conf import settings; "
            "print(settings.LANGUAGE_COOKIE_SECURE, settings.SESSION_COOKIE_SECURE)",
        ],
        **PRODUCTION,
    )

    assert result.stdout.strip().splitlines()[-1] == "True True"


def test_the_language_cookie_follows_a_plain_http_deployment():
    result = run(
        [
            "shell",
            "-c",
            "from django.conf import settings; print(settings.LANGUAGE_COOKIE_SECURE)",
        ],
        **PRODUCTION,
        SESSION_COOKIE_SECURE="0",
    )

    assert result.stdout.strip().splitlines()[-1] == "False"

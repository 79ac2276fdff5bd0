"""start.sh's last words say whether the demo logins ask for a second factor."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def printed() -> str:
    out = io.StringIO()
    call_command(
        "demo_logins", url="http://127.0.0.1:8000/", logs="var/log", stdout=out
    )
    return out.getvalue()


def test_the_demo_says_two_factor_sign_in_is_off_and_why(settings):
    settings.MFA_REQUIRED_ROLES = []

    text = printed()

    assert "Không bắt buộc đăng nhập hai bước" in text
    assert "MFA_REQUIRED_ROLES" in text


def test_a_platform_that_requires_it_names_who_must_set_it_up(settings):
    settings.MFA_REQUIRED_ROLES = ["national", "province"]

    text = printed()

    assert (
        "Bắt buộc đăng nhập hai bước với: quản trị viên toàn quốc, cán bộ tỉnh" in text
    )

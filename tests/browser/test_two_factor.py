"""A province officer sets up two-factor sign-in at first sign-in, in
Vietnamese, then signs in with the password and the authenticator app's code."""

import pytest

from accounts.models import Role
from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.totp import totp_code
from tests.areas.factories import ProvinceFactory
from tests.browser.conftest import horizontal_overflow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(settings, transactional_db):
    settings.MFA_REQUIRED_ROLES = ["national", "province"]
    return UserFactory(
        username="tinh.2buoc",
        role=Role.PROVINCE,
        province=ProvinceFactory(code="01", name="Thành phố Hà Nội"),
    )


def test_enrol_then_sign_in_with_password_and_code(officer, desktop_page):
    page = desktop_page
    sign_in(page, officer.username, PASSWORD)

    assert page.url.endswith("/accounts/2fa/totp/activate/")
    assert page.get_by_role("heading", name="Cài ứng dụng xác thực").is_visible()
    assert page.get_by_text(
        "Tài khoản của bạn phải dùng đăng nhập hai bước"
    ).is_visible()
    # The QR code is drawn by the server and shown from the page itself.
    assert page.locator("img.totp-qr").evaluate("img => img.naturalWidth") > 0
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Mã từ ứng dụng").fill(totp_code(secret))
    page.get_by_role("button", name="Bật").click()

    assert page.get_by_role("heading", name="Mã khôi phục").is_visible()
    assert page.locator("#recovery_codes li").count() == 10
    page.get_by_role("link", name="Tôi đã cất giữ các mã: tiếp tục").click()
    assert page.url.endswith("/dashboard/")

    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state("networkidle")
    sign_in(page, officer.username, PASSWORD)

    assert page.url.endswith("/accounts/2fa/authenticate/")
    assert page.get_by_role("heading", name="Mã từ ứng dụng xác thực").is_visible()
    assert horizontal_overflow(page) <= 0
    page.get_by_label("Mã", exact=True).fill(totp_code(secret))
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state("networkidle")

    assert page.url.endswith("/dashboard/")
    assert page.get_by_text("Thành phố Hà Nội").first.is_visible()

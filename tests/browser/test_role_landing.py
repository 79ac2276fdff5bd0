import io

import pytest
from django.core.management import call_command

from tests.browser.conftest import horizontal_overflow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo1234"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())


@pytest.mark.parametrize(
    ("username", "landing", "heading"),
    [
        ("thanhvien.badinh", "/field/", "Tổ CNSCĐ Tổ dân phố số 1"),
        ("totruong.badinh", "/field/", "Tổ CNSCĐ Tổ dân phố số 1"),
        ("phuong.badinh", "/dashboard/", "Bảng điều khiển — Phường Ba Đình"),
        ("tinh.hanoi", "/dashboard/", "Bảng điều khiển — Thành phố Hà Nội"),
        ("admin", "/admin/", "Quản lý danh mục"),
    ],
)
def test_each_demo_role_signs_in_on_a_phone_and_lands_on_its_page(
    demo, phone_page, live_server, username, landing, heading
):
    sign_in(phone_page, username, DEMO_PASSWORD)

    assert phone_page.url == live_server.url + landing
    assert phone_page.get_by_role("heading", name=heading).is_visible()
    assert horizontal_overflow(phone_page) <= 0


def test_wrong_password_shows_the_reason_in_vietnamese(demo, phone_page):
    sign_in(phone_page, "phuong.badinh", "sai-mat-khau")

    alert = phone_page.get_by_role("alert")
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in alert.inner_text()


def test_language_switcher_turns_the_page_to_english(demo, phone_page):
    phone_page.goto("/accounts/login/")

    phone_page.get_by_role("button", name="English").click()

    assert phone_page.get_by_role("heading", name="Sign in").is_visible()
    assert phone_page.locator("html").get_attribute("lang") == "en"


def test_sign_out_from_the_field_home(demo, phone_page, live_server):
    sign_in(phone_page, "thanhvien.badinh", DEMO_PASSWORD)

    phone_page.get_by_role("button", name="Đăng xuất").click()
    phone_page.wait_for_load_state("networkidle")
    phone_page.goto("/field/")

    assert phone_page.url.startswith(live_server.url + "/accounts/login/")

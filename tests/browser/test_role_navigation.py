"""The role navigation in a browser: a ward official goes from the dashboard
into the registry and back, a national administrator from the admin to the
national dashboard, on a 360 px phone and a 1366 px screen alike."""

import io

import pytest
from django.core.management import call_command

from tests.browser.conftest import horizontal_overflow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo1234"
NAV = "Nơi làm việc của bạn"
WIDTHS = [360, 1366]


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())


@pytest.fixture(params=WIDTHS, ids=lambda width: "%spx" % width)
def screen(request, browser, live_server):
    context = browser.new_context(
        viewport={"width": request.param, "height": 800}, base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def go(page, name):
    """Follow the navigation's link called ``name`` and wait for the page."""
    with page.expect_navigation():
        page.get_by_role("navigation", name=NAV).get_by_role("link", name=name).click()


def current(page) -> str:
    link = page.get_by_role("navigation", name=NAV).locator("a[aria-current]")
    return link.inner_text()


def test_ward_official_goes_from_the_dashboard_to_the_registry_and_back(
    demo, screen, live_server
):
    sign_in(screen, "phuong.badinh", PASSWORD)
    assert screen.url == live_server.url + "/dashboard/"
    assert current(screen) == "Bảng điều khiển xã/phường"
    assert horizontal_overflow(screen) <= 0

    go(screen, "Mở trang quản trị")
    assert screen.url == live_server.url + "/admin/"
    assert screen.get_by_role("heading", name="Quản lý danh mục").is_visible()
    assert current(screen) == "Mở trang quản trị"
    assert horizontal_overflow(screen) <= 0

    go(screen, "Hộ gia đình")
    assert screen.url == live_server.url + "/admin/households/household/"
    assert current(screen) == "Hộ gia đình"

    go(screen, "Bảng điều khiển xã/phường")
    assert screen.url == live_server.url + "/dashboard/"
    assert screen.get_by_role(
        "heading", name="Bảng điều khiển — Phường Ba Đình"
    ).is_visible()
    assert horizontal_overflow(screen) <= 0


def test_view_site_leads_the_ward_official_back_to_the_dashboard(
    demo, screen, live_server
):
    sign_in(screen, "phuong.badinh", PASSWORD)
    screen.goto("/admin/teams/member/")

    with screen.expect_navigation():
        screen.get_by_role("link", name="Xem trang web").click()

    assert screen.url == live_server.url + "/dashboard/"


def test_national_administrator_goes_from_the_admin_to_the_national_dashboard(
    demo, screen, live_server
):
    sign_in(screen, "admin", PASSWORD)
    assert screen.url == live_server.url + "/admin/"
    assert current(screen) == "Trang quản trị"
    assert horizontal_overflow(screen) <= 0

    go(screen, "Bảng điều khiển toàn quốc")
    assert screen.url == live_server.url + "/dashboard/national/"
    assert current(screen) == "Bảng điều khiển toàn quốc"
    assert horizontal_overflow(screen) <= 0

    go(screen, "Trang quản trị")
    assert screen.url == live_server.url + "/admin/"

    with screen.expect_navigation():
        screen.get_by_role("link", name="Xem trang web").click()
    assert screen.url == live_server.url + "/dashboard/national/"
    assert horizontal_overflow(screen) <= 0

"""Province staff compare wards, sort, export and drill down; on a phone too."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.browser.conftest import horizontal_overflow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROVINCE_STAFF = "tinh.hanoi"
DEMO_PASSWORD = "demo1234"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
PROVINCE_HEADING = "Bảng điều khiển — Thành phố Hà Nội"
WARD_HEADING = "Bảng điều khiển — Phường Ba Đình"
SESSIONS_HEADER = "#table-ranking thead a[href*='sort=sessions']"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def chart_is_drawn(page) -> bool:
    return page.evaluate(
        """() => {
          const canvas = document.querySelector("#trend-chart");
          return typeof Chart !== "undefined" && !!Chart.getChart(canvas)
            && canvas.width > 0 && canvas.height > 0;
        }"""
    )


def ranking_column(page, index: int) -> list[str]:
    cells = page.locator("#table-ranking tbody tr").evaluate_all(
        "(rows, index) => rows.map(row => row.children[index].innerText.trim())",
        index,
    )
    return cells


def as_number(text: str) -> int:
    return int(text.replace(".", ""))  # Vietnamese thousands: 1.234


def test_province_staff_sorts_exports_and_drills_into_a_ward(
    demo, desktop_page, live_server
):
    page = desktop_page
    sign_in(page, PROVINCE_STAFF, DEMO_PASSWORD)
    assert page.url == live_server.url + "/dashboard/"
    assert page.get_by_role("heading", name=PROVINCE_HEADING).is_visible()
    assert chart_is_drawn(page)

    page.locator(SESSIONS_HEADER).click()  # sorted by sessions: now ascending
    page.wait_for_load_state("networkidle")
    ascending = [as_number(text) for text in ranking_column(page, 1)]
    assert ascending == sorted(ascending)
    page.locator(SESSIONS_HEADER).click()
    page.wait_for_load_state("networkidle")
    assert "sort=sessions&dir=desc" in page.url
    names = ranking_column(page, 0)
    sessions = [as_number(text) for text in ranking_column(page, 1)]
    assert sessions == sorted(sessions, reverse=True)
    assert names[0] == "Phường Ba Đình"
    screenshot(page, "dashboard-province-1280.png")

    with page.expect_download() as download_info:
        page.locator("#table-ranking a[data-export=ranking]").click()
    download = download_info.value
    assert download.suggested_filename.startswith("ranking_01_")
    sheet = load_workbook(io.BytesIO(download.path().read_bytes())).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows] == names
    assert [row[1] for row in rows] == sessions

    page.locator("#table-ranking").get_by_role("link", name="Phường Ba Đình").click()
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(live_server.url + "/dashboard/ward/00004/?from=")
    assert page.get_by_role("heading", name=WARD_HEADING).is_visible()
    assert page.locator("#table-teams tbody tr").count() == 3
    assert chart_is_drawn(page)
    screenshot(page, "dashboard-ward-1280.png")


def test_dashboards_fit_a_phone(demo, phone_page):
    sign_in(phone_page, PROVINCE_STAFF, DEMO_PASSWORD)

    assert phone_page.get_by_role("heading", name=PROVINCE_HEADING).is_visible()
    assert chart_is_drawn(phone_page)
    assert horizontal_overflow(phone_page) <= 0
    screenshot(phone_page, "dashboard-province-360.png")

    phone_page.goto("/dashboard/ward/00004/?from=abc")
    assert phone_page.get_by_role("alert").is_visible()
    assert chart_is_drawn(phone_page)
    assert horizontal_overflow(phone_page) <= 0
    screenshot(phone_page, "dashboard-ward-360.png")

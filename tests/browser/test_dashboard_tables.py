"""Wide dashboard tables scroll inside their own box, never the page; print on A4."""

import io

import pytest
from django.core.management import call_command

from tests.browser.conftest import horizontal_overflow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROVINCE_STAFF = "tinh.hanoi"
DEMO_PASSWORD = "demo1234"
WARD_DASHBOARD = "/dashboard/ward/00004/"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())


@pytest.fixture
def laptop_page(browser, live_server):
    """A common office laptop: 1366 px wide."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def last_column_after_scrolling(page, table: str) -> dict:
    """Scroll the table's box to its far end; where its last column then lies."""
    return page.evaluate(
        """(table) => {
          const box = document.querySelector(table + " .table-scroll");
          box.scrollLeft = box.scrollWidth;
          const boxRect = box.getBoundingClientRect();
          const cells = [...box.querySelectorAll("tr > :last-child")];
          const rights = cells.map(cell => cell.getBoundingClientRect().right);
          return {
            scrolls: box.scrollWidth > box.clientWidth,
            overflowX: getComputedStyle(box).overflowX,
            cue: getComputedStyle(box).backgroundImage,
            boxRight: boxRect.right,
            lastRight: Math.max(...rights),
            viewport: document.documentElement.clientWidth,
            texts: cells.map(cell => cell.innerText.trim()),
          };
        }""",
        table,
    )


def test_the_team_table_scrolls_in_its_box_on_a_phone(demo, phone_page):
    sign_in(phone_page, PROVINCE_STAFF, DEMO_PASSWORD)
    phone_page.goto(WARD_DASHBOARD)

    teams = last_column_after_scrolling(phone_page, "#table-teams")

    assert teams["scrolls"], "360 px cannot hold every column of the team table"
    assert teams["overflowX"] == "auto"
    assert "gradient" in teams["cue"]  # the shadow on the edge that has more
    assert teams["lastRight"] <= teams["boxRight"] + 1  # the numbers are reachable
    assert all(text for text in teams["texts"])
    assert horizontal_overflow(phone_page) <= 0


def test_the_province_ward_table_is_not_cut_on_a_laptop(demo, laptop_page):
    sign_in(laptop_page, PROVINCE_STAFF, DEMO_PASSWORD)

    wards = last_column_after_scrolling(laptop_page, "#table-ranking")

    assert wards["lastRight"] <= wards["boxRight"] + 1
    if wards["scrolls"]:
        assert wards["overflowX"] == "auto" and "gradient" in wards["cue"]
    assert wards["boxRight"] <= wards["viewport"]
    assert horizontal_overflow(laptop_page) <= 0


def test_a_printed_dashboard_has_no_navigation_and_whole_tables(demo, laptop_page):
    sign_in(laptop_page, PROVINCE_STAFF, DEMO_PASSWORD)
    laptop_page.goto(WARD_DASHBOARD)

    laptop_page.emulate_media(media="print")

    assert not laptop_page.locator("header.topbar").is_visible()
    assert not laptop_page.locator("form.period").is_visible()
    assert not laptop_page.locator("[data-export]").first.is_visible()
    boxes = laptop_page.locator(".dash-table .table-scroll").evaluate_all(
        """boxes => boxes.filter(box => box.offsetParent).map(box => ({
          overflowX: getComputedStyle(box).overflowX,
          overflowY: getComputedStyle(box).overflowY,
          hidden: box.scrollWidth - box.clientWidth
            + box.scrollHeight - box.clientHeight,
          rowBreak: getComputedStyle(box.querySelector("tbody tr")).breakInside,
        }))"""
    )
    assert boxes
    for box in boxes:
        assert box["overflowX"] == "visible" and box["overflowY"] == "visible"
        assert box["hidden"] <= 0
        assert box["rowBreak"] == "avoid"
    chart = laptop_page.locator(".chart-box").bounding_box()
    assert chart["width"] <= 720  # A4's printable width at 96 dpi, margins off

"""A ward official's household list at 1366×768: fifteen households or more on
the screen, every column in sight, priority groups as short badges."""

import io

import pytest
from django.core.management import call_command

from tests.browser.conftest import horizontal_overflow, sign_in

LAPTOP = {"width": 1366, "height": 768}
HOUSEHOLDS = "/admin/households/household/"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())


@pytest.fixture
def laptop_page(browser, live_server):
    context = browser.new_context(viewport=LAPTOP, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def list_layout(page) -> dict:
    return page.evaluate(
        """() => {
            const table = document.querySelector('#result_list');
            const box = document.querySelector('#changelist .results');
            const rows = [...table.querySelectorAll('tbody tr')];
            const heads = [...table.querySelectorAll('thead th')];
            const name = (row) => row.querySelector('.field-head_name');
            return {
                rows: rows.length,
                onScreen: rows.filter(
                    (row) => row.getBoundingClientRect().bottom <= innerHeight
                ).length,
                heads: heads.map((head) => ({
                    text: head.innerText.trim(),
                    right: head.getBoundingClientRect().right,
                })),
                boxRight: box.getBoundingClientRect().right,
                boxScrolls: box.scrollWidth > box.clientWidth,
                // Lines of each head's name: the tops of its text's line boxes.
                nameLines: rows.map((row) => {
                    const text = document.createRange();
                    text.selectNodeContents(name(row));
                    const lines = [...text.getClientRects()];
                    const tops = lines.map((line) => Math.round(line.top));
                    return new Set(tops).size;
                }),
            };
        }"""
    )


def test_a_ward_official_sees_fifteen_households_and_every_column(demo, laptop_page):
    sign_in(laptop_page, "phuong.badinh", "demo1234")
    laptop_page.goto(HOUSEHOLDS)

    layout = list_layout(laptop_page)

    assert layout["rows"] >= 15
    assert layout["onScreen"] >= 15
    headings = [head["text"] for head in layout["heads"] if head["text"]]
    assert "ƯU TIÊN" in [text.upper() for text in headings]
    assert all(head["right"] <= LAPTOP["width"] for head in layout["heads"])
    assert all(head["right"] <= layout["boxRight"] + 1 for head in layout["heads"])
    assert not layout["boxScrolls"]
    assert horizontal_overflow(laptop_page) == 0


def test_the_tools_beside_the_title_leave_it_readable(demo, laptop_page):
    sign_in(laptop_page, "phuong.badinh", "demo1234")
    laptop_page.goto(HOUSEHOLDS)

    title = laptop_page.locator("#content h1 ").evaluate(
        "(h1) => { const text = document.createRange();"
        " text.selectNodeContents(h1); const box = text.getBoundingClientRect();"
        " return {left: box.left, right: box.right, top: box.top,"
        " bottom: box.bottom}; }"
    )
    tools = laptop_page.locator(".object-tools li")
    assert tools.count() == 5
    for index in range(tools.count()):
        tool = tools.nth(index).bounding_box()
        apart = (
            tool["x"] >= title["right"]
            or tool["x"] + tool["width"] <= title["left"]
            or tool["y"] >= title["bottom"]
            or tool["y"] + tool["height"] <= title["top"]
        )
        assert apart, "a tool covers the title"


def test_heads_of_households_take_at_most_two_lines(demo, laptop_page):
    sign_in(laptop_page, "phuong.badinh", "demo1234")
    laptop_page.goto(HOUSEHOLDS)

    layout = list_layout(laptop_page)

    assert max(layout["nameLines"]) <= 2
    assert min(layout["nameLines"]) == 1


def test_priority_groups_are_badges_with_their_full_name(demo, laptop_page):
    sign_in(laptop_page, "phuong.badinh", "demo1234")
    laptop_page.goto(HOUSEHOLDS + "?elderly_alone__exact=1")

    badge = laptop_page.locator(".field-priority .priority-badge").first

    assert badge.get_attribute("title") == "người cao tuổi sống một mình"
    assert badge.locator("[aria-hidden=true]").inner_text() == "cao tuổi"
    assert badge.locator(".visually-hidden").inner_text() == (
        "người cao tuổi sống một mình"
    )


def test_the_list_scrolls_inside_itself_on_a_phone(demo, phone_page):
    sign_in(phone_page, "phuong.badinh", "demo1234")
    phone_page.goto(HOUSEHOLDS)

    assert phone_page.locator("#result_list tbody tr").count() >= 15
    assert horizontal_overflow(phone_page) == 0

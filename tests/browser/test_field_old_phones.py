"""The field pages on cheap, old phones, at 360 px: no CSS :has(), nothing
covered by the bars, and no stray tap that signs out with records unsent."""

import io
import os
import re
from itertools import pairwise
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from accounts.models import User
from assistance.models import AssistanceSession
from tests.browser.conftest import sign_in, wait_until
from tests.households.factories import HouseholdFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBER = "thanhvien.badinh"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
FIELD_CSS = Path(settings.BASE_DIR) / "static" / "css" / "field.css"
FIELD_JS = Path(settings.BASE_DIR) / "static" / "js" / "field.js"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())
    return User.objects.get(username=MEMBER)


def without_has(css: str) -> str:
    """The style sheet as a browser without :has() keeps it: every rule whose
    selector uses it is dropped whole."""
    return re.sub(r"[^{}]*:has\([^{}]*\{[^{}]*\}", "", css)


def as_old_phone(page):
    """Serve the field pages' CSS with every :has() rule removed."""

    def strip(route):
        response = route.fetch()
        route.fulfill(response=response, body=without_has(response.text()))

    page.route("**/static/css/*.css", strip)


def visible(page, selector):
    return page.locator(selector).first.is_visible()


def test_the_sources_use_nothing_an_old_phone_lacks():
    css = FIELD_CSS.read_text()
    js = re.sub(r"/\*.*?\*/|//[^\n]*", "", FIELD_JS.read_text(), flags=re.S)
    assert ":has(" not in css
    assert "@container" not in css and not re.search(r"\{[^{}]*&", css)  # no nesting
    for syntax in ("?.", "??", "=>", "`", "let ", "const ", "class "):
        assert syntax not in js, syntax


def test_a_session_is_logged_end_to_end_without_has(demo, phone_page):
    as_old_phone(phone_page)
    sign_in(phone_page, MEMBER, "demo1234")
    phone_page.goto("/field/log/")
    form = phone_page.locator("#log-form")

    # Nothing chosen yet: no empty green box, the household search shown.
    assert not visible(phone_page, "#chosen")
    assert visible(phone_page, "#find-q")
    assert not visible(phone_page, ".panel-walkin")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone_page.screenshot(
        path=str(ARTIFACTS / "field-log-start-360.png"), full_page=True
    )

    phone_page.locator("label:has([name=who][value=walkin])").click()
    assert visible(phone_page, ".panel-walkin")
    assert not visible(phone_page, ".panel-household")
    female = phone_page.locator("label:has([name=walk_in_gender][value=female])")
    female.click()
    assert "on" in female.get_attribute("class")  # the chosen chip is marked

    phone_page.locator("label:has([name=who][value=household])").click()
    assert visible(phone_page, ".panel-household")
    assert not visible(phone_page, ".panel-walkin")
    phone_page.locator("#find-q").fill("nguyen")
    pick = phone_page.locator(".pick[data-household]").first
    household = int(pick.get_attribute("data-household"))
    pick.click()
    assert visible(phone_page, "#chosen")
    phone_page.screenshot(
        path=str(ARTIFACTS / "field-log-household-360.png"), full_page=True
    )

    service = form.locator(".svc[data-service=vneid_install]")
    assert not service.locator(".svc-detail").is_visible()
    service.locator("[name=service]").check()
    assert service.locator(".svc-detail").is_visible()
    assert not service.locator(".svc-reason").is_visible()
    service.locator("label:has([value=failed])").click()
    assert service.locator(".svc-reason").is_visible()
    service.locator(".svc-reason").fill("Điện thoại hết pin")
    phone_page.locator("#log-form [type=submit]").click()
    phone_page.locator("#log-done").wait_for(state="visible")

    session = AssistanceSession.objects.get(recorded_by=demo)
    assert session.household_id == household
    assert list(session.services.values_list("outcome", "reason")) == [
        ("failed", "Điện thoại hết pin")
    ]


def test_search_results_are_not_covered_by_the_save_button_or_the_bar(demo, phone_page):
    sign_in(phone_page, MEMBER, "demo1234")
    phone_page.goto("/field/log/")
    phone_page.locator("#find-q").fill("nguyen")
    last = phone_page.locator("#find-results .pick[data-household]").last
    last.wait_for()

    covered = last.evaluate(
        """(pick) => {
            pick.scrollIntoView({block: "end"});
            const box = pick.getBoundingClientRect();
            const top = document.elementFromPoint(box.left + 10, box.bottom - 4);
            return !(top && top.closest(".pick") === pick);
        }"""
    )
    assert not covered


def test_the_bottom_bar_keeps_clear_of_the_footer_and_its_labels_apart(
    demo, phone_page
):
    sign_in(phone_page, MEMBER, "demo1234")
    for url in ("/field/", "/field/log/"):
        phone_page.goto(url)
        phone_page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        footer = phone_page.locator(".foot p").bounding_box()
        bar = phone_page.locator(".fieldnav").bounding_box()
        assert footer["y"] + footer["height"] <= bar["y"]

        labels = phone_page.locator(".fieldnav a").evaluate_all(
            """(links) => links.map((link) => {
                const range = document.createRange();
                range.selectNodeContents(link);
                const text = range.getBoundingClientRect();
                const box = link.getBoundingClientRect();
                return {left: text.left, right: text.right, boxLeft: box.left,
                        boxRight: box.right};
            })"""
        )
        for label in labels:
            assert (
                label["boxLeft"] <= label["left"]
                and label["right"] <= label["boxRight"]
            )
        for before, after in pairwise(labels):
            assert after["left"] - before["right"] >= 6  # a visible gap between


def test_the_members_list_shows_it_opens(demo, phone_page):
    sign_in(phone_page, MEMBER, "demo1234")
    phone_page.goto("/field/log/")
    summary = phone_page.locator(".members summary")
    marker = "(s) => getComputedStyle(s, '::before').content"

    assert summary.evaluate(marker) == '"▸"'
    summary.click()
    assert summary.evaluate(marker) == '"▾"'


def test_signing_out_is_away_from_the_language_switch_and_asks_while_records_wait(
    demo, phone_page, live_server
):
    sign_in(phone_page, MEMBER, "demo1234")
    phone_page.goto("/field/log/")
    assert (
        phone_page.locator(".topnav").get_by_role("button", name="Đăng xuất").count()
        == 0
    )
    sign_out = phone_page.get_by_role("button", name="Đăng xuất")
    assert (
        sign_out.bounding_box()["y"]
        > phone_page.locator(".lang").bounding_box()["y"] + 300
    )

    # The server is down: the session waits on the phone.
    phone_page.route("**/api/v1/sessions/**", lambda route: route.fulfill(status=503))
    phone_page.locator("label:has([name=who][value=walkin])").click()
    phone_page.locator("label:has([name=walk_in_gender][value=female])").click()
    phone_page.locator("label:has([name=walk_in_age_group][value='60_plus'])").click()
    phone_page.locator("[name=service][value=online_safety]").check()
    phone_page.locator("#log-form [type=submit]").click()
    phone_page.locator("#log-done").wait_for(state="visible")
    wait_until(phone_page, "window.fieldQueue.mine().then(items => items.length === 1)")

    asked = []

    def dismiss(dialog):
        asked.append(dialog.message)
        dialog.dismiss()

    phone_page.once("dialog", dismiss)
    sign_out.click()
    phone_page.wait_for_timeout(300)
    assert asked and "Còn 1 bản ghi" in asked[0]
    phone_page.goto("/field/")
    assert phone_page.url == live_server.url + "/field/"  # still signed in

    phone_page.once("dialog", lambda dialog: dialog.accept())
    with phone_page.expect_navigation():
        phone_page.get_by_role("button", name="Đăng xuất").click()
    phone_page.goto("/field/")
    assert phone_page.url.startswith(live_server.url + "/accounts/login/")


def test_offline_search_says_it_covers_only_the_households_on_the_phone(
    demo, phone_page
):
    sign_in(phone_page, MEMBER, "demo1234")
    phone_page.goto("/field/log/")
    kept = phone_page.evaluate(
        """fetch("/field/households.json")
            .then((response) => response.json())
            .then((index) => index.households.length)"""
    )
    assert kept > 0
    # The search cannot reach the server: the phone searches its own copy.
    phone_page.route("**/field/find/**", lambda route: route.abort())

    phone_page.locator("#find-q").fill("nguyen")
    scope = phone_page.locator("#find-results .offline-scope")
    scope.wait_for()
    assert scope.inner_text() == (
        f"Không có mạng: chỉ tìm trong {kept} hộ lưu trên máy này."
    )
    assert phone_page.locator("#find-results .pick").count() > 0

    phone_page.locator("#find-q").fill("zzzz khong co ai")
    with translation.override("vi"):
        nobody = translation.gettext(
            "Nobody found. Check the spelling, or log a walk-in."
        )
    phone_page.locator("#find-results").get_by_text(nobody).wait_for()
    assert phone_page.locator("#find-results .offline-scope").is_visible()


def test_the_exact_name_comes_first_online_and_offline(demo, phone_page):
    member = User.objects.get(username=MEMBER)
    hamlet = member.team.hamlet
    # Twenty names that only start like the one sought, with codes that sort
    # before it: without ranking they would fill the 15 shown.
    for number in range(20):
        HouseholdFactory(
            ward=hamlet.ward,
            hamlet=hamlet,
            code="A%03d" % number,
            head_name="Phan Văn Tuấn",
        )
    HouseholdFactory(
        ward=hamlet.ward, hamlet=hamlet, code="ZZ999", head_name="Phan Văn Tư"
    )
    sign_in(phone_page, MEMBER, "demo1234")
    phone_page.goto("/field/log/")
    first_is_sought = (
        "() => { const pick = document.querySelector("
        "'#find-results .pick[data-household]');"
        " return !!pick && pick.innerText.trim().indexOf('Phan Văn Tư ZZ999') === 0; }"
    )

    phone_page.locator("#find-q").fill("phan van tu")
    phone_page.wait_for_function(first_is_sought, timeout=5_000)

    phone_page.route("**/field/find/**", lambda route: route.abort())
    phone_page.locator("#find-q").fill("")
    phone_page.locator("#find-q").fill("phan van tu")
    phone_page.locator("#find-results .offline-scope").wait_for()
    phone_page.wait_for_function(first_is_sought, timeout=5_000)

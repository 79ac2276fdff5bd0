"""The visit list ("Cần đến") on a phone: a household logged offline drops off
at once, and the server agrees once the session is sent."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from assistance.models import AssistanceSession
from households.models import Household
from tests.browser.conftest import PHONE, horizontal_overflow, sign_in, wait_until
from tests.browser.test_field_capture import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBER = "thanhvien.badinh"
LEADER = "totruong.badinh"
# What a phone may download to open a field page the first time (README, B7).
FIRST_LOAD_BUDGET = 150 * 1024


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())
    return User.objects.get(username=MEMBER)


def wait_for_kept(page, *paths):
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(
        page,
        """async () => {
            const paths = %r;
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                const kept = await Promise.all(paths.map((path) => cache.match(path)));
                if (kept.every(Boolean)) return true;
            }
            return false;
        }"""
        % list(paths),
    )


def listed(page) -> list[str]:
    return page.locator("#visit-list .visit:visible").evaluate_all(
        "(rows) => rows.map((row) => row.dataset.household)"
    )


def test_a_household_logged_offline_drops_off_the_list_and_stays_off(demo, phone_page):
    sign_in(phone_page, MEMBER, "demo1234")
    phone_page.goto("/field/visits/")
    assert horizontal_overflow(phone_page) <= 0
    screenshot(phone_page, "field-visits-360.png")
    wait_for_kept(phone_page, "/field/visits/", "/field/log/", "/field/households.json")
    before = listed(phone_page)
    assert before, "the demo team has households still to visit"
    target = Household.objects.get(pk=before[0])
    sessions = AssistanceSession.objects.filter(household=target)
    earlier = sessions.count()  # visits before this period

    phone_page.context.set_offline(True)
    phone_page.goto("/field/visits/")  # the phone's copy
    row = phone_page.locator(f".visit[data-household='{target.pk}']")
    row.get_by_role("link", name="Ghi nhận").click()
    # The kept log page, with the household chosen from the phone's list.
    chosen = phone_page.locator("#chosen-label")
    chosen.wait_for(state="visible")
    assert target.code in chosen.inner_text()
    phone_page.locator("[name=service][value=online_safety]").check()
    phone_page.locator("#log-form [type=submit]").click()
    phone_page.locator("#log-done").wait_for(state="visible")
    assert sessions.count() == earlier  # only queued on the phone

    phone_page.goto("/field/visits/")
    phone_page.locator("#visit-list[data-ready]").wait_for(state="attached")
    assert listed(phone_page) == before[1:]
    assert str(len(before) - 1) in phone_page.locator("#visit-count").inner_text()

    phone_page.context.set_offline(False)
    wait_until(phone_page, "window.fieldQueue.sync().then(() => true)")
    wait_until(phone_page, "window.fieldQueue.mine().then(items => items.length === 0)")
    phone_page.reload()
    assert phone_page.locator(f".visit[data-household='{target.pk}']").count() == 0
    assert sessions.count() == earlier + 1  # stored once


def test_the_kept_list_is_filtered_on_the_phone_offline(demo, phone_page):
    sign_in(phone_page, MEMBER, "demo1234")
    phone_page.goto("/field/visits/?group=poor")
    online = listed(phone_page)
    assert online, "the demo team has poor households still to visit"
    wait_for_kept(phone_page, "/field/visits/")

    phone_page.context.set_offline(True)
    phone_page.goto("/field/visits/?group=poor")
    phone_page.locator("#visit-list[data-ready]").wait_for(state="attached")
    assert phone_page.locator("[name=group]").input_value() == "poor"

    assert listed(phone_page) == online
    assert set(online) == {
        str(pk)
        for pk in Household.objects.filter(
            pk__in=online, poverty__in=("poor", "near_poor")
        ).values_list("pk", flat=True)
    }


def test_the_leaders_list_opens_within_the_first_load_budget(
    demo, browser, live_server
):
    # Signed in where no service worker starts, then a fresh context with the
    # session only: an empty cache, as on a new phone (as B7 measures).
    signing_in = browser.new_context(
        viewport=PHONE, base_url=live_server.url, service_workers="block"
    )
    sign_in(signing_in.new_page(), LEADER, "demo1234")
    session = signing_in.storage_state()
    signing_in.close()
    context = browser.new_context(
        viewport=PHONE,
        base_url=live_server.url,
        storage_state=session,
        service_workers="block",
    )
    page = context.new_page()
    received = []
    page.on("requestfinished", lambda request: received.append(request))

    page.goto("/field/visits/")
    page.wait_for_load_state("networkidle")

    assert page.locator("#visit-list .visit a[href*='/assign/']").count() > 0
    # Bodies as sent by the test server, which compresses pages but not
    # static files: more than a phone receives from the real server.
    total = sum(request.sizes()["responseBodySize"] for request in received)
    context.close()
    assert 0 < total < FIRST_LOAD_BUDGET, total

"""The visit list ("Cần đến") on a phone: a household logged offline drops off
at once, and the server agrees once the session is sent."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from assistance.models import AssistanceSession
from households.models import Household
from tests.browser.conftest import horizontal_overflow, sign_in, wait_until
from tests.browser.test_field_capture import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBER = "thanhvien.badinh"


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

"""A team leader logs a workshop on a phone without a connection."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from tests.browser.conftest import horizontal_overflow, sign_in, wait_until
from training.models import Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEADER = "totruong.badinh"
WORKSHOP = "/field/training/workshop/"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())
    return User.objects.get(username=LEADER)


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def wait_for_offline_copy(page):
    """The service worker is installed once the workshop form is kept offline."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(
        page,
        """async () => {
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                if (await cache.match('%s')) return true;
            }
            return false;
        }"""
        % WORKSHOP,
    )


def test_a_workshop_logged_offline_is_sent_once_when_the_connection_returns(
    demo, phone_page
):
    sign_in(phone_page, LEADER, "demo1234")
    phone_page.goto(WORKSHOP)
    wait_for_offline_copy(phone_page)

    phone_page.context.set_offline(True)
    phone_page.goto(WORKSHOP)  # opened from the phone's copy
    phone_page.locator("#place").fill("Nhà văn hóa tổ dân phố số 1")
    phone_page.locator("label:has([name=topic][value=safety])").click()
    phone_page.locator("label:has([name=audience][value=elderly])").click()
    phone_page.locator("#count-attendees").fill("28")
    for _ in range(3):
        phone_page.locator("[data-for=count-attendees][data-step='1']").click()
    phone_page.locator("#count-women").fill("17")
    phone_page.locator("[data-for=count-women][data-step='-1']").click()
    phone_page.locator("#count-elderly").fill("25")
    screenshot(phone_page, "field-workshop-360.png")
    assert horizontal_overflow(phone_page) <= 0
    phone_page.locator("#workshop-form [type=submit]").click()
    phone_page.locator("#log-done").wait_for(state="visible")
    status = phone_page.locator("#queue-status")
    status.wait_for(state="visible")
    assert "1" in status.inner_text()
    screenshot(phone_page, "field-workshop-offline-360.png")
    logged = Workshop.objects.filter(recorded_by=demo)  # the demo's own are not
    assert not logged.exists()

    phone_page.context.set_offline(False)
    wait_until(phone_page, "window.fieldQueue.mine().then(items => items.length === 0)")
    # Nothing is sent twice, even when the phone syncs again.
    phone_page.evaluate("window.fieldQueue.sync()")
    phone_page.reload()
    workshop = logged.get()
    assert workshop.team == demo.team
    assert workshop.recorded_by == demo
    assert (workshop.topic, workshop.audience) == ("safety", "elderly")
    assert (workshop.attendees, workshop.women, workshop.elderly) == (31, 16, 25)
    assert workshop.place == "Nhà văn hóa tổ dân phố số 1"


def test_a_queued_workshop_of_an_approved_month_is_refused_by_name(demo, phone_page):
    # The demo's Ba Đình report of the month before last is approved.
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(
        day=1
    )
    locked = (month - datetime.timedelta(days=1)).replace(day=15)
    sign_in(phone_page, LEADER, "demo1234")
    phone_page.goto(WORKSHOP)
    wait_for_offline_copy(phone_page)
    phone_page.context.set_offline(True)
    phone_page.goto(WORKSHOP)
    phone_page.locator("#held-on").fill(locked.isoformat())
    phone_page.locator("#place").fill("Nhà văn hóa tổ dân phố số 1")
    phone_page.locator("label:has([name=topic][value=safety])").click()
    phone_page.locator("label:has([name=audience][value=elderly])").click()
    phone_page.locator("#count-attendees").fill("20")
    phone_page.locator("#workshop-form [type=submit]").click()
    phone_page.locator("#log-done").wait_for(state="visible")

    phone_page.context.set_offline(False)
    wait_until(
        phone_page,
        """window.fieldQueue.mine().then((items) =>
            items.length === 1 && items[0].status === "refused")""",
    )

    reason = (
        "Tháng %s của Phường Ba Đình đã được phê duyệt: không thể thêm, sửa hay "
        "xóa hồ sơ của tháng này nữa." % locked.strftime("%m/%Y")
    )
    refused = phone_page.locator("#queue-status .queue-refused")
    refused.wait_for(state="visible")
    assert reason in refused.inner_text()
    assert not Workshop.objects.filter(recorded_by=demo).exists()

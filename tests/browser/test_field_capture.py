"""A team member logs sessions on a phone, online and offline."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import User
from assistance.models import AssistanceSession
from core.text import text_fold
from households.models import Household
from tests.browser.conftest import horizontal_overflow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMBER = "thanhvien.badinh"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())
    return User.objects.get(username=MEMBER)


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def wait_for_offline_copy(page):
    """The service worker is installed once the pages are kept for offline."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(
        """async () => {
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                if (await cache.match('/field/log/')) return true;
            }
            return false;
        }"""
    )


def log_walk_in(page, service):
    page.locator("label:has([name=who][value=walkin])").click()
    page.locator("label:has([name=walk_in_gender][value=female])").click()
    page.locator("label:has([name=walk_in_age_group][value='60_plus'])").click()
    page.locator(f"[name=service][value={service}]").check()
    page.locator("#log-form [type=submit]").click()
    page.locator("#log-done").wait_for(state="visible")


def test_member_finds_a_household_without_diacritics_and_logs_a_session(
    demo, phone_page
):
    household = (
        Household.objects.filter(
            hamlet=demo.team.hamlet, head_name__regex=r"[^\x00-\x7f]"
        )
        .order_by("code")
        .first()
    )
    typed = text_fold(household.head_name)
    assert typed != household.head_name  # the name has diacritics to ignore

    sign_in(phone_page, MEMBER, "demo1234")
    screenshot(phone_page, "field-home-360.png")
    phone_page.locator("a.btn.big").click()
    phone_page.locator("#find-q").fill(typed)
    phone_page.locator(f".pick[data-household='{household.pk}']").first.click()
    assert household.head_name in phone_page.locator("#chosen-label").inner_text()
    phone_page.locator("[name=service][value=vneid_install]").check()
    screenshot(phone_page, "field-log-360.png")
    assert horizontal_overflow(phone_page) <= 0
    phone_page.locator("#log-form [type=submit]").click()
    phone_page.locator("#log-done").wait_for(state="visible")

    session = AssistanceSession.objects.get(recorded_by=demo)
    assert session.household == household
    assert session.source == AssistanceSession.Source.FIELD
    assert [member.user for member in session.members.all()] == [demo]
    assert list(session.services.values_list("service_type__code", "outcome")) == [
        ("vneid_install", "done")
    ]
    phone_page.goto("/field/sessions/")
    entry = phone_page.locator(f"[data-session='{session.pk}']")
    assert household.head_name in entry.inner_text()
    assert entry.get_by_role("link").count() == 1  # the author may still change it


def test_sessions_logged_offline_are_sent_once_when_the_connection_returns(
    demo, phone_page
):
    sign_in(phone_page, MEMBER, "demo1234")
    phone_page.goto("/field/log/")
    wait_for_offline_copy(phone_page)

    phone_page.context.set_offline(True)
    phone_page.goto("/field/log/")  # opened from the phone's copy
    log_walk_in(phone_page, "online_safety")
    phone_page.locator("#log-again").click()
    log_walk_in(phone_page, "bill_qr")
    status = phone_page.locator("#queue-status")
    status.wait_for(state="visible")
    assert "2" in status.inner_text()
    screenshot(phone_page, "field-offline-queue-360.png")
    logged = AssistanceSession.objects.filter(recorded_by=demo)
    assert logged.count() == 0

    phone_page.context.set_offline(False)
    phone_page.wait_for_function(
        "window.fieldQueue.mine().then(items => items.length === 0)"
    )
    # Nothing is sent twice, even when the phone syncs again.
    phone_page.evaluate("window.fieldQueue.sync()")
    phone_page.reload()
    assert logged.count() == 2
    assert sorted(logged.values_list("services__service_type__code", flat=True)) == [
        "bill_qr",
        "online_safety",
    ]
    assert set(logged.values_list("walk_in_age_group", flat=True)) == {"60_plus"}

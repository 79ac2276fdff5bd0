"""A team member logs sessions on a phone, online and offline."""

import datetime
import io
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from accounts.models import User
from assistance.models import AssistanceSession
from core.text import text_fold
from households.models import Household
from tests.browser.conftest import horizontal_overflow, sign_in, wait_until

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
    wait_until(
        page,
        """async () => {
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                if (await cache.match('/field/log/')) return true;
            }
            return false;
        }""",
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
    wait_until(phone_page, "window.fieldQueue.mine().then(items => items.length === 0)")
    # Nothing is sent twice, even when the phone syncs again.
    phone_page.evaluate("window.fieldQueue.sync()")
    phone_page.reload()
    assert logged.count() == 2
    assert sorted(logged.values_list("services__service_type__code", flat=True)) == [
        "bill_qr",
        "online_safety",
    ]
    assert set(logged.values_list("walk_in_age_group", flat=True)) == {"60_plus"}


def test_a_queue_sent_on_reconnecting_goes_in_one_request_keeping_the_refused(
    demo, phone_page
):
    sign_in(phone_page, MEMBER, "demo1234")
    phone_page.goto("/field/log/")
    wait_for_offline_copy(phone_page)
    phone_page.context.set_offline(True)
    phone_page.goto("/field/log/")
    for service in ("online_safety", "bill_qr"):
        log_walk_in(phone_page, service)
        phone_page.locator("#log-again").click()
    # Dated next year by mistake: the phone cannot tell, the server refuses it.
    next_year = timezone.localtime() + datetime.timedelta(days=366)
    phone_page.locator("#started-at").fill(next_year.strftime("%Y-%m-%dT%H:%M"))
    log_walk_in(phone_page, "payment_app")
    sent = []
    phone_page.on(
        "request",
        lambda request: sent.append(request.url) if request.method == "POST" else None,
    )

    phone_page.context.set_offline(False)
    wait_until(
        phone_page,
        """window.fieldQueue.mine().then((items) =>
            items.length === 1 && items[0].status === "refused")""",
    )

    assert [urlsplit(url).path for url in sent] == ["/api/v1/sessions/batch/"]
    logged = AssistanceSession.objects.filter(recorded_by=demo)
    assert sorted(logged.values_list("services__service_type__code", flat=True)) == [
        "bill_qr",
        "online_safety",
    ]
    with translation.override("vi"):
        reason = translation.gettext("A session cannot be in the future.")
    refused = phone_page.locator("#queue-status .queue-refused")
    refused.wait_for(state="visible")
    assert reason in refused.inner_text()
    phone_page.reload()  # still there, until the member discards it
    assert reason in phone_page.locator("#queue-status .queue-refused").inner_text()
    screenshot(phone_page, "field-queue-refused-360.png")


def test_each_answer_of_a_batch_settles_its_own_queued_session(demo, phone_page):
    """Stored, refused in the API's error shape, or failed: each item alone."""
    answers = {
        "online_safety": {"status": 201, "body": {}},
        "bill_qr": {
            "status": 400,
            "body": {
                "code": "invalid",
                "detail": "Some details are wrong.",
                "errors": {
                    "started_at": ["Not in the future."],
                    "services": [{"service": ["No such service."]}],
                },
            },
        },
        "payment_app": {"status": 503, "body": {}},
    }

    def answer(route):
        sessions = route.request.post_data_json["sessions"]
        results = [answers[item["services"][0]["service"]] for item in sessions]
        route.fulfill(json={"results": results})

    sign_in(phone_page, MEMBER, "demo1234")
    phone_page.goto("/field/log/")
    wait_for_offline_copy(phone_page)
    phone_page.context.set_offline(True)
    phone_page.goto("/field/log/")
    for service in answers:
        log_walk_in(phone_page, service)
        phone_page.locator("#log-again").click()
    phone_page.route("**/api/v1/sessions/batch/", answer)

    phone_page.context.set_offline(False)
    wait_until(phone_page, "window.fieldQueue.mine().then(items => items.length === 2)")

    left = phone_page.evaluate("window.fieldQueue.mine()")
    states = {item["payload"]["services"][0]["service"]: item for item in left}
    assert (states["bill_qr"]["status"], states["payment_app"]["status"]) == (
        "refused",
        "pending",
    )
    assert states["bill_qr"]["error"] == (
        "Some details are wrong. Not in the future. No such service."
    )


def test_a_queued_session_of_an_approved_month_is_refused_by_name(demo, phone_page):
    # The demo's Ba Đình report of the month before last is approved.
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(
        day=1
    )
    locked = (month - datetime.timedelta(days=1)).replace(day=15)
    sign_in(phone_page, MEMBER, "demo1234")
    phone_page.goto("/field/log/")
    wait_for_offline_copy(phone_page)
    phone_page.context.set_offline(True)
    phone_page.goto("/field/log/")
    phone_page.locator("#started-at").fill(locked.strftime("%Y-%m-%dT09:30"))
    log_walk_in(phone_page, "online_safety")

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
    assert refused.inner_text().count(reason) == 1  # said once, not twice
    assert not AssistanceSession.objects.filter(recorded_by=demo).exists()

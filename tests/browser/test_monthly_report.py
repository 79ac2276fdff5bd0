"""A ward official submits the month's report; province staff return it, then
approve it; the ward official reads the reason in between."""

import io

import pytest
from django.core.management import call_command

from reports.models import MonthlyReport
from tests.browser.conftest import horizontal_overflow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo1234"


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())


def as_user(page, username):
    page.context.clear_cookies()
    sign_in(page, username, DEMO_PASSWORD)


def official_submits(page, text):
    as_user(page, "phuong.hoankiem")
    page.get_by_role("link", name="Báo cáo tháng").first.click()
    page.get_by_label("Khó khăn, vướng mắc và đề xuất").fill(text)
    page.get_by_role("button", name="Gửi lên tỉnh").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Báo cáo đã được gửi lên tỉnh.").is_visible()


def province_opens_hoan_kiem(page):
    as_user(page, "tinh.hanoi")
    page.get_by_role("link", name="Báo cáo tháng").first.click()
    page.get_by_role("link", name="Phường Hoàn Kiếm").click()
    page.wait_for_load_state("networkidle")


def test_submit_return_then_approve(demo, phone_page):
    page = phone_page
    # The demo's report of Hoàn Kiếm was returned: its official reads why.
    as_user(page, "phuong.hoankiem")
    page.get_by_role("link", name="Báo cáo tháng").first.click()
    assert page.get_by_text("Bổ sung số buổi tập huấn").is_visible()
    assert horizontal_overflow(page) <= 0

    official_submits(page, "Đã bổ sung số buổi tập huấn.")

    province_opens_hoan_kiem(page)
    page.get_by_label("Lý do trả lại").fill("Thiếu số liệu tổ dân phố Hàng Đào.")
    page.get_by_role("button", name="Trả lại cho xã/phường").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Báo cáo đã được trả lại cho xã/phường.").is_visible()

    as_user(page, "phuong.hoankiem")
    page.get_by_role("link", name="Báo cáo tháng").first.click()
    assert page.get_by_text("Thiếu số liệu tổ dân phố Hàng Đào.").is_visible()
    official_submits(page, "Đã bổ sung số liệu tổ dân phố Hàng Đào.")

    province_opens_hoan_kiem(page)
    page.get_by_role("button", name="Phê duyệt").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Báo cáo đã được phê duyệt").is_visible()
    report = MonthlyReport.objects.get(ward_id="00070", status="approved")
    assert report.difficulties == "Đã bổ sung số liệu tổ dân phố Hàng Đào."

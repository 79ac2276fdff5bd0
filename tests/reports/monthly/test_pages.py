"""The ward official's report page and the province's review, in Vietnamese."""

import pytest
from django.utils import timezone

from accounts.models import Role
from areas.locks import month_is_locked
from reports.models import MonthlyReport
from reports.monthly import monthly_report_approve

Status = MonthlyReport.Status
pytestmark = pytest.mark.django_db

WARD_PAGE = "/dashboard/monthly/"
PROVINCE_PAGE = "/dashboard/monthly/wards/"


def review_url(ward, month) -> str:
    return "/dashboard/monthly/%s/%s/" % (ward.pk, month.strftime("%Y-%m"))


@pytest.fixture
def as_official(client, official):
    client.force_login(official)
    return client


def page_text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_ward_page_shows_last_months_draft_figures_in_vietnamese(
    as_official, month
):
    text = page_text(as_official.get(WARD_PAGE))

    assert "Báo cáo tháng — Phường Ba Đình, tháng %s" % month.strftime("%m/%Y") in text
    assert "Chưa bắt đầu" in text
    assert "Chỉ tiêu chính" in text
    assert "Gửi lên tỉnh" in text


def test_the_official_saves_then_submits(as_official, area, official, month):
    as_official.post(WARD_PAGE, {"difficulties": "Thiếu máy", "action": "save"})
    report = MonthlyReport.objects.get(ward=area.ward, month=month)
    assert (report.status, report.difficulties) == (Status.DRAFT, "Thiếu máy")

    response = as_official.post(
        WARD_PAGE,
        {"difficulties": "Thiếu máy", "action": "submit", "version": report.version},
        follow=True,
    )

    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    assert report.submitted_by == official
    assert "Báo cáo đã được gửi lên tỉnh." in page_text(response)


def test_province_staff_see_every_ward_of_the_province(
    client, province_staff, area, submitted, month
):
    client.force_login(province_staff)
    text = page_text(client.get(PROVINCE_PAGE))

    assert "Phường Ba Đình" in text
    assert "Phường Hoàn Kiếm" in text
    assert "Phường Sài Gòn" not in text
    assert "Đã gửi" in text
    assert "Chưa bắt đầu" in text


def test_a_report_not_submitted_by_the_5th_is_marked_late(
    client, province_staff, area, month
):
    client.force_login(province_staff)
    text = page_text(client.get(PROVINCE_PAGE))
    late = timezone.localdate().day > 5
    assert ("trễ hạn</strong>" in text) == late


def test_province_staff_return_with_a_reason_the_official_sees(
    client, province_staff, official, area, submitted, month
):
    client.force_login(province_staff)
    refused = client.post(
        review_url(area.ward, month),
        {"action": "return", "reason": "", "version": submitted.version},
        follow=True,
    )
    assert "Hãy ghi lý do" in page_text(refused)
    assert MonthlyReport.objects.get().status == Status.SUBMITTED

    client.post(
        review_url(area.ward, month),
        {
            "action": "return",
            "reason": "Thiếu số liệu tổ 3",
            "version": submitted.version,
        },
    )

    assert MonthlyReport.objects.get().status == Status.RETURNED
    client.force_login(official)
    text = page_text(client.get(WARD_PAGE))
    assert "Tỉnh trả lại" in text
    assert "Thiếu số liệu tổ 3" in text


def test_province_staff_approve_then_reopen_with_a_reason(
    client, province_staff, area, submitted, month
):
    client.force_login(province_staff)
    client.post(
        review_url(area.ward, month),
        {"action": "approve", "version": submitted.version},
    )
    report = MonthlyReport.objects.get()
    assert report.status == Status.APPROVED
    assert month_is_locked(ward_id=area.ward.pk, day=month)

    client.post(
        review_url(area.ward, month),
        {"action": "reopen", "reason": "Sai số liệu", "version": report.version},
    )

    report.refresh_from_db()
    assert report.status == Status.RETURNED
    assert not month_is_locked(ward_id=area.ward.pk, day=month)


def test_a_stale_approval_is_refused(client, province_staff, area, submitted, month):
    client.force_login(province_staff)
    response = client.post(
        review_url(area.ward, month),
        {"action": "approve", "version": submitted.version - 1},
        follow=True,
    )

    assert "Báo cáo đã thay đổi" in page_text(response)
    assert MonthlyReport.objects.get().status == Status.SUBMITTED


def test_another_provinces_ward_is_a_404(client, other_province_staff, area, month):
    client.force_login(other_province_staff)
    assert client.get(review_url(area.ward, month)).status_code == 404


def test_the_ward_official_cannot_approve_from_the_review_page(
    client, official, area, submitted, month
):
    client.force_login(official)
    response = client.post(review_url(area.ward, month), {"action": "approve"})

    assert response.status_code == 403
    assert MonthlyReport.objects.get().status == Status.SUBMITTED


@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.TEAM_MEMBER, Role.PROVINCE])
def test_only_ward_officials_open_the_ward_page(client, users, role):
    client.force_login(users[role])
    assert client.get(WARD_PAGE).status_code == 403


def test_an_approved_report_shows_its_approved_status(
    as_official, province_staff, submitted
):
    monthly_report_approve(user=province_staff, report=submitted)
    text = page_text(as_official.get(WARD_PAGE))
    assert "Đã phê duyệt" in text
    assert "Lưu bản nháp" not in text


def test_the_report_downloads_as_an_excel_workbook(
    client, official, area, month, submitted
):
    import io

    import openpyxl

    MonthlyReport.objects.filter(pk=submitted.pk).update(difficulties="Thiếu máy")
    client.force_login(official)

    response = client.get(WARD_PAGE, {"export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-thang_%s_%s.xlsx"'
        % (area.ward.pk, month.strftime("%Y-%m"))
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert cells[0] == "Báo cáo tháng — Phường Ba Đình, tháng %s" % month.strftime(
        "%m/%Y"
    )
    assert "Đã gửi" in cells
    assert "Thiếu máy" in cells
    assert "Lượt hỗ trợ" in cells

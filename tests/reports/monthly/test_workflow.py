"""Who may change a monthly report's status, and what each change does."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from areas.locks import month_is_locked
from reports.models import MonthlyReport
from reports.monthly import (
    ReportChanged,
    monthly_report_approve,
    monthly_report_reopen,
    monthly_report_return,
    monthly_report_save,
    monthly_report_submit,
)
from tests.accounts.factories import UserFactory

Status = MonthlyReport.Status
pytestmark = pytest.mark.django_db


def test_ward_official_drafts_last_months_report(area, official, month):
    report = monthly_report_save(
        user=official, ward=area.ward, month=month, difficulties=" Thiếu điện thoại "
    )
    assert report.status == Status.DRAFT
    assert report.difficulties == "Thiếu điện thoại"


def test_this_months_report_cannot_be_written(area, official):
    with pytest.raises(ValidationError):
        monthly_report_save(
            user=official,
            ward=area.ward,
            month=timezone.localdate(),
            difficulties="",
        )


def test_another_wards_official_cannot_write_it(area, month):
    neighbour = UserFactory(role=Role.WARD, ward=area.neighbour_ward)
    with pytest.raises(PermissionDenied):
        monthly_report_save(
            user=neighbour, ward=area.ward, month=month, difficulties=""
        )


@pytest.mark.parametrize("role", [Role.PROVINCE, Role.TEAM_LEADER, Role.NATIONAL])
def test_only_the_ward_official_submits(area, users, month, role):
    with pytest.raises(PermissionDenied):
        monthly_report_submit(user=users[role], ward=area.ward, month=month)
    assert not MonthlyReport.objects.exists()


def test_submit_records_who_and_when(area, official, month):
    report = monthly_report_submit(user=official, ward=area.ward, month=month)
    assert report.status == Status.SUBMITTED
    assert report.submitted_by == official
    assert report.submitted_at is not None


def test_a_submitted_report_cannot_be_edited(submitted, official, area, month):
    with pytest.raises(ValidationError):
        monthly_report_save(
            user=official, ward=area.ward, month=month, difficulties="x"
        )


def test_province_staff_approve_and_lock_the_month(submitted, province_staff, area):
    report = monthly_report_approve(user=province_staff, report=submitted)
    assert report.status == Status.APPROVED
    assert report.approved_by == province_staff
    assert report.snapshot["month"] == submitted.month.isoformat()
    assert month_is_locked(ward_id=area.ward.pk, day=submitted.month)


@pytest.mark.parametrize("who", ["official", "other_province_staff"])
def test_others_cannot_approve(submitted, request, who, area):
    with pytest.raises(PermissionDenied):
        monthly_report_approve(user=request.getfixturevalue(who), report=submitted)
    assert not month_is_locked(ward_id=area.ward.pk, day=submitted.month)


def test_a_draft_cannot_be_approved(area, official, province_staff, month):
    report = monthly_report_save(
        user=official, ward=area.ward, month=month, difficulties=""
    )
    with pytest.raises(ValidationError):
        monthly_report_approve(user=province_staff, report=report)


def test_return_needs_a_reason(submitted, province_staff):
    with pytest.raises(ValidationError) as refused:
        monthly_report_return(user=province_staff, report=submitted, reason="  ")
    assert "reason" in refused.value.message_dict


def test_returned_report_shows_reason_and_can_be_resubmitted(
    submitted, province_staff, official, area, month
):
    monthly_report_return(
        user=province_staff, report=submitted, reason="Thiếu số liệu tổ 3"
    )
    report = MonthlyReport.objects.get()
    assert report.status == Status.RETURNED
    assert report.return_reason == "Thiếu số liệu tổ 3"
    monthly_report_save(
        user=official, ward=area.ward, month=month, difficulties="Đã bổ sung"
    )
    again = monthly_report_submit(user=official, ward=area.ward, month=month)
    assert again.status == Status.SUBMITTED


def test_official_cannot_return(submitted, official):
    with pytest.raises(PermissionDenied):
        monthly_report_return(user=official, report=submitted, reason="x")


def test_reopen_unlocks_needs_new_approval_and_is_in_history(
    submitted, province_staff, area
):
    approved = monthly_report_approve(user=province_staff, report=submitted)
    report = monthly_report_reopen(
        user=province_staff, report=approved, reason="Sai số buổi hỗ trợ"
    )
    assert report.status == Status.RETURNED
    assert report.return_reason == "Sai số buổi hỗ trợ"
    assert not month_is_locked(ward_id=area.ward.pk, day=report.month)
    latest = report.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == province_staff
    assert latest.history_change_reason == "Sai số buổi hỗ trợ"
    assert latest.history_date is not None
    assert [row.status for row in report.history.order_by("history_id")] == [
        Status.DRAFT,
        Status.DRAFT,
        Status.SUBMITTED,
        Status.APPROVED,
        Status.RETURNED,
    ]


def test_reopen_needs_reason_and_province_staff(submitted, province_staff, official):
    approved = monthly_report_approve(user=province_staff, report=submitted)
    with pytest.raises(PermissionDenied):
        monthly_report_reopen(user=official, report=approved, reason="x")
    with pytest.raises(ValidationError):
        monthly_report_reopen(user=province_staff, report=approved, reason="")


def test_only_an_approved_report_can_be_reopened(submitted, province_staff):
    with pytest.raises(ValidationError):
        monthly_report_reopen(user=province_staff, report=submitted, reason="x")


def test_a_change_on_an_older_version_is_refused(submitted, province_staff):
    with pytest.raises(ReportChanged):
        monthly_report_approve(
            user=province_staff, report=submitted, version=submitted.version - 1
        )


def test_a_report_not_submitted_by_the_5th_is_late(area, official, month):
    from reports.monthly import month_due, report_is_late

    due = month_due(month)
    assert due.day == 5 and due.month != month.month
    assert not report_is_late(None, month, due)
    assert report_is_late(None, month, due + datetime.timedelta(days=1))
    report = monthly_report_submit(user=official, ward=area.ward, month=month)
    assert not report_is_late(report, month, due + datetime.timedelta(days=30))

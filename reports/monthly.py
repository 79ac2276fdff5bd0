"""The ward's monthly report: its figures, and the changes of its status.

The figures are the dashboards' own (``indicators``), read for the ward and
the month; on approval they are frozen in the report's ``snapshot``. Each
change of status is a service that says who may make it; each is kept in the
report's history with who made it and, for a return or a reopen, why.
"""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Role
from areas.locks import month_lock_clear, month_lock_set, month_start
from areas.models import Ward
from assistance.models import Campaign

from . import indicators
from .models import MonthlyReport
from .versions import figures_moved

Status = MonthlyReport.Status
# A report not submitted by this day of the next month is late.
DUE_DAY = 5


class ReportChanged(Exception):
    """The report is no longer at the version the change was made on."""

    def __init__(self, report: MonthlyReport):
        super().__init__(report.version)
        self.report = report


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def previous_month(today: datetime.date) -> datetime.date:
    return month_start(month_start(today) - datetime.timedelta(days=1))


def month_due(month: datetime.date) -> datetime.date:
    """The day a month's report is due: the 5th of the next month."""
    return month_end(month) + datetime.timedelta(days=DUE_DAY)


def report_is_late(report: MonthlyReport | None, month, today) -> bool:
    submitted = report is not None and report.status in (
        Status.SUBMITTED,
        Status.APPROVED,
    )
    if submitted:
        return report.submitted_at is not None and (
            timezone.localdate(report.submitted_at) > month_due(month)
        )
    return today > month_due(month)


def monthly_figures(*, ward: Ward, month: datetime.date) -> dict:
    """The ward's figures of the month, as plain values (JSON), from the
    dashboards' indicators: nothing is counted a second time here."""
    area = indicators.Area("ward", ward.pk)
    start, end = month_start(month), month_end(month)
    headline = {
        **indicators.activity(area, start, end),
        **indicators.registry(area),
    }
    teams = [
        {
            "team": row["team"].name,
            "hamlet": row["hamlet"].name if row["hamlet"] else "",
            "members": row["members"],
            "sessions": row["sessions"],
            "priority": row["priority"],
        }
        for row in indicators.by_team(area, start, end)
    ]
    hamlets = [
        {
            "hamlet": row["hamlet"].name,
            "sessions": row["sessions"],
            "households_reached": row["households_reached"],
        }
        for row in indicators.by_hamlet(area, start, end)
    ]
    services = [
        {
            "service": row["service"].name,
            "category": row["category"],
            "done": row["done"],
            "follow_up": row["follow_up"],
            "failed": row["failed"],
            "given": row["given"],
        }
        for row in indicators.service_mix(area, start, end)
    ]
    workshops = [
        {
            "topic": str(row["topic_label"]),
            "audience": str(row["audience_label"]),
            "workshops": row["workshops"],
            "attendees": row["attendees"],
        }
        for row in indicators.workshop_mix(area, start, end)
    ]
    return {
        "month": start.isoformat(),
        "headline": headline,
        "teams": teams,
        "hamlets": hamlets,
        "services": services,
        "workshops": workshops,
        "campaigns": _campaign_figures(ward, start, end),
    }


def _campaign_figures(ward: Ward, start, end) -> list[dict]:
    """Each campaign of the ward's month, with its targets' progress."""
    return [
        {
            "campaign": campaign.name,
            "targets": [
                {
                    "indicator": target["indicator"],
                    "label": str(target["label"]),
                    "target": target["target"],
                    "count": target["count"],
                    "share": target["share"],
                }
                for target in indicators.campaign_progress(campaign)
            ],
        }
        for campaign in _campaigns(ward, start, end)
    ]


def _campaigns(ward: Ward, start, end):
    return (
        Campaign.objects.filter(starts_on__lte=end, ends_on__gte=start)
        .filter(Q(ward=ward) | Q(ward__isnull=True, province_id=ward.province_id))
        .prefetch_related("targets")
        .order_by("starts_on", "pk")
    )


def report_figures(report: MonthlyReport) -> dict:
    """The approved snapshot of an approved report, the live figures otherwise.

    A reopened report keeps its last approved snapshot beside the live figures.
    """
    if report.status == Status.APPROVED and report.snapshot is not None:
        return report.snapshot
    return monthly_figures(ward=report.ward, month=report.month)


def _is_ward_official(user, ward: Ward) -> bool:
    return user.role == Role.WARD and user.ward_id == ward.pk


def _is_province_staff(user, ward: Ward) -> bool:
    return user.role == Role.PROVINCE and user.province_id == ward.province_id


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _locked(ward: Ward, month, version: int | None) -> MonthlyReport:
    """The report, row locked, at the version the change was made on."""
    report = MonthlyReport.objects.select_for_update().get(
        ward=ward, month=month_start(month)
    )
    if version is not None and report.version != version:
        raise ReportChanged(report)
    return report


def _save(report: MonthlyReport, user, reason: str = "") -> None:
    report.version += 1
    report._history_user = user
    report._change_reason = reason[:100] if reason else report.status
    report.save()


def _state_check(report: MonthlyReport, allowed: tuple, message: str) -> None:
    if report.status not in allowed:
        raise ValidationError(message, code="status")


@transaction.atomic
def monthly_report_save(
    *, user, ward: Ward, month: datetime.date, difficulties: str, version=None
) -> MonthlyReport:
    """The ward official drafts (or corrects a returned) report of a past month."""
    _refuse_unless(
        _is_ward_official(user, ward),
        gettext("Only the ward's officials can write its monthly report."),
    )
    month = month_start(month)
    if month >= month_start(timezone.localdate()):
        raise ValidationError(
            gettext("A month can be reported only once it is over."), code="month"
        )
    report, _created = MonthlyReport.objects.get_or_create(ward=ward, month=month)
    report = _locked(ward, month, version)
    _state_check(
        report,
        (Status.DRAFT, Status.RETURNED),
        gettext("This report was submitted: it can no longer be edited."),
    )
    report.difficulties = difficulties.strip()
    _save(report, user)
    return report


@transaction.atomic
def monthly_report_submit(
    *, user, ward: Ward, month: datetime.date, version=None
) -> MonthlyReport:
    """The ward official sends the report to the province for approval."""
    _refuse_unless(
        _is_ward_official(user, ward),
        gettext("Only the ward's officials can submit its monthly report."),
    )
    if not MonthlyReport.objects.filter(ward=ward, month=month_start(month)).exists():
        monthly_report_save(user=user, ward=ward, month=month, difficulties="")
    report = _locked(ward, month, version)
    _state_check(
        report,
        (Status.DRAFT, Status.RETURNED),
        gettext("This report was already submitted."),
    )
    report.status = Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = user
    _save(report, user)
    return report


@transaction.atomic
def monthly_report_approve(*, user, report: MonthlyReport, version=None):
    """Province staff approve a submitted report: its figures are frozen and
    the ward's month is locked."""
    _refuse_unless(
        _is_province_staff(user, report.ward),
        gettext("Only the province's staff can approve a ward's report."),
    )
    report = _locked(report.ward, report.month, version)
    _state_check(
        report, (Status.SUBMITTED,), gettext("Only a submitted report can be approved.")
    )
    report.status = Status.APPROVED
    report.approved_at = timezone.now()
    report.approved_by = user
    report.return_reason = ""
    report.snapshot = monthly_figures(ward=report.ward, month=report.month)
    month_lock_set(ward=report.ward, month=report.month)
    _save(report, user)
    _approvals_moved()
    return report


def _approvals_moved() -> None:
    # The answers and pages kept say which figures are approved: the lock's
    # change makes the versions they are kept under stale, now and again once
    # it commits (a version read between the two would hold the old stamps).
    figures_moved()
    transaction.on_commit(figures_moved, robust=True)


def _reason_check(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": [gettext("Say why, for the ward's officials to read.")]}
        )
    return reason


@transaction.atomic
def monthly_report_return(*, user, report: MonthlyReport, reason: str, version=None):
    """Province staff send a submitted report back to the ward, saying why."""
    _refuse_unless(
        _is_province_staff(user, report.ward),
        gettext("Only the province's staff can return a ward's report."),
    )
    reason = _reason_check(reason)
    report = _locked(report.ward, report.month, version)
    _state_check(
        report, (Status.SUBMITTED,), gettext("Only a submitted report can be returned.")
    )
    report.status = Status.RETURNED
    report.return_reason = reason
    _save(report, user, reason)
    return report


@transaction.atomic
def monthly_report_reopen(*, user, report: MonthlyReport, reason: str, version=None):
    """Province staff reopen an approved report: the month is unlocked and the
    report goes back to the ward (returned, with the reason) for a new
    approval."""
    _refuse_unless(
        _is_province_staff(user, report.ward),
        gettext("Only the province's staff can reopen a ward's report."),
    )
    reason = _reason_check(reason)
    report = _locked(report.ward, report.month, version)
    _state_check(
        report, (Status.APPROVED,), gettext("Only an approved report can be reopened.")
    )
    report.status = Status.RETURNED
    report.return_reason = reason
    # The snapshot stays: the figures last approved, until the next approval.
    month_lock_clear(ward=report.ward, month=report.month)
    _save(report, user, reason)
    _approvals_moved()
    return report

"""The monthly report's pages: the ward official's, and the province's review.

Each page reads the report through :func:`accounts.scope.scope` (a ward or a
report outside the user's scope is a 404) and changes it only through the
services of :mod:`reports.monthly`, which say who may make each change.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from accounts.decorators import role_required
from accounts.models import Role
from accounts.scope import scope
from areas.locks import month_start
from areas.models import Ward

from . import indicators
from .models import MonthlyReport
from .monthly import (
    ReportChanged,
    month_due,
    monthly_report_approve,
    monthly_report_reopen,
    monthly_report_return,
    monthly_report_save,
    monthly_report_submit,
    previous_month,
    report_figures,
    report_is_late,
)
from .monthly_export import monthly_response, province_response
from .monthly_pdf import monthly_pdf_response
from .monthly_province import WARD_COLUMNS, province_monthly_report

Status = MonthlyReport.Status


def month_parse(value: str | None) -> datetime.date:
    """``2026-11`` as its first day; last month when absent or unreadable."""
    latest = previous_month(timezone.localdate())
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        chosen = datetime.date(year, month, 1)
    except ValueError:
        return latest
    return min(chosen, latest)


def headline_rows(figures: dict) -> list[dict]:
    """The headline figures with their indicators' labels, in their order."""
    values = figures.get("headline", {})
    rows = []
    for definition in indicators.DEFINITIONS:
        if definition.code not in values:
            continue
        value = values[definition.code]
        kind = (
            "share"
            if definition.share
            else "decimal"
            if isinstance(value, float)
            else "int"
        )
        rows.append({"label": definition.label, "value": value, "kind": kind})
    return rows


def _report_context(report: MonthlyReport | None, ward: Ward, month) -> dict:
    figures = (
        report_figures(report)
        if report is not None
        else report_figures(MonthlyReport(ward=ward, month=month))
    )
    return {
        "ward": ward,
        "month": month,
        "report": report,
        "status_label": report.get_status_display()
        if report
        else gettext("not started"),
        "figures": figures,
        "headline": headline_rows(figures),
        "due": month_due(month),
        "late": report_is_late(report, month, timezone.localdate()),
    }


def _exported(request, context: dict):
    """The ward's report as a file, when ``?export=xlsx`` or ``pdf`` asks."""
    export = request.GET.get("export")
    if export == "xlsx":
        return monthly_response(context)
    if export == "pdf":
        return monthly_pdf_response(context, context["ward"].pk)
    return None


def _refused(request, error: Exception) -> None:
    if isinstance(error, ReportChanged):
        text = gettext("The report changed since you opened it: check it again.")
    elif isinstance(error, ValidationError):
        text = " ".join(error.messages)
    else:
        text = str(error) or gettext("You may not make this change.")
    messages.error(request, text)


def _version(request) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@role_required(Role.WARD)
@require_http_methods(["GET", "POST"])
def ward_report(request):
    """The ward official's report of a month: figures, text, submit."""
    ward = request.user.ward
    if ward is None:
        raise Http404
    month = month_parse(request.GET.get("month"))
    if request.method == "POST":
        action = request.POST.get("action")
        difficulties = request.POST.get("difficulties", "")
        try:
            monthly_report_save(
                user=request.user,
                ward=ward,
                month=month,
                difficulties=difficulties,
                version=_version(request),
            )
            if action == "submit":
                monthly_report_submit(user=request.user, ward=ward, month=month)
                messages.success(
                    request, gettext("The report was sent to the province.")
                )
            else:
                messages.success(request, gettext("The draft was saved."))
        except (ValidationError, PermissionDenied, ReportChanged) as error:
            _refused(request, error)
        return redirect(
            "%s?month=%s" % (reverse("reports:monthly"), month.strftime("%Y-%m"))
        )
    report = (
        scope(MonthlyReport.objects.all(), request.user)
        .filter(ward=ward, month=month)
        .first()
    )
    context = _report_context(report, ward, month)
    exported = _exported(request, context)
    if exported:
        return exported
    context["editable"] = report is None or report.status in (
        Status.DRAFT,
        Status.RETURNED,
    )
    return render(request, "reports/monthly_ward.html", context)


@role_required(Role.PROVINCE)
def province_reports(request):
    """Every ward's report of a month in the province, late ones marked."""
    month = month_parse(request.GET.get("month"))
    wards = scope(Ward.objects.all(), request.user).order_by("name")
    reports = {
        report.ward_id: report
        for report in scope(MonthlyReport.objects.all(), request.user).filter(
            month=month
        )
    }
    today = timezone.localdate()
    rows = []
    for ward in wards:
        report = reports.get(ward.pk)
        rows.append(
            {
                "ward": ward,
                "report": report,
                "status": report.status if report else "not_started",
                "status_label": report.get_status_display()
                if report
                else gettext("not started"),
                "late": report_is_late(report, month, today),
                "url": reverse(
                    "reports:monthly_review", args=[ward.pk, month.strftime("%Y-%m")]
                ),
            }
        )
    counts = {}
    for row in rows:
        counts[row["status_label"]] = counts.get(row["status_label"], 0) + 1
    return render(
        request,
        "reports/monthly_province.html",
        {
            "month": month,
            "rows": rows,
            "counts": sorted(counts.items()),
            "due": month_due(month),
            "report_url": "%s?month=%s"
            % (reverse("reports:monthly_province_report"), month.strftime("%Y-%m")),
        },
    )


def province_context(request, month) -> dict:
    """The province's own report of the month, shaped for the page and files."""
    province = request.user.province
    if province is None:
        raise Http404
    context = province_monthly_report(user=request.user, province=province, month=month)
    context["headline"] = headline_rows(context["figures"])
    context["columns"] = [indicators.BY_CODE[code].label for code in WARD_COLUMNS]
    for row in context["approved"]:
        row["values"] = [row["headline"].get(code) for code in WARD_COLUMNS]
    return context


@role_required(Role.PROVINCE)
def province_report(request):
    """The province's report: its wards' approved figures added up."""
    month = month_parse(request.GET.get("month"))
    context = province_context(request, month)
    if request.GET.get("export") == "xlsx":
        return province_response(context)
    if request.GET.get("export") == "pdf":
        return monthly_pdf_response(context, context["province"].pk)
    context["list_url"] = "%s?month=%s" % (
        reverse("reports:monthly_province"),
        month.strftime("%Y-%m"),
    )
    return render(request, "reports/monthly_province_report.html", context)


REVIEW_ACTIONS = {
    "approve": lambda user, report, reason, version: monthly_report_approve(
        user=user, report=report, version=version
    ),
    "return": lambda user, report, reason, version: monthly_report_return(
        user=user, report=report, reason=reason, version=version
    ),
    "reopen": lambda user, report, reason, version: monthly_report_reopen(
        user=user, report=report, reason=reason, version=version
    ),
}
DONE = {
    "approve": _("The report was approved: the ward's month is locked."),
    "return": _("The report was returned to the ward."),
    "reopen": _("The report was reopened: the ward's month is unlocked."),
}


@role_required(Role.PROVINCE)
@require_http_methods(["GET", "POST"])
def review_report(request, code, month):
    """One ward's report for province staff: approve, return or reopen it."""
    ward = get_object_or_404(scope(Ward.objects.all(), request.user), pk=code)
    month = month_parse(month)
    report = (
        scope(MonthlyReport.objects.all(), request.user)
        .filter(ward=ward, month=month_start(month))
        .first()
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if report is None or action not in REVIEW_ACTIONS:
            raise Http404
        try:
            REVIEW_ACTIONS[action](
                request.user, report, request.POST.get("reason", ""), _version(request)
            )
            messages.success(request, DONE[action])
        except (ValidationError, PermissionDenied, ReportChanged) as error:
            _refused(request, error)
        return redirect(request.path)
    context = _report_context(report, ward, month)
    exported = _exported(request, context)
    if exported:
        return exported
    context["list_url"] = "%s?month=%s" % (
        reverse("reports:monthly_province"),
        month.strftime("%Y-%m"),
    )
    return render(request, "reports/monthly_review.html", context)

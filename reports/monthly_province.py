"""The province's own monthly report: its wards' approved figures added up.

Only approved snapshots are added, never live figures, so the province's
report does not move under it; the wards not approved yet are listed as
missing. Shares and averages (a focal person's share, sessions per member
and day) cannot be added across wards and are left out of the sum.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext

from accounts.scope import scope
from areas.models import Province, Ward

from .models import MonthlyReport

Status = MonthlyReport.Status
# The headline figures each ward's table shows, in this order.
WARD_COLUMNS = (
    "sessions",
    "households_reached",
    "level2_activations",
    "online_filings",
    "cashless_setups",
    "workshops",
)


def province_monthly_report(*, user, province: Province, month: datetime.date) -> dict:
    """The approved wards' figures of the month, their sum, and the missing."""
    wards = scope(Ward.objects.filter(province=province), user).order_by("name")
    reports = {
        report.ward_id: report
        for report in scope(MonthlyReport.objects.all(), user).filter(
            ward__province=province, month=month
        )
    }
    approved, missing, total = [], [], {}
    for ward in wards:
        report = reports.get(ward.pk)
        if report is None or report.status != Status.APPROVED or not report.snapshot:
            missing.append(
                {
                    "ward": ward,
                    "status_label": report.get_status_display()
                    if report
                    else gettext("not started"),
                }
            )
            continue
        headline = report.snapshot.get("headline", {})
        approved.append({"ward": ward, "report": report, "headline": headline})
        for code, value in headline.items():
            if isinstance(value, int) and not isinstance(value, bool):
                total[code] = total.get(code, 0) + value
    return {
        "province": province,
        "month": month,
        "approved": approved,
        "missing": missing,
        "wards": len(approved) + len(missing),
        "figures": {"headline": total},
    }

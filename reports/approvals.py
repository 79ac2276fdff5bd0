"""Whether a figure is approved or provisional.

A figure of an area over some days is approved when every ward-month it
covers is: each ward of the area has its report of each month touched
approved (its month locked, ``areas.MonthLock``). A day's figure is
approved with its month; a province's only with all its wards'. An area
without wards has nothing approved.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count, IntegerField, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.translation import gettext

from areas.models import MonthLock, Ward

from .indicators import Area, activity_sums
from .models import MonthlyReport
from .monthly import month_end


def months_of(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of each month the days from ``start`` to ``end`` touch."""
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


class Approvals:
    """The approved ward-months of an area over a period, read in two queries.

    ``by_ward`` counts each ward's own months too (a ward, or a province's
    rows by ward); otherwise months are counted per province.
    """

    def __init__(
        self, area: Area, start: datetime.date, end: datetime.date, by_ward=False
    ):
        self.by_ward = by_ward or area.level == "ward"
        wards = Ward.objects.all()
        if area.level == "province":
            wards = wards.filter(province_id=area.code)
        elif area.level == "ward":
            wards = wards.filter(pk=area.code)
        self.wards = Counter(
            dict(
                wards.values_list("province_id")
                .annotate(count=Count("pk"))
                .order_by()
                .values_list("province_id", "count")
            )
        )
        locks = area.filter(
            MonthLock.objects.filter(month__gte=start.replace(day=1), month__lte=end)
        )
        self.locked: Counter = Counter()
        if self.by_ward:
            rows = locks.values_list("ward_id", "ward__province_id", "month")
            for ward_id, province_id, month in rows:
                self.locked["ward", ward_id, month] += 1
                self.locked["province", province_id, month] += 1
        else:
            rows = (
                locks.values_list("ward__province_id", "month")
                .annotate(count=Count("pk"))
                .order_by()
            )
            for province_id, month, count in rows:
                self.locked["province", province_id, month] += count

    def approved(
        self,
        start: datetime.date,
        end: datetime.date,
        level: str = "national",
        code: str | None = None,
    ) -> bool:
        """Whether every ward-month of the area (``level``, ``code``) is."""
        months = months_of(start, end)
        if level == "ward":
            return all(self.locked["ward", code, month] for month in months)
        provinces = [code] if level == "province" else list(self.wards)
        if not sum(self.wards[province] for province in provinces):
            return False
        return all(
            self.locked["province", province, month] >= self.wards[province]
            for province in provinces
            for month in months
        )


def summable_codes() -> tuple[str, ...]:
    """The headline figures of a period that add up across wards."""
    return tuple(name for sums in activity_sums().values() for name in sums)


def _approved_counts(area: Area, months: list, codes) -> tuple[Counter, dict]:
    """Approved reports per (child row, month), and each child row's summed
    approved ``codes`` figures, in one query."""
    child = "ward_id" if area.level == "province" else "ward__province_id"
    reports = area.filter(
        MonthlyReport.objects.filter(
            status=MonthlyReport.Status.APPROVED, month__in=months
        )
    )
    sums = {
        code: Sum(Cast(KT("snapshot__headline__%s" % code), IntegerField()))
        for code in codes
    }
    rows = (
        reports.values(child, "month").annotate(approved=Count("pk"), **sums).order_by()
    )
    approved: Counter = Counter()
    figures: dict[str, dict] = {}
    for row in rows:
        approved[row[child], row["month"]] += row["approved"]
        if codes:
            # A figure an older snapshot lacks is not compared.
            figures[row[child]] = {
                code: row[code] for code in codes if row[code] is not None
            }
    return approved, figures


def _month_lines(months: list, wards: Counter, approved: Counter) -> list[dict]:
    """Per month, how many of the area's wards are approved."""
    all_wards = sum(wards.values())
    lines = []
    for month in months:
        count = sum(approved[code, month] for code in wards)
        lines.append(
            {
                "month": month,
                "approved": count,
                "wards": all_wards,
                "complete": bool(all_wards) and count >= all_wards,
            }
        )
    return lines


def overview_approvals(
    area: Area, start: datetime.date, end: datetime.date, wards: Counter
) -> dict:
    """What a province's or the country's dashboard says is approved.

    ``wards`` counts the wards under each child row (a province's ward: 1;
    the country's province: its wards). One query on the approved monthly
    reports gives, per month, how many of the area's wards are approved, per
    child row whether all its ward-months are (and their share), and, for a
    period of one whole month, the approved figures of each child and of the
    area (only once all their wards are) to show beside the live ones.
    """
    months = months_of(start, end)
    whole_month = len(months) == 1 and (start, end) == (
        months[0],
        month_end(months[0]),
    )
    codes = summable_codes() if whole_month else ()
    approved, figures = _approved_counts(area, months, codes)
    lines = _month_lines(months, wards, approved)
    total: dict[str, int] = {}
    children = {}
    for code, count in wards.items():
        done = sum(min(approved[code, month], count) for month in months)
        whole = count * len(months)
        children[code] = {
            "approved": bool(whole) and done >= whole,
            "share": done / whole if whole else None,
            "figures": None,
        }
        if codes and children[code]["approved"]:
            children[code]["figures"] = figures[code]
            for name, value in figures[code].items():
                total[name] = total.get(name, 0) + value
    complete = bool(lines) and all(line["complete"] for line in lines)
    # A sum is the area's only where every child's snapshot has the figure.
    total = {
        name: value
        for name, value in total.items()
        if all(name in figures[code] for code in figures)
    }
    return {
        "lines": lines,
        "children": children,
        "headline": total if codes and complete else None,
    }


def ranking_approvals(
    area: Area, start: datetime.date, end: datetime.date, rows: list[dict]
) -> dict:
    """Mark each ranking row approved or provisional (a province's share of
    approved wards), with its approved figures where they differ."""
    if area.level == "province":
        wards = Counter({row["code"]: 1 for row in rows})
    else:
        wards = Counter(
            dict(
                Ward.objects.values_list("province_id")
                .annotate(count=Count("pk"))
                .order_by()
                .values_list("province_id", "count")
            )
        )
    approvals = overview_approvals(area, start, end, wards)
    for row in rows:
        child = approvals["children"].get(row["code"], {})
        row["approved"] = child.get("approved", False)
        row["approved_share"] = child.get("share")
        row["approval"] = (
            gettext("approved") if row["approved"] else gettext("provisional")
        )
        figures = child.get("figures") or {}
        row["approved_values"] = {
            code: value
            for code, value in figures.items()
            if code in row and value != row[code]
        }
    return approvals

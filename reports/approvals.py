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

from django.db.models import Count

from areas.models import MonthLock, Ward

from .indicators import Area


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

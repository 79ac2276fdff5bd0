"""What the dashboards show, shaped for a page and for Excel alike.

Every figure comes from :mod:`reports.indicators`; this module only parses
the period, turns indicator rows into tables (one definition serves the HTML
table and its .xlsx export, so both hold the same rows) and prepares the
trend chart's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assistance.models import ServiceType

from .indicators import BY_CODE, INTERVALS
from .tables import Column, Table

DEFAULT_DAYS = 30
LONGEST_DAYS = 3 * 366
EARLIEST = date(2000, 1, 1)
INPUT_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
INTERVAL_LABELS = {"day": _("By day"), "week": _("By week"), "month": _("By month")}
TREND_TITLES = {
    "day": _("Sessions and services by day"),
    "week": _("Sessions and services by week"),
    "month": _("Sessions and services by month"),
}


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    interval: str
    errors: tuple[str, ...] = ()

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> tuple[date, date]:
        return self.start - timedelta(days=self.days), self.start - timedelta(days=1)

    @property
    def query(self) -> dict:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "interval": self.interval,
        }


def _parse_date(value: str) -> date | None:
    for layout in INPUT_FORMATS:
        try:
            return datetime.strptime(value.strip(), layout).date()
        except ValueError:
            continue
    return None


def _default_interval(days: int) -> str:
    if days <= 62:
        return "day"
    return "week" if days <= 366 else "month"


def period_parse(params, today: date) -> Period:
    """The period from ``from``, ``to`` and ``interval``; the default on errors.

    Any unreadable date brings back the whole default period (the last 30
    days), with a message naming the field, rather than half of a range.
    """
    start, end = today - timedelta(days=DEFAULT_DAYS - 1), today
    errors = []
    chosen = {}
    for name, label in (("from", _("From")), ("to", _("To"))):
        raw = (params.get(name) or "").strip()
        if not raw:
            continue
        value = _parse_date(raw)
        if value is None or not EARLIEST <= value <= today + timedelta(days=366):
            errors.append(
                gettext(
                    "“%(field)s”: “%(value)s” is not a date we can use; write it "
                    "as dd/mm/yyyy, for example %(example)s."
                )
                % {
                    "field": label,
                    "value": raw[:40],
                    "example": today.strftime("%d/%m/%Y"),
                }
            )
        else:
            chosen[name] = value
    if not errors and chosen:
        start = chosen.get("from", start)
        end = chosen.get("to", end)
        if start > end:
            errors.append(
                gettext("“%(start)s” is after “%(end)s”.")
                % {"start": gettext("From"), "end": gettext("To")}
            )
        elif (end - start).days >= LONGEST_DAYS:
            errors.append(gettext("The period is longer than three years."))
    if errors:
        start, end = today - timedelta(days=DEFAULT_DAYS - 1), today
        errors.append(
            gettext("Showing the last %(days)s days instead.") % {"days": DEFAULT_DAYS}
        )
    interval = params.get("interval") or ""
    if interval not in INTERVALS:
        if interval:
            errors.append(
                gettext("“%(field)s”: choose by day, by week or by month.")
                % {"field": gettext("Interval")}
            )
        interval = _default_interval((end - start).days + 1)
    return Period(start, end, interval, tuple(errors))


TILES = [
    ("sessions", "int"),
    ("households_reached", "int"),
    ("level2_activations", "int"),
    ("online_filings", "int"),
    ("cashless_setups", "int"),
    ("priority_sessions", "int"),
    ("sessions_per_member_day", "decimal"),
    ("open_follow_ups", "int"),
    ("focal_share", "share"),
    ("level2_share", "share"),
    ("hamlet_coverage", "share"),
    ("members_per_team", "decimal"),
    ("members_trained_share", "share"),
    ("courses_completed", "int"),
    ("workshops", "int"),
    ("workshop_attendees", "int"),
]


def _change(current, previous) -> dict | None:
    if current is None or previous is None:
        return None
    if not previous:
        return {"direction": "new" if current else "flat", "ratio": None}
    ratio = (current - previous) / previous
    direction = "up" if ratio > 0 else "down" if ratio < 0 else "flat"
    return {"direction": direction, "ratio": abs(ratio), "previous": previous}


def headline_tiles(figures: dict) -> list[dict]:
    """The headline figures, each with its change on the previous period."""
    previous = figures["previous"]
    return [
        {
            "code": code,
            "label": BY_CODE[code].label,
            "description": BY_CODE[code].description,
            "value": figures[code],
            "kind": kind,
            "change": _change(figures[code], previous[code])
            if code in previous
            else None,
            "previous": previous.get(code),
        }
        for code, kind in TILES
    ]


def _period_starts(period: Period) -> list[date]:
    if period.interval == "day":
        return [period.start + timedelta(days=n) for n in range(period.days)]
    if period.interval == "week":
        first = period.start - timedelta(days=period.start.weekday())
        return [
            first + timedelta(weeks=n)
            for n in range((period.end - first).days // 7 + 1)
        ]
    starts, month = [], period.start.replace(day=1)
    while month <= period.end:
        starts.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return starts


def _period_label(day: date, interval: str) -> str:
    return date_format(day, "m/Y" if interval == "month" else "d/m")


def trend_table(rows: list[dict], period: Period) -> tuple[Table, dict]:
    """The trend as a table (with every period, empty ones too) and chart data."""
    by_period = {row["period"]: row for row in rows}
    used = {category for row in rows for category in row["categories"]}
    categories = [choice for choice in ServiceType.Category if choice.value in used]
    table_rows = []
    for start in _period_starts(period):
        row = by_period.get(start, {"sessions": 0, "categories": {}})
        table_rows.append(
            {
                "period": start,
                "label": _period_label(start, period.interval),
                "sessions": row["sessions"],
                **{
                    "category_" + choice.value: row["categories"].get(choice.value, 0)
                    for choice in categories
                },
            }
        )
    columns = [
        Column("period", _("Period starting"), "date"),
        Column("sessions", BY_CODE["sessions"].label),
    ] + [
        Column("category_" + choice.value, capfirst(choice.label))
        for choice in categories
    ]
    chart = {
        "labels": [row["label"] for row in table_rows],
        "sessions": {
            "label": str(BY_CODE["sessions"].label),
            "data": [row["sessions"] for row in table_rows],
        },
        "categories": [
            {
                "key": choice.value,
                "label": str(capfirst(choice.label)),
                "data": [row["category_" + choice.value] for row in table_rows],
            }
            for choice in categories
        ],
        "servicesLabel": gettext("Services given"),
    }
    return Table("trend", TREND_TITLES[period.interval], columns, table_rows), chart

"""The statistics API's series: indicators per period and group, and the
residents' workshops by topic or audience.

One grouped query per summary table, never a raw session: sessions and
priority reach come from the team table, services from the service table,
households reached from the household-day table. A group that a table cannot
split (a session has no service category; a service line has no hamlet)
leaves that table's indicators empty (``None``) rather than guessing.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import DateField, F, Min, Value
from django.db.models.functions import Greatest, TruncMonth, TruncWeek
from django.utils.translation import gettext

from areas.models import Hamlet, Province, Ward
from assistance.models import ServiceType

from ..approvals import Approvals
from ..indicators import ROLLUPS, Area, activity_sums, narrowest, workshop_mix
from ..models import (
    DayHousehold,
    DayServiceStat,
    DayTeamStat,
)
from ..reached import reached_sum
from ..versions import ALL, figures_version

GROUPS = ("none", "category", "service", "hamlet", "ward", "province")
INDICATORS = (
    "sessions",
    "services_given",
    "level2_activations",
    "online_filings",
    "cashless_setups",
    "households_reached",
    "priority_sessions",
)
# The indicators each table counts (reports.indicators defines them).
NAMES = {
    table: [name for name in sums if name in INDICATORS]
    for table, sums in activity_sums(date.min).items()
}
# How each group splits each table; a table missing here cannot be split so.
KEYS = {
    "none": {DayTeamStat: None, DayServiceStat: None, DayHousehold: None},
    "ward": {DayTeamStat: "ward", DayServiceStat: "ward", DayHousehold: "ward"},
    "province": {
        DayTeamStat: "ward__province",
        DayServiceStat: "ward__province",
        DayHousehold: "ward__province",
    },
    "hamlet": {DayTeamStat: "hamlet", DayHousehold: "hamlet"},
    "category": {DayServiceStat: "category"},
    "service": {DayServiceStat: "service_type"},
}
TRAINING_GROUPS = ("none", "topic", "audience")
WORKSHOP_FIGURES = ("workshops", "attendees", "women", "elderly", "disability", "poor")
# The groups the rows above the ward can split, and their key there: a
# province's or the nation's answer by province, category or service reads
# the province's or the nation's days, not a year of ward rows.
ROLLUP_KEYS = {
    None: None,
    "ward__province": "province",
    "category": "category",
    "service_type": "service_type",
}
PERIOD = {"day": F("day"), "week": TruncWeek("day"), "month": TruncMonth("day")}


def stats_series(area: Area, start: date, end: date, interval: str, group: str):
    """Rows of indicators per period (and group key), oldest period first."""
    split = KEYS[group]
    cells: dict[tuple, dict] = {}
    for table, key in split.items():
        for period, value, figures in _grouped(table, area, start, end, interval, key):
            cells.setdefault((period, value), {}).update(figures)
    counted = [name for table in split for name in NAMES[table]]
    blank = {name: (0 if name in counted else None) for name in INDICATORS}
    bounds = {first: (first, last) for first, last in periods(start, end, interval)}
    # Without a group every period has its row; with one, the cells found.
    keys = [(period, None) for period in bounds] if group == "none" else list(cells)
    labels = _labels(group, {value for _period, value in keys})
    approvals = Approvals(area, start, end, by_ward=group == "ward")
    rows = []
    for period, value in keys:
        first, last = bounds[period]
        group_code, label = labels.get(value, (None, ""))
        first_day, last_day = max(first, start), min(last, end)
        # A ward's or province's row is approved with its own wards' months.
        where = (group, value) if group in ("ward", "province") else area_key(area)
        rows.append(
            {
                "period": period,
                "first_day": first_day,
                "last_day": last_day,
                "group": group_code,
                "label": label,
                **blank,
                **cells.get((period, value), {}),
                "approved": approvals.approved(first_day, last_day, *where),
            }
        )
    rows.sort(key=lambda row: (row["period"], row["label"], row["group"] or ""))
    return rows


def stats_page(
    area: Area,
    start: date,
    end: date,
    interval: str,
    group: str,
    *,
    after: tuple | None,
    size: int,
) -> tuple[list[dict], bool]:
    """The ``size`` rows that follow ``after`` (a row's ``row_key``), and
    whether more follow them.

    Only the periods the page needs are counted: a period holds at most as
    many rows as the group has keys (the wards of a province, say), so the
    page's rows lie in the first periods after the cursor. Those are counted
    first, and the next periods, twice as many each time, only while the page
    is not full (groups without figures leave a period short). A province's
    first 1,000 rows of a year by ward and day count 11 days, not 365.
    """
    # Periods before the area's first figures hold no row of a grouped
    # answer: a year asked of figures that begin in its last quarter would
    # otherwise be counted in ever wider empty chunks.
    figures_from = start if group == "none" else _first_day(area, start, end) or end
    spans = [
        (first, max(first, start), min(last, end))
        for first, last in periods(start, end, interval)
        if (after is None or first.isoformat() >= after[0]) and last >= figures_from
    ]
    width = -(-(size + 1) // _keys_most(area, group)) + (after is not None)
    rows: list[dict] = []
    while spans and len(rows) <= size:
        chunk, spans = spans[:width], spans[width:]
        found = stats_series(area, chunk[0][1], chunk[-1][2], interval, group)
        rows += [row for row in found if after is None or row_key(row) > after]
        width *= 2
    return rows[:size], len(rows) > size


def _first_day(area: Area, start: date, end: date) -> date | None:
    """The first day between the two with a session in the area (its rows
    of the narrowest table of sessions: a province's or the nation's days)."""
    return (
        narrowest(area, DayTeamStat)
        .filter(day__gte=start, day__lte=end)
        .aggregate(first=Min("day"))["first"]
    )


def area_key(area: Area) -> tuple[str, str | None]:
    return area.level, area.code


def row_key(row: dict) -> tuple[str, str, str]:
    """Where a row stands in the answer: its period, label, then group code."""
    return (row["period"].isoformat(), row["label"], row["group"] or "")


def _keys_most(area: Area, group: str) -> int:
    """The most rows one period can hold: the group's keys in the area."""
    if group == "ward" and area.level == "province":
        return max(1, Ward.objects.filter(province_id=area.code).count())
    if group == "province" and area.level == "national":
        return max(1, Province.objects.count())
    if group == "hamlet":
        return area.filter(Hamlet.objects.all()).count() + 1  # and "no hamlet"
    if group == "category":
        return len(ServiceType.Category.choices)
    if group == "service":
        return max(1, ServiceType.objects.count())
    return 1


def workshop_rows(area: Area, start: date, end: date, group: str) -> list[dict]:
    """The period's workshops in one row, or one row per topic or audience."""
    if group == "none":
        total = dict.fromkeys(WORKSHOP_FIGURES, 0)
        for row in workshop_mix(area, start, end):
            for name in WORKSHOP_FIGURES:
                total[name] += row[name]
        return [{"group": None, "label": "", **total}]
    rows: dict[str, dict] = {}
    for row in workshop_mix(area, start, end):
        key = row[group]
        cell = rows.setdefault(
            key,
            {
                "group": key,
                "label": str(row[group + "_label"]),
                **dict.fromkeys(WORKSHOP_FIGURES, 0),
            },
        )
        for name in WORKSHOP_FIGURES:
            cell[name] += row[name]
    return sorted(rows.values(), key=lambda row: (-row["attendees"], row["group"]))


def periods(start: date, end: date, interval: str) -> list[tuple[date, date]]:
    """The (first, last) day of each day, week (from Monday) or month touched."""
    spans = []
    if interval == "day":
        first = start
    elif interval == "week":
        first = start - timedelta(days=start.weekday())
    else:
        first = start.replace(day=1)
    while first <= end:
        if interval == "day":
            following = first + timedelta(days=1)
        elif interval == "week":
            following = first + timedelta(days=7)
        else:
            following = (first + timedelta(days=32)).replace(day=1)
        spans.append((first, following - timedelta(days=1)))
        first = following
    return spans


def stats_etag(area: Area, *parts, figures: str = ALL) -> str:
    """The ETag of an answer: an unchanged pull is a 304 that computes nothing."""
    return '"%s"' % figures_version(area, *parts, figures=figures)


def _grouped(table, area, start, end, interval, key):
    """Each period's (and key's) figures of ``table``: the indicators' own
    definitions, households reached counted from each period's first day."""
    if area.level != "ward" and table in ROLLUPS and key in ROLLUP_KEYS:
        key = ROLLUP_KEYS[key]
        rows = narrowest(area, table, by_province=key == "province")
    else:
        rows = area.filter(table.objects.all())
    since = Greatest(PERIOD[interval], Value(start, output_field=DateField()))
    sums = {
        "n_" + name: expression
        for name, expression in activity_sums(since)[table].items()
        if name in INDICATORS
    }
    if table is DayHousehold:
        sums = {"n_households_reached": reached_sum(rows.model, since)}
    fields = ["period"] if key is None else ["period", key]
    rows = (
        rows.filter(day__gte=start, day__lte=end)
        .annotate(period=PERIOD[interval])
        .values(*fields)
        .annotate(**sums)
        .order_by()
    )
    for row in rows:
        figures = {name[2:]: row[name] or 0 for name in sums}
        yield _as_date(row["period"]), row[key] if key else None, figures


def _labels(group: str, values: set) -> dict:
    """Each group key's (code shown to clients, label)."""
    values.discard(None)
    if group == "ward":
        names = dict(Ward.objects.filter(pk__in=values).values_list("pk", "name"))
        return {value: (value, names.get(value, "")) for value in values}
    if group == "province":
        names = dict(Province.objects.filter(pk__in=values).values_list("pk", "name"))
        return {value: (value, names.get(value, "")) for value in values}
    if group == "hamlet":
        names = dict(Hamlet.objects.filter(pk__in=values).values_list("pk", "name"))
        labels = {value: (str(value), names.get(value, "")) for value in values}
        labels[None] = (None, gettext("No hamlet"))
        return labels
    if group == "category":
        choices = dict(ServiceType.Category.choices)
        return {value: (value, str(choices.get(value, value))) for value in values}
    if group == "service":
        services = ServiceType.objects.in_bulk(values)
        return {value: (services[value].code, services[value].name) for value in values}
    return {}


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") else value

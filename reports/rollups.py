# ruff: noqa: S608 - SQL built from model metadata; values are parameters
"""The rollups above the ward: province-by-day and nation-by-day rows.

A province's day is the sum of its wards' rows of that day, the nation's day
the sum of the provinces' rows. They are recomputed, never incremented,
whenever a ward's bucket is (reports.services.stats_recompute calls
:func:`rollups_refresh` in the bucket's transaction, after the ward rows are
in): the (province, day) and (day) rows of the refreshed buckets are deleted
and inserted again by one grouped ``INSERT … SELECT`` per table.

Two refreshes of two wards of one province, or of two provinces, on one day
would each re-sum the day without the other's uncommitted rows, and the later
commit would win with one ward missing. So a refresh first takes a lock per
day it rewrites (a transaction-level advisory lock, held until commit): the
second refresh waits, and its statements, which start after the first has
committed, read both wards' rows. A refresh of a wider span (the reconcile of
every ward, a ward's every day) takes one lock for all days instead; the
per-day locks hold that one shared, so the two exclude each other. Every
refresh takes the ward stamps first and these locks after, in one order (all
days, then days ascending), so they cannot deadlock.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection

from areas.models import Ward
from core.checks import sql_columns

from .models import (
    SERVICE_FIGURES,
    DayHousehold,
    DayMemberStat,
    DayServiceStat,
    DayTeamStat,
    DayWorkshopStat,
    NationDayReach,
    NationDayServiceStat,
    NationDayStat,
    ProvinceDayReach,
    ProvinceDayServiceStat,
    ProvinceDayStat,
)

# pg_advisory_xact_lock(LOCK_SPACE, day's ordinal); ordinal 0 is "all days".
LOCK_SPACE = 0x524F4C4C  # "ROLL"
ALL_DAYS = 0
# Memory for grouping every ward row in a rebuild of the rollups.
GROUPING_MEMORY = "64MB"
# Spans longer than this take the lock for all days.
DAYS_LOCKED_ONE_BY_ONE = 62

# The figures of a province's day: each ward table's part, as SQL over its
# rows (the others' parts are 0 in its branch of the UNION).
FIGURES = {
    "sessions": (DayTeamStat, "sessions"),
    "walk_ins": (DayTeamStat, "walk_ins"),
    "minutes": (DayTeamStat, "minutes"),
    "elderly": (DayTeamStat, "elderly"),
    "disability": (DayTeamStat, "disability"),
    "poor": (DayTeamStat, "poor"),
    "priority": (DayTeamStat, "priority"),
    "member_days": (DayMemberStat, "1"),
    "member_sessions": (DayMemberStat, "sessions"),
    "workshops": (DayWorkshopStat, "workshops"),
    "attendees": (DayWorkshopStat, "attendees"),
}
# The households reached of a day by previous day: all of them, those the
# register holds in the ward that helped them, and those of a priority group.
REACH_FIGURES = ("households", "registered", "priority")
PROVINCE_COLUMNS = sql_columns(
    ProvinceDayStat,
    {"province": "province_id", "day": "day", **{name: name for name in FIGURES}},
    writer=__name__,
)
PROVINCE_SERVICE_COLUMNS = sql_columns(
    ProvinceDayServiceStat,
    {
        "province": "province_id",
        "day": "day",
        "service_type": "service_type_id",
        "category": "category",
        **{name: name for name in SERVICE_FIGURES},
    },
    writer=__name__,
)
NATION_COLUMNS = sql_columns(
    NationDayStat, {"day": "day", **{name: name for name in FIGURES}}, writer=__name__
)
NATION_SERVICE_COLUMNS = sql_columns(
    NationDayServiceStat,
    {
        "day": "day",
        "service_type": "service_type_id",
        "category": "category",
        **{name: name for name in SERVICE_FIGURES},
    },
    writer=__name__,
)
PROVINCE_REACH_COLUMNS = sql_columns(
    ProvinceDayReach,
    {
        "province": "province_id",
        "day": "day",
        "previous": "previous",
        **{name: name for name in REACH_FIGURES},
    },
    writer=__name__,
)
NATION_REACH_COLUMNS = sql_columns(
    NationDayReach,
    {"day": "day", "previous": "previous", **{name: name for name in REACH_FIGURES}},
    writer=__name__,
)
ROLLUPS = (
    ProvinceDayStat,
    ProvinceDayServiceStat,
    ProvinceDayReach,
    NationDayStat,
    NationDayServiceStat,
    NationDayReach,
)
NATIONAL = (NationDayStat, NationDayServiceStat, NationDayReach)


def rollups_refresh(
    *,
    ward_ids: list[str] | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
    reach_days: set[date] = frozenset(),
) -> None:
    """Recompute the rollup rows above the buckets of ``ward_ids`` (all when
    None) between two days (open when None), from the ward rows as they are;
    and the households reached of the wards' provinces on ``reach_days`` too
    (later days whose rows' previous day the refresh moved).

    Call it inside the transaction that rewrote those buckets, after it did.
    """
    provinces = None
    if ward_ids is not None:
        provinces = _provinces(ward_ids)
        if not provinces:
            return
    reach_days = sorted(reach_days)
    _lock_days(day_from, day_to, reach_days)
    with connection.cursor() as cursor:
        _rollups_clear(cursor, provinces, day_from, day_to)
        _reach_insert(cursor, provinces, day_from, day_to)
        if reach_days:
            _reach_refresh(cursor, provinces, reach_days)
        _insert(
            cursor,
            ProvinceDayStat,
            PROVINCE_COLUMNS,
            *_province_select(provinces, day_from, day_to),
        )
        _insert(
            cursor,
            ProvinceDayServiceStat,
            PROVINCE_SERVICE_COLUMNS,
            *_province_services_select(provinces, day_from, day_to),
        )
        _insert(
            cursor,
            NationDayStat,
            NATION_COLUMNS,
            *_nation_select(ProvinceDayStat, list(FIGURES), ("day",), day_from, day_to),
        )
        _insert(
            cursor,
            NationDayServiceStat,
            NATION_SERVICE_COLUMNS,
            *_nation_select(
                ProvinceDayServiceStat,
                list(SERVICE_FIGURES),
                ("day", "service_type_id", "category"),
                day_from,
                day_to,
            ),
        )


def _rollups_clear(
    cursor, provinces, day_from, day_to, *, tables=ROLLUPS, days=None
) -> None:
    """Delete the rollup rows about to be summed again (all of them at once,
    truncated, for a whole rebuild on PostgreSQL); ``days`` lists the days
    instead of a span."""
    everything = (
        provinces is None and day_from is None and day_to is None and days is None
    )
    if everything and connection.vendor == "postgresql":
        # Every ward row grouped into a few thousand days: in memory, a
        # hash of the groups, not a sort of the rows spilled to disk.
        cursor.execute("SET LOCAL work_mem = %s", [GROUPING_MEMORY])
        # Deleted rows would stay in the indexes until vacuumed.
        cursor.execute(
            "TRUNCATE %s" % ", ".join(_quote(t._meta.db_table) for t in ROLLUPS)
        )
        return
    for table in tables:
        sql, params = _where(table, provinces, day_from, day_to, rollup=True, days=days)
        cursor.execute("DELETE FROM %s%s" % (_quote(table._meta.db_table), sql), params)


def _reach_insert(cursor, provinces, day_from, day_to, days=None) -> None:
    """The provinces' and the nation's households reached on the days, by
    previous day: the household-day rows counted, and those with the
    register's flags."""
    where, params = _where(
        DayHousehold, provinces, day_from, day_to, rollup=False, days=days
    )
    province = _quote(Ward._meta.get_field("province").column)
    day, previous = _column(DayHousehold, "day"), _column(DayHousehold, "previous")
    flagged = ", ".join(
        "SUM(CASE WHEN d.%s THEN 1 ELSE 0 END)" % _column(DayHousehold, flag)
        for flag in REACH_FIGURES[1:]
    )
    _insert(
        cursor,
        ProvinceDayReach,
        PROVINCE_REACH_COLUMNS,
        "SELECT w.%s, d.%s, d.%s, COUNT(*), %s FROM %s AS d JOIN %s AS w"
        " ON w.%s = d.%s%s GROUP BY w.%s, d.%s, d.%s"
        % (
            province,
            day,
            previous,
            flagged,
            _quote(DayHousehold._meta.db_table),
            _quote(Ward._meta.db_table),
            _quote(Ward._meta.pk.column),
            _column(DayHousehold, "ward"),
            where,
            province,
            day,
            previous,
        ),
        params,
    )
    _insert(
        cursor,
        NationDayReach,
        NATION_REACH_COLUMNS,
        *_nation_select(
            ProvinceDayReach,
            list(REACH_FIGURES),
            ("day", "previous"),
            day_from,
            day_to,
            days=days,
        ),
    )


def _reach_refresh(cursor, provinces, days) -> None:
    """The households reached of the provinces (and the nation) on ``days``
    again."""
    _rollups_clear(
        cursor,
        provinces,
        None,
        None,
        tables=(ProvinceDayReach, NationDayReach),
        days=days,
    )
    _reach_insert(cursor, provinces, None, None, days=days)


def reach_days_refresh(*, ward_ids: list[str], days: set[date]) -> None:
    """The households reached of the wards' provinces (and the nation) on
    ``days`` again, after their household-day rows changed (the register's
    flags: reports.reached.register_fix), in that transaction."""
    provinces = _provinces(ward_ids)
    if not provinces or not days:
        return
    days = sorted(days)
    _lock_days(days[0], days[0], days[1:])
    with connection.cursor() as cursor:
        _reach_refresh(cursor, provinces, days)


def rollups_rebuild() -> None:
    """Every rollup row again, from every ward row (within a transaction)."""
    rollups_refresh()


def _lock_days(day_from, day_to, later=()) -> None:
    """The per-day locks of the span and of the ``later`` days, or the one
    for all days (PostgreSQL; SQLite lets one writer at a time anyway).

    ``later`` days all follow the span: a refresh waits only for days after
    those it holds, so two refreshes never wait for each other.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        if (
            day_from is None
            or day_to is None
            or (day_to - day_from).days + len(later) >= DAYS_LOCKED_ONE_BY_ONE
        ):
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_SPACE, ALL_DAYS]
            )
            return
        days = [
            (day_from + timedelta(days=offset)).toordinal()
            for offset in range((day_to - day_from).days + 1)
        ] + [day.toordinal() for day in later]
        cursor.execute(
            "SELECT pg_advisory_xact_lock_shared(%s, %s)", [LOCK_SPACE, ALL_DAYS]
        )
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, day))"
            " FROM (SELECT unnest(%s::int[]) AS day ORDER BY 1) AS days",
            [LOCK_SPACE, days],
        )


def _provinces(ward_ids) -> list[str]:
    return sorted(
        set(
            Ward.objects.filter(pk__in=ward_ids)
            .order_by()
            .values_list("province_id", flat=True)
        )
    )


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _column(model, name: str) -> str:
    return _quote(model._meta.get_field(name).column)


def _where(model, provinces, day_from, day_to, *, rollup: bool, days=None):
    """`` WHERE …`` of a table's rows in the provinces and days (and params);
    the nation's rows are of every province. ``days`` lists the days instead
    of a span."""
    parts, params = [], []
    if provinces is not None and model not in NATIONAL:
        if rollup:
            parts.append(
                "%s IN (%s)"
                % (_column(model, "province"), ", ".join(["%s"] * len(provinces)))
            )
            params.extend(provinces)
        else:
            parts.append(
                "%s IN (SELECT %s FROM %s WHERE %s IN (%s))"
                % (
                    _column(model, "ward"),
                    _quote(Ward._meta.pk.column),
                    _quote(Ward._meta.db_table),
                    _quote(Ward._meta.get_field("province").column),
                    ", ".join(["%s"] * len(provinces)),
                )
            )
            params.extend(provinces)
    if day_from is not None:
        parts.append("%s >= %%s" % _column(model, "day"))
        params.append(day_from)
    if day_to is not None:
        parts.append("%s <= %%s" % _column(model, "day"))
        params.append(day_to)
    if days is not None:
        parts.append(
            "%s IN (%s)" % (_column(model, "day"), ", ".join(["%s"] * len(days)))
        )
        params.extend(days)
    return ((" WHERE " + " AND ".join(parts)) if parts else ""), params


def _insert(cursor, table, columns: dict[str, str], select: str, params) -> None:
    """``INSERT INTO table (columns) SELECT …``: the SELECT names its columns
    in the order of ``columns``."""
    targets = ", ".join(_column(table, name) for name in columns)
    cursor.execute(
        "INSERT INTO %s (%s) %s" % (_quote(table._meta.db_table), targets, select),
        params,
    )


def _province_select(provinces, day_from, day_to):
    """The provinces' days summed over their wards' team, member and
    workshop rows."""
    branches, params = [], []
    for source in (DayTeamStat, DayMemberStat, DayWorkshopStat):
        values = [
            (
                expression
                if expression == "1"
                else "%s.%s"
                % (_quote(source._meta.db_table), _column(source, expression))
            )
            if table is source
            else "0"
            for name, (table, expression) in FIGURES.items()
        ]
        where, found = _where(source, provinces, day_from, day_to, rollup=False)
        branches.append(
            "SELECT %s AS ward_id, %s AS day, %s FROM %s%s"
            % (
                _column(source, "ward"),
                _column(source, "day"),
                ", ".join(
                    "%s AS %s" % (value, name)
                    for value, name in zip(values, FIGURES, strict=True)
                ),
                _quote(source._meta.db_table),
                where,
            )
        )
        params.extend(found)
    ward = _quote(Ward._meta.db_table)
    sums = ", ".join("SUM(parts.%s)" % name for name in FIGURES)
    select = (
        "SELECT w.%s, parts.day, %s FROM (%s) AS parts"
        " JOIN %s AS w ON w.%s = parts.ward_id GROUP BY w.%s, parts.day"
    ) % (
        _quote(Ward._meta.get_field("province").column),
        sums,
        " UNION ALL ".join(branches),
        ward,
        _quote(Ward._meta.pk.column),
        _quote(Ward._meta.get_field("province").column),
    )
    return select, params


def _province_services_select(provinces, day_from, day_to):
    table = _quote(DayServiceStat._meta.db_table)
    where, params = _where(DayServiceStat, provinces, day_from, day_to, rollup=False)
    province = _quote(Ward._meta.get_field("province").column)
    select = (
        "SELECT w.%s, s.%s, s.%s, s.%s, %s FROM %s AS s"
        " JOIN %s AS w ON w.%s = s.%s%s GROUP BY w.%s, s.%s, s.%s, s.%s"
    ) % (
        province,
        _column(DayServiceStat, "day"),
        _column(DayServiceStat, "service_type"),
        _column(DayServiceStat, "category"),
        ", ".join("SUM(s.%s)" % name for name in SERVICE_FIGURES),
        table,
        _quote(Ward._meta.db_table),
        _quote(Ward._meta.pk.column),
        _column(DayServiceStat, "ward"),
        where,
        province,
        _column(DayServiceStat, "day"),
        _column(DayServiceStat, "service_type"),
        _column(DayServiceStat, "category"),
    )
    return select, params


def _nation_select(source, figures, keys, day_from, day_to, days=None):
    """The nation's days summed over the provinces' rows of ``source``."""
    where, params = _where(source, None, day_from, day_to, rollup=True, days=days)
    key_columns = ", ".join(_quote(key) for key in keys)
    select = "SELECT %s, %s FROM %s%s GROUP BY %s" % (
        key_columns,
        ", ".join("SUM(%s)" % _quote(name) for name in figures),
        _quote(source._meta.db_table),
        where,
        key_columns,
    )
    return select, params

# ruff: noqa: S608 - SQL built from model metadata; values are parameters
"""Households reached: each household once in a period, on its first day in it.

Distinct households do not add up: a household helped on two days of a month
is one household reached in the month, not two. Counting them distinct over
the period's household-day rows costs a pass and a hash over every row, and
for a year of the whole country that is tens of millions of rows at every
cold view. Instead each household-day row (:class:`DayHousehold`) carries the
household's ``previous`` day with a row in the same ward. A period's
households reached are then its rows whose previous day lies before the
period (or that have none): each household's first day in the period, and
only that one. These counts add up across days, so a province's and the
nation's days are summed ahead (:class:`ProvinceDayReach`,
:class:`NationDayReach`, by day and previous day), and a year of the nation
reads a few thousand rows.

A household counts once per ward: one that moved and was helped by both its
old and its new ward in the period counts in each, as it does in each ward's
own figures.

``previous`` is kept by the refresh that recomputes a bucket
(reports.services): new rows are inserted with the previous day among the
bucket's own, then :func:`previous_fix` sets every row of the households
whose rows came or went to the day before it in its ward, which also moves
the next row of a household after the buckets. The days of those later rows
are returned, so their rollups are summed again too.

Coverage counts, of the households reached, those registered now in the ward
that helped them, and of those the ones of a priority group. Each row keeps
both as flags (``registered``, ``priority``), set from the register when the
row is written, and the rollups sum them by day and previous day like the
households reached: a country's coverage by province reads the rollups, not
ten million households. When the register changes (a household moves, its
groups change), :func:`register_fix` sets the flags of that household's rows
again; the schedule's registry recompute calls it for the households whose
audit trail moved since its last run (reports.services.register_follow), and
the rollups of the days it changed are summed again.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Sum

from .models import DayHousehold

UPDATE_BATCH = 5000
# A refresh that changed more households than this finds them by its span.
HOUSEHOLDS_LISTED = 2000


def priority_household(prefix: str = "") -> Q:
    """A household of a priority group: elderly living alone, disability, poor
    or near-poor, ethnic minority, no smartphone. The one definition for the
    registry's priority households and for those reached."""
    return (
        Q(**{prefix + "elderly_alone": True})
        | Q(**{prefix + "disability": True})
        | Q(**{prefix + "poverty__in": ("poor", "near_poor")})
        | Q(**{prefix + "ethnic_minority": True})
        | Q(**{prefix + "no_smartphone": True})
    )


# The register's flags of a row with a ``ward`` and a ``household`` (a
# session, a household-day row), as the register says now.
_REGISTERED = Q(household__ward=F("ward"))
REGISTERED = ExpressionWrapper(_REGISTERED, output_field=BooleanField())
REGISTERED_PRIORITY = ExpressionWrapper(
    _REGISTERED & priority_household("household__"), output_field=BooleanField()
)


def first_days(since) -> Q:
    """The rows that are a household's first day on or after ``since`` (a
    date or an expression), given rows on or after it."""
    return Q(previous__isnull=True) | Q(previous__lt=since)


def reached_sum(model, since):
    """Households reached over ``model``'s rows on or after ``since``: the
    household-day rows counted, or the rollups' households summed."""
    if model is DayHousehold:
        return Count("day", filter=first_days(since))
    return Sum("households", filter=first_days(since), default=0)


def reached_by_ward(area, start: date, end: date, reads: dict | None = None) -> dict:
    """Each ward's households reached in the period (``households_reached``),
    of them those registered in it now (``reached``) and those of a priority
    group (``priority_reached``): one pass over the period's entries of the
    bucket's index.

    A province's dashboard shows the first in its ranking and the others in
    its coverage; ``reads``, where given, keeps the answer for the other.
    """
    key = ("reached_by_ward", area.level, area.code, start, end)
    if reads is not None and key in reads:
        return reads[key]
    rows = area.filter(
        DayHousehold.objects.filter(first_days(start), day__gte=start, day__lte=end)
    )
    # Counting a column of the index lets the rows be read from it.
    found = {
        row["ward_id"]: row
        for row in rows.values("ward_id")
        .annotate(
            households_reached=Count("day"),
            reached=Count("day", filter=Q(registered=True)),
            priority_reached=Count("day", filter=Q(priority=True)),
        )
        .order_by()
    }
    if reads is not None:
        reads[key] = found
    return found


def previous_fix(
    ward_ids,
    day_from: date | None,
    day_to: date | None,
    *,
    households: set[tuple] | None = None,
) -> set[date]:
    """Set ``previous`` right on the rows of every household that the wards'
    buckets between the two days hold now or held before their refresh;
    return the days, outside the buckets, of the rows it changed.

    Call it in the refresh's transaction, after the buckets' rows are in.
    ``households``, where the refresh knows them, are the (ward, household)
    whose rows it inserted or deleted: only their days moved. Otherwise a
    household's row after the buckets whose previous day lay within them is
    how a household that the buckets no longer hold is found.
    """
    names = {
        name: _column(name) for name in ("id", "ward", "household", "day", "previous")
    }
    table = connection.ops.quote_name(DayHousehold._meta.db_table)
    if households is not None and not households:
        return set()
    if households is not None and len(households) <= HOUSEHOLDS_LISTED:
        pairs = sorted(households)
        affected = "VALUES %s" % ", ".join(["(%s, %s)"] * len(pairs))
        affected_params = [value for pair in pairs for value in pair]
    else:
        span, span_params = span_where(names, ward_ids, day_from, day_to)
        after, after_params = _after(names, ward_ids, day_from, day_to)
        affected = (
            "SELECT {ward}, {household} FROM {table} WHERE {span}"
            " UNION SELECT {ward}, {household} FROM {table} WHERE {after}"
        ).format(table=table, span=span, after=after, **names)
        affected_params = span_params + after_params
    # The bucket's households' own rows in the wards, by the household index.
    wards, ward_params = _in("d." + names["ward"], ward_ids)
    sql = (
        "WITH affected ({ward}, {household}) AS ({affected}), wards AS ("
        " SELECT d.{id}, d.{ward}, d.{household}, d.{day} FROM {table} AS d"
        " WHERE {wards} AND d.{household} IN (SELECT {household} FROM affected)"
        "), ordered AS ("
        " SELECT d.{id} AS row_id, lag(d.{day}) OVER (PARTITION BY d.{ward},"
        " d.{household} ORDER BY d.{day}) AS earlier FROM wards AS d"
        " JOIN affected AS a ON a.{ward} = d.{ward} AND a.{household} = d.{household}"
        ") UPDATE {table} SET {previous} = ordered.earlier FROM ordered"
        " WHERE {table}.{id} = ordered.row_id"
        " AND {table}.{previous} IS DISTINCT FROM ordered.earlier"
        " RETURNING {table}.{day}"
    ).format(table=table, affected=affected, wards=wards, **names)
    with connection.cursor() as cursor:
        cursor.execute(sql, affected_params + ward_params)
        days = {_as_date(day) for (day,) in cursor.fetchall()}
    return {
        day
        for day in days
        if (day_from is not None and day < day_from)
        or (day_to is not None and day > day_to)
    }


def _column(name: str) -> str:
    return connection.ops.quote_name(DayHousehold._meta.get_field(name).column)


def _in(column: str, ward_ids) -> tuple[str, list]:
    """``column IN (…)`` of the wards (and params); always true for None."""
    if ward_ids is None:
        return "1 = 1", []
    return "%s IN (%s)" % (column, ", ".join(["%s"] * len(ward_ids))), list(ward_ids)


def span_where(names, ward_ids, day_from, day_to) -> tuple[str, list]:
    """SQL and params for the buckets' rows: ``names`` gives the (quoted)
    ward and day columns; None wards or days are not restricted."""
    wards, params = _in(names["ward"], ward_ids)
    parts = [wards]
    if day_from is not None:
        parts.append("%s >= %%s" % names["day"])
        params.append(day_from)
    if day_to is not None:
        parts.append("%s <= %%s" % names["day"])
        params.append(day_to)
    return " AND ".join(parts), params


def _after(names, ward_ids, day_from, day_to) -> tuple[str, list]:
    """Rows after the buckets whose previous day lies within them."""
    if day_to is None:
        return "1 = 0", []  # no day after an open span
    wards, params = _in(names["ward"], ward_ids)
    # A later row whose previous day lies after the buckets keeps it; one
    # whose previous day lies before them belongs to a household they hold
    # now, if its previous day is to move.
    parts = [wards, "%s > %%s" % names["day"], "%s <= %%s" % names["previous"]]
    params += [day_to, day_to]
    if day_from is not None:
        parts.append("%s >= %%s" % names["previous"])
        params.append(day_from)
    return " AND ".join(parts), params


def _as_date(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def register_wrong(households, ward_ids=None):
    """The household-day rows of ``households`` (ids, or a query of them), in
    the wards (all when None), whose register's flags are not the register's
    now, with the flags they should have (``now_registered``,
    ``now_priority``)."""
    rows = DayHousehold.objects.filter(household__in=households)
    if ward_ids is not None:
        rows = rows.filter(ward__in=ward_ids)
    return rows.annotate(
        now_registered=REGISTERED, now_priority=REGISTERED_PRIORITY
    ).filter(~Q(registered=F("now_registered")) | ~Q(priority=F("now_priority")))


def register_fix(households, ward_ids) -> dict[str, set[date]]:
    """Set the register's flags right on the household-day rows of
    ``households`` in the wards; return the days of the rows it changed, by
    ward.

    Call it in a transaction that holds the wards' stamps (no refresh of
    theirs runs meanwhile) and then sums those days' rollups again.
    """
    wrong = register_wrong(households, ward_ids).values_list(
        "pk", "ward_id", "day", "now_registered", "now_priority"
    )
    flags: dict[tuple[bool, bool], list[int]] = defaultdict(list)
    days: dict[str, set[date]] = defaultdict(set)
    for pk, ward, day, registered, priority in wrong:
        flags[bool(registered), bool(priority)].append(pk)
        days[ward].add(_as_date(day))
    for (registered, priority), pks in flags.items():
        for start in range(0, len(pks), UPDATE_BATCH):
            chunk = pks[start : start + UPDATE_BATCH]
            DayHousehold.objects.filter(pk__in=chunk).update(
                registered=registered, priority=priority
            )
    return dict(days)

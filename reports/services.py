# ruff: noqa: S608 - SQL built from model metadata; values are parameters
"""Recomputing the summary tables from the raw rows, bucket by bucket.

A bucket is a ward and a day: the sessions and the residents' workshops of
that ward on that day. :func:`stats_recompute` computes the summary rows of
the buckets it is given again from one grouped query per table and writes
only those that differ from the stored ones (updated, deleted or inserted by
key), inside one transaction that holds the wards' stamps, so two refreshes
of one ward queue instead of interleaving. The same function serves one
bucket (after a session is saved), the recent days (the beat schedule) and
everything (``rebuild_stats``). A ward's stamp moves only when its rows
changed, as those statements report: the reconcile recomputing the recent
days as they were, or a session whose notes changed, leaves the ward's ETag
and ``as_of`` as they were. Everything, on PostgreSQL, empties and refills
the tables in two transactions at once, each table locked until its new rows
are in (a refresh meanwhile waits for the table, then recomputes its bucket
over the new rows), then moves every ward's stamp: a rebuild is run by hand,
after a repair the buckets' own refreshes would not see.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Sum,
)
from django.utils import timezone

from areas.models import Hamlet, Ward
from assistance.groups import disability, elderly, poor, priority
from assistance.models import AssistanceSession, SessionService
from core.checks import sql_columns
from households.models import Household
from teams.models import Membership, Team
from training.models import Attendance, Workshop

from .coverage import hamlet_registry_rows, ward_sums
from .models import (
    DayHousehold,
    DayMemberStat,
    DayServiceStat,
    DayTeamStat,
    DayWorkshopStat,
    HamletRegistryStat,
    PendingRefresh,
    ScheduledRun,
    TeamRegistryStat,
    WardRegistryStat,
    WardStamp,
)
from .reached import (
    REGISTERED,
    REGISTERED_PRIORITY,
    previous_fix,
    register_fix,
    register_wrong,
    span_where,
)
from .rollups import reach_days_refresh, rollups_refresh
from .versions import figures_moved

BATCH = 2000
# The summary tables' columns, as the grouped SELECTs name them; a column
# left out would stay NULL (core.checks).
TEAM_COLUMNS = sql_columns(
    DayTeamStat,
    {
        "ward": "ward_id",
        "day": "started_on",
        "team": "team_id",
        "hamlet": "team__hamlet_id",
        "sessions": "n_sessions",
        "walk_ins": "n_walk_ins",
        "minutes": "n_minutes",
        "elderly": "n_elderly",
        "disability": "n_disability",
        "poor": "n_poor",
        "priority": "n_priority",
    },
    writer=__name__,
)
SERVICE_COLUMNS = sql_columns(
    DayServiceStat,
    {
        "ward": "session__ward_id",
        "day": "session__started_on",
        "service_type": "service_type_id",
        "category": "service_type__category",
        "done": "n_done",
        "follow_up": "n_follow_up",
        "failed": "n_failed",
        "open_follow_up": "n_open",
    },
    writer=__name__,
)
MEMBER_COLUMNS = sql_columns(
    DayMemberStat,
    {
        "ward": "assistancesession__ward_id",
        "day": "assistancesession__started_on",
        "member": "member_id",
        "team": "assistancesession__team_id",
        "sessions": "n_sessions",
    },
    writer=__name__,
)
HOUSEHOLD_COLUMNS = sql_columns(
    DayHousehold,
    {
        "ward": "r_ward",
        "day": "r_day",
        "household": "r_household",
        "hamlet": "r_hamlet",
        "previous": "lag(r_day) OVER (PARTITION BY r_ward, r_household ORDER BY r_day)",
        "registered": "r_registered",
        "priority": "r_priority",
    },
    writer=__name__,
)
WORKSHOP_COLUMNS = sql_columns(
    DayWorkshopStat,
    {
        "ward": "ward_id",
        "day": "held_on",
        "topic": "topic",
        "audience": "audience",
        "workshops": "n_workshops",
        "attendees": "n_attendees",
        "women": "n_women",
        "elderly": "n_elderly",
        "disability": "n_disability",
        "poor": "n_poor",
    },
    writer=__name__,
)
# Memory for grouping each table in a full rebuild. The team and service rows
# join every session through a hash table that the server's default work_mem
# would split into batches on disk. The member and household rows are nearly
# one group per raw row: hundreds of megabytes of groups held in memory miss
# the processor's caches at every row, and took longer than the default's
# batches (households at province scale: 4.7 s against 3.7 s).
GROUPING_MEMORY = {DayTeamStat: "128MB", DayServiceStat: "128MB"}
# A full rebuild refills these halves side by side, one connection each: the
# grouping of an INSERT runs on one core, and the halves take about as long
# (the sessions with their households; the sessions joined to their lines and
# their members).
SIDE_BY_SIDE = (
    (DayTeamStat, DayHousehold, DayWorkshopStat),
    (DayServiceStat, DayMemberStat),
)


def stats_recompute(
    *,
    ward_ids: list[str] | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
) -> None:
    """Recompute the buckets of ``ward_ids`` (all when None) between two days."""
    whole = _everything(ward_ids, day_from, day_to)
    sessions = _buckets(AssistanceSession.objects.all(), "", ward_ids, day_from, day_to)
    lines = _buckets(
        SessionService.objects.all(), "session__", ward_ids, day_from, day_to
    )
    helpers = _buckets(
        AssistanceSession.members.through.objects.all(),
        "assistancesession__",
        ward_ids,
        day_from,
        day_to,
    )
    workshops = _buckets(
        Workshop.objects.all(), "", ward_ids, day_from, day_to, day_field="held_on"
    )
    span = None if whole else Span(ward_ids, day_from, day_to)
    fills = {
        DayTeamStat: partial(_team_rows, sessions, span),
        DayServiceStat: partial(_service_rows, lines, span),
        DayMemberStat: partial(_member_rows, helpers, span),
        DayHousehold: partial(_household_rows, sessions, span),
        DayWorkshopStat: partial(_workshop_rows, workshops, span),
    }
    started = timezone.now()
    if whole and not connection.in_atomic_block:
        _rebuild_whole(fills, started)
        return
    with transaction.atomic():
        stamps, created = _lock_wards(ward_ids)
        if not whole:
            _keys_costed_in_memory()
        changes = _tables_refill(fills, ward_ids, day_from, day_to, whole=whole)
        later = set()
        if not whole:
            households = {tuple(row) for row in changes[DayHousehold]}
            later = previous_fix(ward_ids, day_from, day_to, households=households)
        if whole or later or any(changes.values()):
            rollups_refresh(
                ward_ids=ward_ids, day_from=day_from, day_to=day_to, reach_days=later
            )
        if ward_ids is None and day_from is None and day_to is None:
            PendingRefresh.objects.filter(since__lt=started).delete()
        if whole:
            now = timezone.now()
            stamps.update(changed_at=now, workshops_changed_at=now)
            _figures_moved()
        else:
            _stamps_move(changes, created=created)


def _rebuild_whole(fills: dict, started) -> None:
    """Every table built again beside the old one, then swapped in."""
    _rebuild_side_by_side(fills)
    with transaction.atomic():
        now = timezone.now()
        stamps, _created = _lock_wards(None)
        rollups_refresh()
        stamps.update(changed_at=now, workshops_changed_at=now)
        # Everything owed before the rebuild began is settled by it.
        PendingRefresh.objects.filter(since__lt=started).delete()
        _figures_moved()
    _statistics_renewed()


def bucket_refresh(*, ward_id: str, day: date) -> None:
    stats_recompute(ward_ids=[ward_id], day_from=day, day_to=day)


def stats_rebuild() -> None:
    stats_recompute()
    registry_recompute()


# The register's changes re-read by each whole registry recompute reach back
# this far before the last one finished: a change saved before then whose
# transaction committed after (a long import) is still followed.
REGISTER_OVERLAP = timedelta(hours=1)
# With no recompute on record, the changes of this last while.
REGISTER_FIRST_SPAN = timedelta(days=1)


def registry_recompute(*, ward_ids: list[str] | None = None) -> None:
    """The registry's figures per ward and members per team, recomputed, and
    coverage's households reached brought up to the register
    (:func:`register_follow`): a whole recompute follows every household
    changed since the last one, a ward's those of its wards changed lately
    (a saved household queues its wards' recompute: reports.receivers)."""
    if ward_ids is None:
        register_follow(_register_since())
    else:
        register_follow(timezone.now() - REGISTER_OVERLAP, ward_ids=ward_ids)
    today = timezone.localdate()
    current = Membership.objects.filter(
        team__is_active=True, joined_on__lte=today
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
    hamlet_rows = hamlet_registry_rows(ward_ids)
    counts = {"households": ward_sums(hamlet_rows)}
    counts.update(_registry_counts(ward_ids, current, today))
    wards = set().union(*counts.values())
    if ward_ids is not None:
        wards |= set(ward_ids)
    rows = [_ward_registry_row(ward, counts) for ward in sorted(wards)]
    team_rows = [
        TeamRegistryStat(
            team_id=row["team_id"],
            ward_id=row["team__ward_id"],
            hamlet_id=row["team__hamlet_id"],
            members=row["members"],
        )
        for row in (
            current.filter(team__ward__in=wards)
            .values("team_id", "team__ward_id", "team__hamlet_id")
            .annotate(members=Count("member", distinct=True))
            .order_by()
        )
    ]
    with transaction.atomic():
        if _registry_write(rows, team_rows, hamlet_rows, ward_ids):
            _figures_moved()


def register_follow(since: datetime, ward_ids: list[str] | None = None) -> bool:
    """Set the register's flags on the household-day rows of the households
    changed since ``since`` (in ``ward_ids``, before or after the change),
    found by their audit trail (every change, bulk imports included, writes
    one); sum the rollups of the days that changed again and move their
    wards' stamps (kept answers and ETags); return whether any did.

    The wards whose rows are wrong are found first, then their stamps locked
    as a refresh locks them, before any row is written: a refresh of theirs
    waits, and the two take their locks in one order.
    """
    changed = Household.history.filter(history_date__gte=since)
    if ward_ids is not None:
        changed = changed.filter(ward_id__in=ward_ids)
    households = changed.values("id").distinct()
    wards = sorted(
        set(register_wrong(households).values_list("ward_id", flat=True).order_by())
    )
    if not wards:
        return False
    with transaction.atomic():
        _lock_wards(wards)
        days = register_fix(households, wards)
        if not days:
            return False
        reach_days_refresh(ward_ids=sorted(days), days=set().union(*days.values()))
        WardStamp.objects.filter(ward__in=days).update(changed_at=timezone.now())
        _figures_moved()
    return True


def _register_since() -> datetime:
    last = (
        ScheduledRun.objects.filter(job=ScheduledRun.Job.REGISTRY)
        .values_list("finished_at", flat=True)
        .first()
    )
    if last is None:
        return timezone.now() - REGISTER_FIRST_SPAN
    return last - REGISTER_OVERLAP


# What a ward's and a team's registry rows say (not when they were written).
WARD_FIGURES = tuple(
    field.attname
    for field in WardRegistryStat._meta.concrete_fields
    if field.name not in ("ward", "refreshed_at")
)
TEAM_FIGURES = ("ward_id", "hamlet_id", "members")
HAMLET_FIGURES = tuple(
    field.attname
    for field in HamletRegistryStat._meta.concrete_fields
    if not field.primary_key
)


def _registry_write(rows, team_rows, hamlet_rows, ward_ids) -> bool:
    """Write the rows whose figures changed; return whether any did.

    A ward whose figures, and whose teams' members and hamlets' figures, are
    as stored keeps its row and so its ``refreshed_at``: the recompute every
    quarter of an hour moves the versions of the wards that changed, not of
    every ward. A ward whose teams or hamlets changed is written again too:
    its tables by team and its coverage changed.
    """
    stored = {}
    for table in (WardRegistryStat, TeamRegistryStat, HamletRegistryStat):
        stored[table] = table.objects.all()
        if ward_ids is not None:
            stored[table] = stored[table].filter(ward__in=ward_ids)
    old = _figures_of(stored[WardRegistryStat], "ward_id", WARD_FIGURES)
    new = {row.ward_id: _figures_of_row(row, WARD_FIGURES) for row in rows}
    old_teams = _figures_of(stored[TeamRegistryStat], "team_id", TEAM_FIGURES)
    new_teams = {row.team_id: _figures_of_row(row, TEAM_FIGURES) for row in team_rows}
    teams = _differing(old_teams, new_teams)
    moved_teams = {
        figures[0]
        for team in teams
        for figures in (old_teams.get(team), new_teams.get(team))
        if figures
    }
    old_hamlets = _figures_of(stored[HamletRegistryStat], "hamlet_id", HAMLET_FIGURES)
    new_hamlets = {
        row.hamlet_id: _figures_of_row(row, HAMLET_FIGURES) for row in hamlet_rows
    }
    hamlets = _differing(old_hamlets, new_hamlets)
    moved_hamlets = {
        figures[0]
        for hamlet in hamlets
        for figures in (old_hamlets.get(hamlet), new_hamlets.get(hamlet))
        if figures
    }
    wards = _differing(old, new) | moved_teams | moved_hamlets
    stored[WardRegistryStat].filter(ward__in=wards).delete()
    stored[TeamRegistryStat].filter(team__in=teams).delete()
    stored[HamletRegistryStat].filter(hamlet__in=hamlets).delete()
    WardRegistryStat.objects.bulk_create(
        [row for row in rows if row.ward_id in wards], batch_size=BATCH
    )
    TeamRegistryStat.objects.bulk_create(
        [row for row in team_rows if row.team_id in teams], batch_size=BATCH
    )
    HamletRegistryStat.objects.bulk_create(
        [row for row in hamlet_rows if row.hamlet_id in hamlets], batch_size=BATCH
    )
    return bool(wards or teams or hamlets)


def _figures_of(rows, key: str, names: tuple) -> dict:
    return {found[0]: found[1:] for found in rows.values_list(key, *names)}


def _figures_of_row(row, names: tuple) -> tuple:
    return tuple(getattr(row, name) for name in names)


def _differing(old: dict, new: dict) -> set:
    return {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}


def _registry_counts(ward_ids, current, today: date) -> dict[str, dict]:
    """Each source's counts by ward: {source: {ward id: {name: count}}}."""

    def per_ward(queryset, ward_field="ward_id", **counts):
        if ward_ids is not None:
            queryset = queryset.filter(**{"%s__in" % ward_field: ward_ids})
        rows = queryset.values(ward_field).annotate(**counts).order_by()
        return {row[ward_field]: row for row in rows}

    covered = Team.objects.filter(hamlet=OuterRef("pk"), is_active=True)
    # Training of the calendar year, by the member's ward (a team's ward).
    this_year = Q(
        event__starts_on__gte=date(today.year, 1, 1),
        event__starts_on__lte=date(today.year, 12, 31),
    )
    status = Attendance.Status
    return {
        "hamlets_covered": per_ward(
            Hamlet.objects.annotate(covered=Exists(covered)),
            hamlets=Count("pk"),
            hamlets_covered=Count("pk", filter=Q(covered=True)),
        ),
        "teams": per_ward(Team.objects.filter(is_active=True), teams=Count("pk")),
        "members": per_ward(
            current, "team__ward_id", members=Count("member", distinct=True)
        ),
        "members_trained_this_year": per_ward(
            Attendance.objects.filter(
                this_year,
                status__in=(status.ATTENDED, status.COMPLETED),
                member__in=current.values("member"),
            ),
            "member__ward_id",
            members_trained_this_year=Count("member", distinct=True),
        ),
        "courses_completed_this_year": per_ward(
            Attendance.objects.filter(this_year, status=status.COMPLETED),
            "member__ward_id",
            courses_completed_this_year=Count("pk"),
        ),
    }


def _ward_registry_row(ward: str, counts: dict[str, dict]) -> WardRegistryStat:
    row = WardRegistryStat(ward_id=ward)
    for source in counts.values():
        for name, value in source.get(ward, {}).items():
            if not name.endswith("ward_id"):
                setattr(row, name, value)
    return row


def _buckets(queryset, prefix, ward_ids, day_from, day_to, day_field="started_on"):
    """Filter ``queryset`` to the buckets; ``prefix=None`` for summary tables.

    ``day_field`` names the raw rows' day: a session's ``started_on``, a
    workshop's ``held_on``.
    """
    ward_field, day_field = (
        ("ward_id", "day")
        if prefix is None
        else (prefix + "ward_id", prefix + day_field)
    )
    if ward_ids is not None:
        queryset = queryset.filter(**{ward_field + "__in": ward_ids})
    if day_from is not None:
        queryset = queryset.filter(**{day_field + "__gte": day_from})
    if day_to is not None:
        queryset = queryset.filter(**{day_field + "__lte": day_to})
    return queryset


def _stamps_move(changes: dict, *, created: bool) -> None:
    """Move the stamps of the wards whose rows changed, and only theirs.

    Unchanged, a ward keeps its ETag and its ``as_of``; when no ward changed
    (and no stamp was new), the kept versions stay current too.
    """
    wards = {row[0] for rows in changes.values() for row in rows}
    if wards:
        now = timezone.now()
        stamps = WardStamp.objects.filter(ward__in=wards)
        stamps.update(changed_at=now)
        workshops = {row[0] for row in changes[DayWorkshopStat]}
        stamps.filter(ward__in=workshops).update(workshops_changed_at=now)
    if wards or created:
        _figures_moved()


def _figures_moved() -> None:
    """Kept versions go stale now, and again once the new rows are visible
    (a version read between the two would hold the old stamps)."""
    figures_moved()
    transaction.on_commit(figures_moved, robust=True)


def _rebuild_side_by_side(fills) -> None:
    """Empty and refill every summary table, the halves in two transactions at
    once (see SIDE_BY_SIDE).

    Readers of a table wait for its refill or see its old rows, never half of
    them; a reader may see one half refilled before the other, the same
    figures recomputed. The stamps move once both have committed: this thread
    waits for the other holding no lock, so no reader holding a table of one
    half while asking for the other can hang the rebuild where the server's
    deadlock detector cannot see it.
    """
    errors = []

    def refill(tables):
        with transaction.atomic():
            _commit_unwaited()
            _tables_refill({table: fills[table] for table in tables}, whole=True)

    def refill_beside(tables):
        try:
            refill(tables)
        except BaseException as error:  # raised again in the calling thread
            errors.append(error)
        finally:
            connection.close()

    first, *others = SIDE_BY_SIDE
    threads = [threading.Thread(target=refill_beside, args=[half]) for half in others]
    for thread in threads:
        thread.start()
    try:
        refill(first)
    finally:
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]


def _tables_refill(
    fills, ward_ids=None, day_from=None, day_to=None, *, whole
) -> dict[type, list[tuple]]:
    """Fill the buckets' rows of the tables of ``fills`` again; return, per
    table, the rows each refill changed (``_bucket_rows_put``).

    Everything at once empties the tables first: a TRUNCATE on PostgreSQL
    (deleted rows stay in the indexes until vacuumed, and every row inserted
    again would first be checked against its dead twin). Readers of the
    tables wait for the rebuild instead.
    """
    tables = list(fills)
    if whole:
        quote = connection.ops.quote_name
        names = ", ".join(quote(table._meta.db_table) for table in tables)
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE %s" % names)
    with _indexes_set_aside(tables, whole):
        return {table: fill() for table, fill in fills.items()}


def _statistics_renewed() -> None:
    """ANALYZE the household-day rows a full rebuild refilled, as autovacuum
    would a while later: until then the planner knows nothing of the new
    rows, and a bucket's refresh right after a first rebuild took 3.5 s
    instead of 40 ms (it looked the households' rows up one by one in a
    table it took for nearly empty). The other tables' refreshes plan well
    without (60 ms each to analyze: a rebuild's tenth)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE %s" % connection.ops.quote_name(DayHousehold._meta.db_table)
        )


def _keys_costed_in_memory() -> None:
    """Let the planner of a refresh's statements cost a row read by key as a
    read from memory, which it is: a refresh reads a few hundred rows by key.
    Costed as disk reads, looking up each session's household was dearer to
    it than hashing every household of the register, 10 ms of a refresh's
    50 at the small seed (30,000 households)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL random_page_cost = 1.1")


def _commit_unwaited() -> None:
    """Let the commit of a rebuild's own transaction return before its WAL is
    on disk.

    The rows are derived: a crash in the instant after the commit can lose
    the refill, bringing back the old rows whole, never a mix, and any later
    commit that waits for the disk makes it durable too.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        # Grouping millions of rows: compiling the expressions pays here (the
        # connections turn it off for requests: config.settings).
        cursor.execute("SET LOCAL jit = on")


def _everything(ward_ids, day_from, day_to) -> bool:
    """A rebuild of every bucket, on PostgreSQL: the tables are emptied whole."""
    whole = ward_ids is None and day_from is None and day_to is None
    return whole and connection.vendor == "postgresql"


@contextmanager
def _indexes_set_aside(tables, everything: bool):
    """Drop the summary tables' keys and indexes while they are refilled, then
    build them again.

    Sorting once to build an index costs a fraction of keeping it up to date
    row by row; the tables are already locked by the TRUNCATE until commit.
    The primary keys go too: no reader looks a summary row up by its id, and
    keeping that index up to date cost an eighth of a rebuild, over three times
    what building it afterwards takes. They come back under their own names,
    so the tables stay as the migrations made them. The builds sort with the
    server's maintenance_work_mem: with 256MB the household index took 2.1 s
    at province scale against 1.7 s with the default 64MB (one sort in memory,
    missing the caches, against sorted runs merged).
    """
    if not everything:
        yield
        return
    quote = connection.ops.quote_name
    keys = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT conname FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'p'",
                [table._meta.db_table],
            )
            keys[table] = [name for (name,) in cursor.fetchall()]
            for name in keys[table]:
                cursor.execute(
                    "ALTER TABLE %s DROP CONSTRAINT %s"
                    % (quote(table._meta.db_table), quote(name))
                )
    with connection.schema_editor() as editor:
        for table in tables:
            for constraint in table._meta.constraints:
                editor.remove_constraint(table, constraint)
            for index in table._meta.indexes:
                editor.remove_index(table, index)
    yield
    with connection.cursor() as cursor:
        for table, names in keys.items():
            for name in names:
                cursor.execute(
                    "ALTER TABLE %s ADD CONSTRAINT %s PRIMARY KEY (%s)"
                    % (
                        quote(table._meta.db_table),
                        quote(name),
                        quote(table._meta.pk.column),
                    )
                )
    with connection.schema_editor() as editor:
        for table in tables:
            for constraint in table._meta.constraints:
                editor.add_constraint(table, constraint)
            for index in table._meta.indexes:
                editor.add_index(table, index)


def _lock_wards(ward_ids):
    """Stamp rows for the wards, locked until commit; return them, and whether
    any was missing (a new stamp moves the versions of its areas).

    A full rebuild (``ward_ids`` None) locks every ward's stamp: reading the
    wards present in millions of raw rows would cost more than the rebuild.
    Only missing stamps are written; the thousands that exist are locked where
    they lie (writing all 3,321 again took 60 ms of a small rebuild's two
    seconds).
    """
    stamps = WardStamp.objects.all()
    wards = Ward.objects.all()
    if ward_ids is not None:
        stamps = stamps.filter(ward__in=ward_ids)
        wards = wards.filter(pk__in=ward_ids)
    missing = list(
        wards.exclude(pk__in=WardStamp.objects.values("ward")).values_list(
            "pk", flat=True
        )
    )
    now = timezone.now()
    WardStamp.objects.bulk_create(
        [
            WardStamp(ward_id=ward, changed_at=now, workshops_changed_at=now)
            for ward in missing
        ],
        ignore_conflicts=True,
        batch_size=BATCH,
    )
    list(
        stamps.select_for_update().order_by("ward_id").values_list("ward_id", flat=True)
    )
    return stamps, bool(missing)


class Span(NamedTuple):
    """The buckets a refresh recomputes: wards (None: all) and days."""

    ward_ids: list[str] | None
    day_from: date | None
    day_to: date | None


def _insert_grouped(
    table, queryset, columns: dict[str, str], span: Span | None, *, outer: str = ""
) -> list[tuple]:
    """``INSERT INTO table (columns) SELECT …`` the grouped rows of ``queryset``
    into emptied tables (``span`` None), or put them in the ``span``'s
    buckets (:func:`_bucket_rows_put`, which returns what it changed).

    ``columns`` maps the summary table's fields to the names the queryset
    selects; or, with ``outer``, to what that select list (over the
    queryset's rows as a subquery) computes in their order. The grouping is
    written once, with the ORM; the rows go from the raw tables to the summary
    table inside the database, never through Python, which is what keeps a
    full rebuild close to a hand-written GROUP BY.

    The SELECT of an INSERT never runs in parallel. Grouping in parallel into
    a scratch table (CREATE TABLE AS) and copying from it was slower: on two
    cores the copy cost more than the workers saved, and at province scale the
    parallel plan for the team rows sorted on disk (7.7 s, against 4.9 s for
    the hash aggregate of one process).
    """
    quote = connection.ops.quote_name
    targets = [table._meta.get_field(name).column for name in columns]
    if not outer:
        queryset = queryset.values_list(*columns.values()).order_by()
    sql, params = queryset.query.sql_with_params()
    if outer:
        sql = "SELECT %s FROM (%s) AS grouped" % (outer, sql)
    if span is not None:
        return _bucket_rows_put(table, targets, sql, list(params), span)
    insert = "INSERT INTO %s (%s) " % (
        quote(table._meta.db_table),
        ", ".join(map(quote, targets)),
    )
    with connection.cursor() as cursor:
        memory = GROUPING_MEMORY.get(table)
        if memory:
            cursor.execute("SET LOCAL work_mem = %s", [memory])
        else:
            cursor.execute("SET LOCAL work_mem TO DEFAULT")
        cursor.execute(insert + sql, params)
    return []


# What a bucket's refresh reports of the rows it changed: the ward, and for
# the household-day rows the household too (reports.reached.previous_fix).
CHANGED = {DayHousehold: ("ward_id", "household_id")}


def _bucket_rows_put(table, columns: list[str], fresh: str, params, span: Span):
    """Make the ``span``'s rows of ``table`` the ``fresh`` SELECT's (its
    columns in the order of ``columns``), writing only the difference.

    The buckets are recomputed whole, never incremented, but only what
    differs is written: a new session in a busy bucket changes a row or two,
    and deleting and inserting again every row of the bucket (hundreds of
    household-day rows) cost a refresh most of its time, left as many dead
    rows behind, and made every household of the bucket look moved. A
    household-day row's previous day is set afterwards (previous_fix), and
    so is neither compared nor updated. Returns the rows changed
    (``CHANGED``).

    On PostgreSQL it is one statement: the stored rows whose key the fresh
    rows hold with other figures are updated, those whose key they lack are
    deleted, and the fresh rows of new keys are inserted (three sets of keys
    apart, so the statement's parts never meet on a row or a key). SQLite has
    no writing in a WITH: there the rows that differ are deleted, then the
    fresh rows missing are inserted.
    """
    quote = connection.ops.quote_name
    keys = [
        table._meta.get_field(field).column
        for constraint in table._meta.constraints
        for field in getattr(constraint, "fields", ())
    ]
    where, where_params = span_where({"ward": "s.ward_id", "day": "s.day"}, *span)
    put = _Put(
        name=quote(table._meta.db_table),
        listed=", ".join(map(quote, columns)),
        figures=[quote(c) for c in columns if c not in keys + ["previous"]],
        same_key=" AND ".join("s.{0} = f.{0}".format(quote(c)) for c in keys),
        where=where,
        returned=", ".join(
            "s." + quote(column) for column in CHANGED.get(table, ("ward_id",))
        ),
    )
    if connection.vendor == "postgresql":
        return _put_postgresql(put, fresh, params + where_params * 2)
    return _put_sqlite(put, fresh, params, where_params)


@dataclass(frozen=True)
class _Put:
    """The pieces of a bucket's write, quoted: the table, its columns, the
    figures compared, the key's match of a stored row ``s`` and a fresh row
    ``f``, the span's condition on ``s`` and what is returned of a change."""

    name: str
    listed: str
    figures: list[str]
    same_key: str
    where: str
    returned: str


def _put_postgresql(put: _Put, fresh: str, params) -> list[tuple]:
    differ = " OR ".join(f"s.{c} IS DISTINCT FROM f.{c}" for c in put.figures)
    name, where, same_key, returned = put.name, put.where, put.same_key, put.returned
    sql = (
        f"WITH fresh ({put.listed}) AS MATERIALIZED ({fresh}),"
        f" changed AS (UPDATE {name} AS s SET "
        + ", ".join(f"{column} = f.{column}" for column in put.figures)
        + f" FROM fresh AS f WHERE {where} AND {same_key}"
        f" AND ({differ or 'FALSE'})"
        f" RETURNING {returned}),"
        f" gone AS (DELETE FROM {name} AS s WHERE {where} AND NOT EXISTS"
        f" (SELECT 1 FROM fresh AS f WHERE {same_key}) RETURNING {returned}),"
        f" added AS (INSERT INTO {name} AS s ({put.listed}) SELECT {put.listed}"
        f" FROM fresh AS f WHERE NOT EXISTS (SELECT 1 FROM {name} AS s"
        f" WHERE {same_key}) RETURNING {returned})"
        " SELECT * FROM changed UNION ALL SELECT * FROM gone"
        " UNION ALL SELECT * FROM added"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _put_sqlite(put: _Put, fresh: str, params, where_params) -> list[tuple]:
    fresh = f"WITH fresh ({put.listed}) AS ({fresh})"
    match = " AND ".join(
        [put.same_key] + [f"s.{column} IS f.{column}" for column in put.figures]
    )
    returned = put.returned.replace("s.", "")
    delete = (
        f"{fresh} DELETE FROM {put.name} AS s WHERE {put.where} AND NOT EXISTS"
        f" (SELECT 1 FROM fresh AS f WHERE {match}) RETURNING {returned}"
    )
    insert = (
        f"{fresh} INSERT INTO {put.name} ({put.listed}) SELECT {put.listed}"
        f" FROM fresh AS f WHERE NOT EXISTS (SELECT 1 FROM {put.name} AS s"
        f" WHERE {match}) RETURNING {returned}"
    )
    with connection.cursor() as cursor:
        cursor.execute(delete, params + where_params)
        changed = cursor.fetchall()
        cursor.execute(insert, params)
        return changed + cursor.fetchall()


def _team_rows(sessions, span: Span | None) -> list[tuple]:
    walk_in = Q(household__isnull=True, resident__isnull=True)
    rows = (
        sessions.values("ward_id", "started_on", "team_id", "team__hamlet_id")
        .annotate(
            n_sessions=Count("pk"),
            n_walk_ins=Count("pk", filter=walk_in),
            n_minutes=Sum("duration_minutes", default=0),
            n_elderly=Count("pk", filter=elderly()),
            n_disability=Count("pk", filter=disability()),
            n_poor=Count("pk", filter=poor()),
            n_priority=Count("pk", filter=priority()),
        )
        .order_by()
    )
    return _insert_grouped(DayTeamStat, rows, TEAM_COLUMNS, span)


def _service_rows(lines, span: Span | None) -> list[tuple]:
    outcome = SessionService.Outcome
    rows = (
        lines.values(
            "session__ward_id",
            "session__started_on",
            "service_type_id",
            "service_type__category",
        )
        .annotate(
            n_done=Count("pk", filter=Q(outcome=outcome.DONE)),
            n_follow_up=Count("pk", filter=Q(outcome=outcome.FOLLOW_UP)),
            n_failed=Count("pk", filter=Q(outcome=outcome.FAILED)),
            n_open=Count(
                "pk", filter=Q(outcome=outcome.FOLLOW_UP, closed_at__isnull=True)
            ),
        )
        .order_by()
    )
    return _insert_grouped(DayServiceStat, rows, SERVICE_COLUMNS, span)


def _member_rows(helpers, span: Span | None) -> list[tuple]:
    rows = (
        helpers.values(
            "assistancesession__ward_id",
            "assistancesession__started_on",
            "member_id",
            "assistancesession__team_id",
        )
        .annotate(n_sessions=Count("assistancesession_id"))
        .order_by()
    )
    return _insert_grouped(DayMemberStat, rows, MEMBER_COLUMNS, span)


def _household_rows(sessions, span: Span | None) -> list[tuple]:
    """A row per household and day, with the household's day before in its
    ward among the rows written (the others': reports.reached.previous_fix),
    and what the register says of the household now (registered in the ward,
    of a priority group: reports.reached.register_follow keeps them so).

    The window runs over the distinct rows (a window in the grouping query
    would see each session), so the grouped rows are its subquery.
    """
    rows = (
        sessions.filter(household__isnull=False)
        .values(
            r_ward=F("ward_id"),
            r_day=F("started_on"),
            r_household=F("household_id"),
            r_hamlet=F("household__hamlet_id"),
            r_registered=REGISTERED,
            r_priority=REGISTERED_PRIORITY,
        )
        .distinct()
        .order_by()
    )
    return _insert_grouped(
        DayHousehold,
        rows,
        HOUSEHOLD_COLUMNS,
        span,
        outer=", ".join(HOUSEHOLD_COLUMNS.values()),
    )


def _workshop_rows(workshops, span: Span | None) -> list[tuple]:
    rows = (
        workshops.values("ward_id", "held_on", "topic", "audience")
        .annotate(
            n_workshops=Count("pk"),
            n_attendees=Sum("attendees", default=0),
            n_women=Sum("women", default=0),
            n_elderly=Sum("elderly", default=0),
            n_disability=Sum("disability", default=0),
            n_poor=Sum("poor", default=0),
        )
        .order_by()
    )
    return _insert_grouped(DayWorkshopStat, rows, WORKSHOP_COLUMNS, span)

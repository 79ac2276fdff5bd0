"""B2 and B3: building the summary tables that dashboards and the API read.

B2 times a full rebuild (``stats_recompute()``, what ``rebuild_stats`` runs)
against the same summary rows written by hand: one ``GROUP BY`` per summary
table, straight SQL into unindexed temporary tables, the least work a
database can do to produce them. It first checks that both give the same
totals, so the baseline does the same job.

B3 records new sessions through the capture service (as the field page and
the API do) in the busiest ward and day of the data, and times the refresh of
that bucket, which a worker runs after each save.

    DATABASE_URL=postgres://…/bench_full python -m benchmarks.b2_b3_stats \
        --scale small --out figures.jsonl

The database must hold seeded data (``seed_demo --scale …``). The rebuild
leaves the summary tables as it found them; the sessions B3 adds are deleted
and their bucket refreshed again at the end.
"""

import argparse
import statistics
import time

from benchmarks.common import Figure, django_setup, figures_write

# One hand-written GROUP BY per summary table (PostgreSQL and SQLite alike);
# the households-per-day rows with their previous day, as the rebuild's.
# Priority groups follow assistance/groups.py.
ELDERLY = """(s.walk_in_age_group = '60_plus' OR s.walk_in_elderly_alone
    OR COALESCE(h.elderly_alone, FALSE)
    OR COALESCE(r.birth_year <= EXTRACT(YEAR FROM s.started_on) - 60, FALSE))"""
DISABILITY = """(s.walk_in_disability OR COALESCE(r.disability, FALSE)
    OR COALESCE(h.disability, FALSE))"""
POOR = "(s.walk_in_poor OR COALESCE(h.poverty IN ('poor', 'near_poor'), FALSE))"
PRIORITY = """(%s OR %s OR %s OR s.walk_in_ethnic_minority OR s.walk_in_no_smartphone
    OR COALESCE(h.ethnic_minority, FALSE) OR COALESCE(h.no_smartphone, FALSE)
    OR COALESCE(r.ethnic_minority, FALSE))""" % (ELDERLY, DISABILITY, POOR)

HAND_WRITTEN = {
    "team": f"""
        SELECT s.ward_id, s.started_on, s.team_id, t.hamlet_id,
               COUNT(*) AS sessions,
               COUNT(*) FILTER (WHERE s.household_id IS NULL
                                  AND s.resident_id IS NULL) AS walk_ins,
               COALESCE(SUM(s.duration_minutes), 0) AS minutes,
               COUNT(*) FILTER (WHERE {ELDERLY}) AS elderly,
               COUNT(*) FILTER (WHERE {DISABILITY}) AS disability,
               COUNT(*) FILTER (WHERE {POOR}) AS poor,
               COUNT(*) FILTER (WHERE {PRIORITY}) AS priority
        FROM assistance_assistancesession s
        JOIN teams_team t ON t.id = s.team_id
        LEFT JOIN households_household h ON h.id = s.household_id
        LEFT JOIN households_resident r ON r.id = s.resident_id
        GROUP BY 1, 2, 3, 4""",
    "service": """
        SELECT s.ward_id, s.started_on, l.service_type_id, st.category,
               COUNT(*) FILTER (WHERE l.outcome = 'done') AS done,
               COUNT(*) FILTER (WHERE l.outcome = 'follow_up') AS follow_up,
               COUNT(*) FILTER (WHERE l.outcome = 'failed') AS failed,
               COUNT(*) FILTER (WHERE l.outcome = 'follow_up'
                                  AND l.closed_at IS NULL) AS open_follow_up
        FROM assistance_sessionservice l
        JOIN assistance_assistancesession s ON s.id = l.session_id
        JOIN assistance_servicetype st ON st.id = l.service_type_id
        GROUP BY 1, 2, 3, 4""",
    "member": """
        SELECT s.ward_id, s.started_on, m.member_id, s.team_id, COUNT(*) AS sessions
        FROM assistance_assistancesession_members m
        JOIN assistance_assistancesession s ON s.id = m.assistancesession_id
        GROUP BY 1, 2, 3, 4""",
    "household": """
        SELECT ward_id, started_on, household_id, hamlet_id,
               lag(started_on) OVER (PARTITION BY ward_id, household_id
                                     ORDER BY started_on) AS previous
        FROM (
          SELECT DISTINCT s.ward_id, s.started_on, s.household_id, h.hamlet_id
          FROM assistance_assistancesession s
          JOIN households_household h ON h.id = s.household_id
        ) AS helped""",
    "workshop": """
        SELECT ward_id, held_on, topic, audience, COUNT(*) AS workshops,
               SUM(attendees) AS attendees, SUM(women) AS women,
               SUM(elderly) AS elderly, SUM(disability) AS disability,
               SUM(poor) AS poor
        FROM training_workshop
        GROUP BY 1, 2, 3, 4""",
}
# What each hand-written table must total to equal the rebuild's.
CHECKS = {
    "team": ("reports_dayteamstat", "sessions + walk_ins + elderly + priority"),
    "service": ("reports_dayservicestat", "done + follow_up + failed"),
    "member": ("reports_daymemberstat", "sessions"),
    "household": (
        "reports_dayhousehold",
        "CASE WHEN previous IS NULL THEN 1 ELSE 2 END",
    ),
    "workshop": ("reports_dayworkshopstat", "attendees"),
}


def hand_written_build(cursor) -> float:
    started = time.perf_counter()
    for name, sql in HAND_WRITTEN.items():
        cursor.execute("DROP TABLE IF EXISTS bench_%s" % name)
        cursor.execute("CREATE TEMPORARY TABLE bench_%s AS %s" % (name, sql))
    return time.perf_counter() - started


def totals_compare(cursor) -> None:
    for name, (table, expression) in CHECKS.items():
        found = []
        for source in ("bench_%s" % name, table):
            cursor.execute(
                "SELECT COUNT(*), COALESCE(SUM(%s), 0) FROM %s" % (expression, source)
            )
            found.append(tuple(int(value) for value in cursor.fetchone()))
        if found[0] != found[1]:
            raise SystemExit(
                "B2: the hand-written %s table (%s) differs from %s (%s)"
                % (name, found[0], table, found[1])
            )


def rebuild_time() -> float:
    from reports.services import stats_recompute

    started = time.perf_counter()
    stats_recompute()
    return time.perf_counter() - started


def b2(repeat: int) -> list[Figure]:
    from django.db import connection

    from assistance.models import AssistanceSession

    with connection.cursor() as cursor:
        baseline = [hand_written_build(cursor) for _ in range(repeat)]
        rebuilds = [rebuild_time() for _ in range(repeat)]
        totals_compare(cursor)
        for name in HAND_WRITTEN:
            cursor.execute("DROP TABLE IF EXISTS bench_%s" % name)
    sessions = AssistanceSession.objects.count()
    return [
        Figure(
            code="B2",
            label="full rebuild of the summary tables",
            value=min(rebuilds),
            unit="s",
            baseline=min(baseline),
            baseline_label="hand-written GROUP BY per table",
            target=("<=", 1.5),
            note="%d sessions; best of %d" % (sessions, repeat),
        )
    ]


def busiest_bucket():
    from django.db.models import Count

    from assistance.models import AssistanceSession

    return (
        AssistanceSession.objects.values("ward_id", "started_on", "team_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )


def b3(runs: int) -> list[Figure]:
    import uuid
    from datetime import datetime, timedelta
    from datetime import time as clock

    from django.utils import timezone

    from assistance.models import AssistanceSession, ServiceType, SessionTombstone
    from assistance.services import ServiceLine, session_record
    from reports.services import bucket_refresh
    from teams.models import Team

    bucket = busiest_bucket()
    team = Team.objects.get(pk=bucket["team_id"])
    member = team.memberships.first().member
    household = team.ward.households.first()
    service = ServiceType.objects.filter(is_active=True).first()
    # Nine in the morning of that day, or a minute ago when that is today and
    # still before nine (a session cannot start in the future).
    started_at = min(
        timezone.make_aware(datetime.combine(bucket["started_on"], clock(9))),
        timezone.now() - timedelta(minutes=1),
    )
    timings, made = [], []
    for _ in range(runs):
        session, _new = session_record(
            client_uuid=uuid.uuid4(),
            team=team,
            members=[member],
            started_at=started_at,
            place=AssistanceSession.Place.HOME,
            services=[ServiceLine(service, "done")],
            source=AssistanceSession.Source.API,
            household=household,
        )
        made.append(session.pk)
        started = time.perf_counter()
        bucket_refresh(ward_id=bucket["ward_id"], day=bucket["started_on"])
        timings.append((time.perf_counter() - started) * 1000)
    AssistanceSession.objects.filter(pk__in=made).delete()
    # Made only to be timed: no client should pull their deletion.
    SessionTombstone.objects.filter(pk__in=made).delete()
    bucket_refresh(ward_id=bucket["ward_id"], day=bucket["started_on"])
    return [
        Figure(
            code="B3",
            label="refresh of a bucket after one new session",
            value=statistics.median(timings),
            unit="ms",
            target=("<=", 50),
            on="value",
            note="median of %d, slowest %.0f ms; bucket of %d sessions"
            % (runs, max(timings), bucket["n"]),
        )
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--out")
    parser.add_argument("--repeat", type=int, default=0, help="B2 runs (best kept)")
    parser.add_argument("--runs", type=int, default=20, help="B3 sessions")
    options = parser.parse_args()
    django_setup()
    repeat = options.repeat or (1 if options.scale == "province" else 2)
    figures_write(options.out, b2(repeat) + b3(options.runs))


if __name__ == "__main__":
    main()

"""B13: the national pages on a year of figures for all 3,321 communes.

Run on a database seeded with ``seed_demo --scale national`` (summary rows
only: the pages read nothing else). Served by gunicorn as in production:

- B13a/B13b, warm: the national dashboard and
  ``/api/v1/stats/?level=national&group=province`` under 20 clients with wrk,
  against ``/api/v1/me/`` signed in the same way (≤ 1.5×);
- B13c/B13d, cold: the first request after the figures changed (one commune's
  stamp moved as a refresh moves it, so every kept page and answer is stale),
  timed alone (≤ 1 s); best and median of several;
- B13e, cold: a province's year by ward and day, first page, the same way;
- B13f: the size of each summary table (``pg_total_relation_size``);
- B13g: a full rebuild of the rollups above the commune, when the platform
  has them (``reports.rollups.rollups_rebuild``).

    DATABASE_URL=postgres://…/bench_national python -m benchmarks.b13_national \\
        --out figures.jsonl
"""

import argparse
import datetime
import importlib
import statistics
import time

from benchmarks.common import Figure, django_setup, figures_write
from benchmarks.http_load import environment_apply, load, login, served

ME = "/api/v1/me/"
DASHBOARD = "/dashboard/national/"
STATS = "/api/v1/stats/?level=national&group=province"
PROVINCE_YEAR = (
    "/api/v1/stats/?level=province&code=%s&group=ward&interval=day"
    "&date_from=%s&date_to=%s"
)
COLD_SECONDS = 1000.0  # ms: the issue's budget for a first view after a change
SUMMARY_TABLES = (
    "reports_dayteamstat",
    "reports_dayservicestat",
    "reports_daymemberstat",
    "reports_dayhousehold",
    "reports_dayworkshopstat",
    "reports_wardregistrystat",
    "reports_hamletregistrystat",
    "reports_teamregistrystat",
    "reports_wardstamp",
)


def accounts() -> dict:
    """The national and province officials' logins, and a key for each."""
    from accounts.api_keys import api_key_issue
    from accounts.models import ApiKey, User
    from demo.scale import SCALE_LOGINS
    from demo.scale_national import NATIONAL_LOGIN

    national = User.objects.get(username=NATIONAL_LOGIN)
    province = User.objects.get(username=SCALE_LOGINS["province"])
    return {
        "national": national.username,
        "province_code": province.province_id,
        "national_key": api_key_issue(
            key=ApiKey(name="Benchmark", level=ApiKey.Level.NATIONAL),
            created_by=national,
        ),
        "province_key": api_key_issue(
            key=ApiKey(
                name="Benchmark",
                level=ApiKey.Level.PROVINCE,
                province=province.province,
            ),
            created_by=province,
        ),
    }


def figures_change(province_code: str) -> None:
    """What a refresh does when a commune's figures move: its stamp, the epoch."""
    from django.utils import timezone

    from reports.models import WardStamp
    from reports.versions import figures_moved

    stamp = WardStamp.objects.filter(ward__province_id=province_code).first()
    stamp.changed_at = timezone.now()
    stamp.save(update_fields=["changed_at"])
    figures_moved()


def cold(server, path: str, headers: dict, province_code: str, runs: int) -> list:
    """Milliseconds of the first request after each of ``runs`` changes."""
    times = []
    for _ in range(runs):
        figures_change(province_code)
        started = time.perf_counter()
        status, _body = server.get(path, {"Accept-Encoding": "gzip", **headers})
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise SystemExit("B13: %s answered %d" % (path, status))
    return times


def year_path(province_code: str) -> str:
    from reports.models import DayTeamStat

    last = DayTeamStat.objects.order_by("-day").values_list("day", flat=True).first()
    first = last - datetime.timedelta(days=365)
    return PROVINCE_YEAR % (province_code, first.isoformat(), last.isoformat())


def span() -> str:
    """The days of figures the database holds, in words."""
    from django.db.models import Max, Min

    from reports.models import DayTeamStat

    days = DayTeamStat.objects.aggregate(first=Min("day"), last=Max("day"))
    count = (days["last"] - days["first"]).days + 1
    return "figures of %d days (%s to %s)" % (count, days["first"], days["last"])


def table_sizes() -> list[tuple[str, int, int]]:
    """(table, rows estimated, bytes with indexes and TOAST), the largest first."""
    from django.db import connection

    with connection.cursor() as cursor:
        # A table never analysed since it was filled estimates no rows at all
        # (the rollups, rebuilt after the seed's ANALYZE): measure it first.
        cursor.execute(
            "SELECT c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = 'public' AND c.reltuples <= 0 "
            "AND c.relname LIKE %s",
            ["reports\\_%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute("ANALYZE %s" % connection.ops.quote_name(name))
        cursor.execute(
            "SELECT c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = 'public' "
            "AND (c.relname = ANY(%s) OR c.relname LIKE 'reports\\_%%rollup%%' "
            "OR c.relname LIKE 'reports\\_province%%' "
            "OR c.relname LIKE 'reports\\_nation%%' "
            "OR c.relname = 'households_household') "
            "ORDER BY 3 DESC",
            [list(SUMMARY_TABLES)],
        )
        return [(name, max(0, rows), size) for name, rows, size in cursor.fetchall()]


def rollups_rebuild_seconds() -> tuple[float | None, str]:
    """Seconds of a full rebuild of the rollups, or None and why not."""
    try:
        rollups = importlib.import_module("reports.rollups")
    except ImportError:
        return None, "no rollups in this version (reports.rollups is missing)"
    rebuild = getattr(rollups, "rollups_rebuild", None)
    if rebuild is None:
        return None, "reports.rollups has no rollups_rebuild()"
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic():
        rebuild()
    return time.perf_counter() - started, "reports.rollups.rollups_rebuild()"


def refresh_ms(province_code: str, runs: int = 5) -> list[float]:
    """Milliseconds of one commune-day's refresh, the rollups' re-sum included.

    What a Celery worker spends per refresh at national scale. Rolled back:
    the seed has no raw sessions, so a refresh kept would empty the bucket.
    """
    from django.db import transaction

    from reports.models import DayTeamStat
    from reports.services import bucket_refresh

    day = DayTeamStat.objects.order_by("-day").values_list("day", flat=True)[0]
    wards = DayTeamStat.objects.filter(
        ward__province_id=province_code, day=day
    ).values_list("ward_id", flat=True)
    times = []
    for ward_id in sorted(set(wards))[:runs]:
        with transaction.atomic():
            started = time.perf_counter()
            bucket_refresh(ward_id=ward_id, day=day)
            times.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    return times


def b13(runs: int) -> list[Figure]:
    import os

    logins = accounts()
    code = logins["province_code"]
    rebuild, rebuild_note = rollups_rebuild_seconds()
    national_key = {"X-Api-Key": logins["national_key"]}
    province_key = {"X-Api-Key": logins["province_key"]}
    year = year_path(code)
    with served(os.environ["DATABASE_URL"], label="national", worker=False) as server:
        session = login(server, logins["national"])
        found = {
            "dashboard_cold": cold(server, DASHBOARD, session, code, runs),
            "stats_cold": cold(server, STATS, national_key, code, runs),
            "year_cold": cold(server, year, province_key, code, runs),
        }
        found["me"] = load(server, ME, label="me (session)", headers=session)
        found["dashboard"] = load(
            server, DASHBOARD, label="national dashboard", headers=session
        )
        found["me_key"] = load(server, ME, label="me (API key)", headers=national_key)
        found["stats"] = load(server, STATS, label="stats API", headers=national_key)
    found["load"] = os.getloadavg()[0]
    sizes = table_sizes()
    found["span"] = span()
    found["refresh"] = refresh_ms(code)
    return figures(found, sizes, rebuild, rebuild_note, runs)


def figures(found, sizes, rebuild, rebuild_note, runs) -> list[Figure]:
    import os

    me, me_key = found["me"], found["me_key"]
    dashboard, stats = found["dashboard"], found["stats"]

    def cold_figure(code, label, times):
        return Figure(
            code, label, min(times), "ms", statistics.median(times),
            "median of %d" % len(times), ("<=", COLD_SECONDS), on="value",
            note="first request after a change, each of %d: %s ms" % (
                len(times), ", ".join("%.0f" % t for t in times)),
        )  # fmt: skip

    result = [
        Figure(
            "B13a", "national dashboard p50, 20 clients", dashboard.p50, "ms",
            me.p50, "/api/v1/me/ p50 (session)", ("<=", 1.5),
            note="%s; load average %.1f on %d cores" % (
                dashboard.note(), found["load"], os.cpu_count() or 1),
        ),
        Figure(
            "B13b", "stats API national by province p50", stats.p50, "ms",
            me_key.p50, "/api/v1/me/ p50 (API key)", ("<=", 1.5),
            note=stats.note(),
        ),
        cold_figure("B13c", "national dashboard, cold", found["dashboard_cold"]),
        cold_figure("B13d", "stats API national by province, cold",
                    found["stats_cold"]),
        cold_figure("B13e", "a province's year by ward, page 1, cold",
                    found["year_cold"]),
    ]  # fmt: skip
    total = sum(size for _name, _rows, size in sizes)
    listed = "; ".join(
        "%s %s rows %.0f MB" % (name, format(rows, ","), size / 2**20)
        for name, rows, size in sizes
    )
    result.append(
        Figure("B13f", "summary tables and households, on disk", total / 2**20,
               "MB", note="%s; %s" % (found["span"], listed))
    )  # fmt: skip
    refresh = found["refresh"]
    result.append(
        Figure("B13h", "one commune-day refresh, rollups included",
               statistics.median(refresh), "ms",
               note="median of %d communes, rolled back: %s ms" % (
                   len(refresh), ", ".join("%.0f" % t for t in refresh)))
    )  # fmt: skip
    if rebuild is not None:
        result.append(
            Figure("B13g", "full rebuild of the rollups", rebuild, "s",
                   note=rebuild_note)
        )  # fmt: skip
    else:
        print("B13g skipped: %s." % rebuild_note)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="national")
    parser.add_argument("--out")
    parser.add_argument("--runs", type=int, default=3, help="cold runs each")
    options = parser.parse_args()
    environment_apply()
    django_setup()
    figures_write(options.out, b13(options.runs))


if __name__ == "__main__":
    main()

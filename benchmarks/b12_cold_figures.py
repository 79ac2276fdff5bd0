"""B12: a province's figures computed afresh (cold) beside kept (warm).

After a figures change each official's first view is computed anew: nothing
kept. Each question is asked through the whole Django stack in this process
(no HTTP server: the figures are what the application spends), once right
after the cache is emptied (cold) and once again (warm, answered from the
kept pages where the answer is kept):

- B12a the province dashboard (its default period), signed in as the
  province's official;
- B12b ``/api/v1/stats/summary/`` of the province, with its API key;
- B12c ``/api/v1/stats/`` of the province by ward and day, 30 days (its
  default period), with its API key;
- B12d ``/api/v1/stats/summary/`` of the nation, with a national API key.

Targets (issue #25): cold dashboard ≤ 0.3 s, cold answers ≤ 0.2 s.

    DATABASE_URL=postgres://…/bench_full python -m benchmarks.b12_cold_figures \\
        --scale small --out figures.jsonl
"""

import argparse
import statistics
import time

from benchmarks.common import Figure, django_setup, figures_write
from benchmarks.http_load import environment_apply

DASHBOARD = "/dashboard/province/%s/"
SUMMARY = "/api/v1/stats/summary/"
STATS = "/api/v1/stats/"


def timed(client, path: str, params: dict | None = None) -> float:
    started = time.perf_counter()
    response = client.get(path, params or {})
    seconds = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit("B12: %s answered %d" % (path, response.status_code))
    return seconds


def measure(client, path: str, params: dict | None, runs: int) -> tuple[list, list]:
    from django.core.cache import cache

    cold, warm = [], []
    for _ in range(runs):
        cache.clear()  # the run's own Redis database: nothing kept
        cold.append(timed(client, path, params))
        warm.append(timed(client, path, params))
    return cold, warm


def clients() -> tuple:
    from django.test import Client

    from accounts.api_keys import api_key_issue
    from accounts.models import ApiKey, User
    from benchmarks.http_load import _accounts_prepare

    logins = _accounts_prepare()
    official = User.objects.get(username=logins["province"])
    session = Client(SERVER_NAME="localhost", HTTP_ACCEPT_ENCODING="gzip")
    session.force_login(official)
    keyed = Client(
        SERVER_NAME="localhost",
        HTTP_X_API_KEY=logins["api_key"],
        HTTP_ACCEPT_ENCODING="gzip",
    )
    national_key = api_key_issue(
        key=ApiKey(name="Benchmark (national)", level=ApiKey.Level.NATIONAL),
        created_by=official,
    )
    national = Client(
        SERVER_NAME="localhost",
        HTTP_X_API_KEY=national_key,
        HTTP_ACCEPT_ENCODING="gzip",
    )
    return logins["province_code"], session, keyed, national


def tables_settled() -> None:
    """VACUUM (ANALYZE) the summary tables, as autovacuum does soon after a
    rebuild or a seed refilled them: until then no index-only scan can skip
    the rows' pages, and a cold answer would time the rebuild's aftermath."""
    from django.apps import apps
    from django.db import connection

    tables = [
        model._meta.db_table for model in apps.get_app_config("reports").get_models()
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute("VACUUM (ANALYZE) %s" % connection.ops.quote_name(table))
        # And the planner's statistics of every other table, as autovacuum
        # keeps them: a seed's areas, teams and members were never analyzed.
        cursor.execute("ANALYZE")


def b12(runs: int) -> list[Figure]:
    tables_settled()
    code, session, keyed, national = clients()
    province = {"level": "province", "code": code}
    questions = [
        ("B12a", "province dashboard", session, DASHBOARD % code, None, 300),
        ("B12b", "stats summary (province)", keyed, SUMMARY, province, 200),
        (
            "B12c",
            "stats 30 days by ward (province)",
            keyed,
            STATS,
            {**province, "group": "ward", "interval": "day"},
            200,
        ),
        ("B12d", "stats summary (national)", national, SUMMARY, None, 200),
    ]
    figures = []
    for code_, label, client, path, params, budget in questions:
        if params is None and path == SUMMARY:
            params = {"level": "national"}
        cold, warm = measure(client, path, params, runs)
        figures.append(
            Figure(
                code=code_,
                label=label + ", cold",
                value=statistics.median(cold) * 1000,
                unit="ms",
                baseline=statistics.median(warm) * 1000,
                baseline_label="the same, warm",
                target=("<=", budget),
                on="value",
                note="median of %d cold (slowest %.0f ms), warm %.0f ms"
                % (runs, max(cold) * 1000, statistics.median(warm) * 1000),
            )
        )
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--out")
    parser.add_argument("--runs", type=int, default=5, help="cold runs")
    options = parser.parse_args()
    environment_apply()
    django_setup()
    figures_write(options.out, b12(options.runs))


if __name__ == "__main__":
    main()

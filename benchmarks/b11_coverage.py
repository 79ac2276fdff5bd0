"""B11: the coverage answer (households reached and not) of a province, by ward.

B11a puts ``/api/v1/stats/coverage/?level=province&code=…&group=ward`` (the
last 30 days, a province's wards) under 20 concurrent clients with the
province's API key, against ``/api/v1/me/`` with the same key on the same
server: what the coverage answer costs beyond authentication. As for B4b, no
client sends If-None-Match, so every request builds its response; the
answer is kept rendered under its ETag, so the load measures what every
reader after the first gets.

B11b times, in this process, the same answer cold (the cache emptied, as
right after the province's figures moved) for the last 30 days and the
last 366 days: what the first reader after a change waits for.

    DATABASE_URL=postgres://…/bench_full python -m benchmarks.b11_coverage \\
        --scale small --out figures.jsonl
"""

import argparse
import datetime
import os
import statistics
import time

from benchmarks.common import Figure, django_setup, figures_write
from benchmarks.http_load import accounts, environment_apply, load, served

ME = "/api/v1/me/"
COVERAGE = "/api/v1/stats/coverage/"


def b11a(database_url: str) -> list[Figure]:
    logins = accounts(database_url)
    key = {"X-Api-Key": logins["api_key"]}
    path = "%s?level=province&code=%s&group=ward" % (COVERAGE, logins["province_code"])
    with served(database_url, label="coverage", worker=False) as server:
        me = load(server, ME, label="me (API key)", headers=key)
        coverage = load(server, path, label="coverage API", headers=key)
    return [
        Figure(
            "B11a", "coverage API (province, by ward) p50", coverage.p50, "ms",
            me.p50, "/api/v1/me/ p50 (API key)", ("<=", 1.5),
            note=coverage.note(),
        ),
        Figure(
            "B11a", "coverage API (province, by ward) p95", coverage.p95, "ms",
            me.p95, "/api/v1/me/ p95 (API key)", note=me.note(),
        ),
    ]  # fmt: skip


def b11b(runs: int) -> list[Figure]:
    from django.core.cache import cache
    from django.test import Client

    from benchmarks.http_load import _accounts_prepare
    from reports.models import DayHousehold

    logins = _accounts_prepare()
    client = Client(SERVER_NAME="localhost", HTTP_X_API_KEY=logins["api_key"])
    last = DayHousehold.objects.order_by("-day").values_list("day", flat=True).first()
    timings = {}
    for days in (30, 366):
        question = {
            "level": "province",
            "code": logins["province_code"],
            "group": "ward",
            "date_from": (last - datetime.timedelta(days=days - 1)).isoformat(),
            "date_to": last.isoformat(),
        }
        cold, warm = [], []
        for _ in range(runs):
            cache.clear()  # the run's own Redis database: nothing kept
            for found in (cold, warm):
                started = time.perf_counter()
                response = client.get(COVERAGE, question)
                found.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise SystemExit("B11: coverage answered %d" % response.status_code)
        rows = len(response.json()["results"])
        timings[days] = (min(cold), statistics.median(warm), rows)
    return [
        Figure(
            "B11b",
            "coverage API, province by ward, %d days, cold" % days,
            cold,
            "ms",
            warm,
            "the same answer, warm (kept)",
            note="%d wards; best of %d" % (rows, runs),
        )
        for days, (cold, warm, rows) in timings.items()
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--out")
    parser.add_argument("--runs", type=int, default=3, help="cold runs (best kept)")
    options = parser.parse_args()
    environment_apply()
    figures = b11a(os.environ["DATABASE_URL"])
    django_setup()
    figures_write(options.out, figures + b11b(options.runs))


if __name__ == "__main__":
    main()

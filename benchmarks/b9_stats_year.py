"""B9: a province's year of statistics by ward and day, cold and warm.

The heaviest pull of ``/api/v1/stats/``: ``level=province&group=ward&interval=day``
over the last 366 days of the data, with the province API key, through the
whole Django stack in this process (no HTTP server: the figures are what the
application spends). Cold is after the cache is emptied, as right after the
province's figures moved: nothing kept, every page computed; warm is the same
requests again, answered from the kept pages. B9a times the first page,
B9b the whole year followed page by page through ``next``.

    DATABASE_URL=postgres://…/bench_full python -m benchmarks.b9_stats_year \\
        --scale small --out figures.jsonl
"""

import argparse
import datetime
import gzip
import json
import statistics
import time

from benchmarks.common import Figure, django_setup, figures_write
from benchmarks.http_load import environment_apply

STATS = "/api/v1/stats/"


def year_question(code: str) -> dict:
    from reports.models import DayTeamStat

    last = DayTeamStat.objects.order_by("-day").values_list("day", flat=True).first()
    return {
        "level": "province",
        "code": code,
        "group": "ward",
        "interval": "day",
        "date_from": (last - datetime.timedelta(days=365)).isoformat(),
        "date_to": last.isoformat(),
    }


def answer(response) -> dict:
    content = response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return json.loads(content)


def pages_pull(client, question: dict) -> tuple[float, float, int, int]:
    """(seconds to the first page, seconds for every page, rows, pages)."""
    started = time.perf_counter()
    response = client.get(STATS, question)
    first = time.perf_counter() - started
    rows, pages = 0, 0
    while True:
        if response.status_code != 200:
            raise SystemExit("B9: %s answered %d" % (STATS, response.status_code))
        body = answer(response)
        rows += len(body["results"])
        pages += 1
        if not body["next"]:
            break
        response = client.get(body["next"])
    return first, time.perf_counter() - started, rows, pages


def measure(client, question: dict, runs: int) -> dict:
    from django.core.cache import cache

    cold, warm = [], []
    for _ in range(runs):
        cache.clear()  # the run's own Redis database: nothing kept
        cold.append(pages_pull(client, question))
        warm.append(pages_pull(client, question))
    return {"cold": cold, "warm": warm}


def b9(runs: int) -> list[Figure]:
    from django.test import Client

    from benchmarks.http_load import _accounts_prepare

    logins = _accounts_prepare()
    question = year_question(logins["province_code"])
    client = Client(
        SERVER_NAME="localhost",
        HTTP_X_API_KEY=logins["api_key"],
        HTTP_ACCEPT_ENCODING="gzip",
    )
    found = measure(client, question, runs)
    cold, warm = found["cold"], found["warm"]
    _first, _all, rows, pages = cold[0]
    note = "%d rows in %d pages of 1,000 (the whole year: %d days); best of %d" % (
        rows,
        pages,
        366,
        runs,
    )
    return [
        Figure(
            code="B9a",
            label="stats year by ward, first page, cold",
            value=min(run[0] for run in cold) * 1000,
            unit="ms",
            baseline=statistics.median(run[0] for run in warm) * 1000,
            baseline_label="the same page, warm (kept)",
            note=note,
        ),
        Figure(
            code="B9b",
            label="stats year by ward, every page, cold",
            value=min(run[1] for run in cold) * 1000,
            unit="ms",
            baseline=statistics.median(run[1] for run in warm) * 1000,
            baseline_label="every page, warm (kept)",
            note="%d pages followed through next" % pages,
        ),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--out")
    parser.add_argument("--runs", type=int, default=3, help="cold runs (best kept)")
    options = parser.parse_args()
    environment_apply()
    django_setup()
    figures_write(options.out, b9(options.runs))


if __name__ == "__main__":
    main()

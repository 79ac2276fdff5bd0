"""B4: the province dashboard and the statistics API under 20 concurrent clients.

B4a/B4b compare each with the cheapest authenticated request (``/api/v1/me/``,
signed in the same way) on the same server: what the page or the pull costs
beyond authentication. B4c/B4d compare the full database with one holding 1 %
of the sessions (``BENCH_LOW_DATABASE_URL``, served on its own afterwards):
dashboards read summary tables, so the number of raw sessions must barely
matter.

    python -m benchmarks.b4_dashboards --scale small --out figures.jsonl
"""

import argparse
import os

from benchmarks.common import Figure, figures_write
from benchmarks.http_load import accounts, environment_apply, load, login, served

ME = "/api/v1/me/"
DASHBOARD = "/dashboard/province/%s/"  # its default period
# What a provincial data warehouse pulls: the last 30 days, day by day, ward
# by ward (no If-None-Match, so every request computes its answer).
STATS = "/api/v1/stats/?level=province&code=%s&interval=day&group=ward"


def measure(database_url: str, label: str, *, baselines: bool) -> dict:
    logins = accounts(database_url)
    code = logins["province_code"]
    key = {"X-Api-Key": logins["api_key"]}
    with served(database_url, label=label, worker=baselines) as server:
        session = login(server, logins["province"])
        found = {}
        if baselines:
            found["me"] = load(server, ME, label="me (session)", headers=session)
        found["dashboard"] = load(
            server, DASHBOARD % code, label="province dashboard", headers=session
        )
        if baselines:
            found["me_key"] = load(server, ME, label="me (API key)", headers=key)
        found["stats"] = load(server, STATS % code, label="stats API", headers=key)
    return found


def figures(full: dict, low: dict | None, low_note: str) -> list[Figure]:
    me, dashboard = full["me"], full["dashboard"]
    me_key, stats = full["me_key"], full["stats"]
    result = [
        Figure(
            "B4a", "province dashboard p50, 20 clients", dashboard.p50, "ms",
            me.p50, "/api/v1/me/ p50 (session)", ("<=", 1.5),
            note=dashboard.note(),
        ),
        Figure(
            "B4a", "province dashboard p95, 20 clients", dashboard.p95, "ms",
            me.p95, "/api/v1/me/ p95 (session)", note=me.note(),
        ),
        Figure(
            "B4b", "stats API (province, day × ward) p50", stats.p50, "ms",
            me_key.p50, "/api/v1/me/ p50 (API key)", ("<=", 1.5),
            note=stats.note(),
        ),
        Figure(
            "B4b", "stats API (province, day × ward) p95", stats.p95, "ms",
            me_key.p95, "/api/v1/me/ p95 (API key)", note=me_key.note(),
        ),
    ]  # fmt: skip
    if low is None:
        print("B4c/B4d skipped: no database with 1 % of the sessions (%s)." % low_note)
        return result
    result += [
        Figure(
            "B4c", "dashboard p50, full vs 1 % sessions", dashboard.p50, "ms",
            low["dashboard"].p50, "same, 1 % of the sessions", ("<=", 1.2),
            note="low: " + low["dashboard"].note(),
        ),
        Figure(
            "B4d", "stats API p50, full vs 1 % sessions", stats.p50, "ms",
            low["stats"].p50, "same, 1 % of the sessions", ("<=", 1.2),
            note="low: " + low["stats"].note(),
        ),
    ]  # fmt: skip
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--out")
    options = parser.parse_args()
    environment_apply()
    full = measure(os.environ["DATABASE_URL"], "full", baselines=True)
    low_url = os.environ.get("BENCH_LOW_DATABASE_URL")
    low = measure(low_url, "low", baselines=False) if low_url else None
    figures_write(options.out, figures(full, low, "BENCH_LOW_DATABASE_URL unset"))


if __name__ == "__main__":
    main()

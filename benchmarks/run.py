"""Run the benchmark suite on fresh databases and print one table.

    bash benchmarks/run.sh [--scale small|ward|province|national] [--only B4,B5]
        [--strict]

Three PostgreSQL databases are made anew (dropped first if they exist):
``bench_scratch`` (migrated, areas loaded, nothing else: imports start from
it), ``bench_full`` (``seed_demo --scale S``) and ``bench_low`` (the same with
1 % of the sessions, for the figures that must not grow with the sessions).
Each benchmark module runs in its own process with ``DATABASE_URL`` set and
appends its figures to one JSON-lines file; a module not written yet is
skipped with a line saying so.

``--scale national`` is a run of its own (CI never runs it): one database,
``bench_national``, holding a year of summary rows for all 3,321 communes
(``seed_demo --scale national``), and the national benchmark (B13) alone.

The exit code is non-zero only when a benchmark crashed (or, with
``--strict``, when a target is missed too): a missed target is a finding, not
a broken run.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import http_load  # noqa: E402
from benchmarks.common import (  # noqa: E402
    ROOT,
    Figure,
    figures_read,
    table_header,
    table_line,
)

# (module, database it runs on, codes of its figures), in the order they run:
# the readers before the capture benchmark adds sessions to bench_full, and
# the official's daily tasks (which import households into it) last.
MODULES = [
    ("b1_import", "scratch", ("B1", "B6")),
    ("b2_b3_stats", "full", ("B2", "B3")),
    ("b8_exports", "full", ("B8a", "B8b", "B8d")),
    ("b4_dashboards", "full", ("B4a", "B4b", "B4c", "B4d")),
    ("b11_coverage", "full", ("B11a", "B11b")),
    ("b9_stats_year", "full", ("B9a", "B9b")),
    ("b12_cold_figures", "full", ("B12a", "B12b", "B12c", "B12d")),
    ("b5_capture", "full", ("B5", "B8c")),
    ("b7_page_weight", "full", ("B7",)),
    ("b10_daily_tasks", "full", ("B10a", "B10b", "B10c")),
]
# --scale national: the national pages on a year of every commune's figures.
NATIONAL_MODULES = [
    ("b13_national", "national",
     ("B13a", "B13b", "B13c", "B13d", "B13e", "B13f", "B13g", "B13h")),
]  # fmt: skip
# BENCH_DATABASE_PREFIX lets two runs share one PostgreSQL server.
PREFIX = os.environ.get("BENCH_DATABASE_PREFIX", "bench")
DATABASES = {
    kind: "%s_%s" % (PREFIX, kind) for kind in ("scratch", "full", "low", "national")
}
# How the figures are reached and what moves them: kept beside the code that
# measures them, and copied under each run's table in its results file.
NOTES = ROOT / "benchmarks" / "NOTES.md"
MODULE_TIMEOUT = int(os.environ.get("BENCH_MODULE_TIMEOUT", str(3 * 3600)))


def server_url() -> str:
    """The PostgreSQL server, from BENCH_DATABASE_URL or BENCH_DATABASE_HOST."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        host = os.environ.get("BENCH_DATABASE_HOST", "127.0.0.1:5432")
        url = "postgres://postgres@%s/" % host
    return url


def database_url(name: str) -> str:
    return urllib.parse.urlsplit(server_url())._replace(path="/" + name).geturl()


def code_matches(code: str, ask: str) -> bool:
    """``ask`` names ``code`` or its family ("B8" names "B8c", not "B80")."""
    code, ask = code.upper(), ask.upper()
    return code == ask or (code.startswith(ask) and code[len(ask)].isalpha())


def selected(
    only: str | None, scale: str = "small"
) -> list[tuple[str, str, tuple[str, ...]]]:
    """The modules whose figures ``only`` asks for ("B4,B8c"; all when empty)."""
    modules = NATIONAL_MODULES if scale == "national" else MODULES
    if not only:
        return list(modules)
    asked = [code.strip().upper() for code in only.split(",") if code.strip()]
    return [
        module
        for module in modules
        if any(code_matches(code, ask) for code in module[2] for ask in asked)
    ]


def targets_summary(figures: list[Figure]) -> tuple[int, int]:
    """(met, targeted): the figures with a target, and how many meet it."""
    targeted = [figure for figure in figures if figure.target is not None]
    return sum(1 for figure in targeted if figure.met), len(targeted)


def exit_code(crashed: list[str], figures: list[Figure], *, strict: bool) -> int:
    if crashed:
        return 1
    if strict:
        met, targeted = targets_summary(figures)
        return 0 if met == targeted else 1
    return 0


# Databases


def _admin_connection():
    import psycopg2

    connection = psycopg2.connect(database_url("postgres"))
    connection.autocommit = True
    return connection


def postgres_version() -> str:
    with _admin_connection() as connection, connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0].split()[0]


def database_create(name: str, template: str | None = None) -> None:
    from psycopg2 import sql

    connection = _admin_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)
                )
            )
            create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if template:
                create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
            cursor.execute(create)
    finally:
        connection.close()


def manage(*arguments: str, database: str) -> float:
    """Run a management command on ``database``; return its seconds."""
    start = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(database)},
        check=True,
    )
    return time.monotonic() - start


def seed_supports_scale() -> bool:
    done = subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return "--scale" in done.stdout


def databases_prepare(scale: str, needed: set[str]) -> list[str]:
    """Make the databases anew; return lines saying how long each took."""
    lines = []
    scratch = DATABASES["scratch"]
    database_create(scratch)
    seconds = manage("migrate", "--noinput", "-v0", database=scratch)
    seconds += manage("load_areas", database=scratch)
    lines.append("%s: migrated and areas loaded in %.0f s" % (scratch, seconds))
    for kind in ("full", "low"):
        if kind in needed:
            database_create(DATABASES[kind], template=scratch)
        else:
            database_create(DATABASES[kind])  # emptied: no stale data left
    with_scale = seed_supports_scale()
    if not with_scale:
        lines.append(
            "seed_demo has no --scale yet: the plain demo seed stands in "
            "(figures are not at scale %s)" % scale
        )
    for kind in ("full", "low"):
        if kind not in needed:
            continue
        command = ["seed_demo", "--allow-without-debug"]
        if with_scale:
            command += ["--scale", scale]
            if kind == "low":
                command += ["--sessions", str(low_sessions(scale))]
        seconds = manage(*command, database=DATABASES[kind])
        lines.append("%s: %s in %.0f s" % (DATABASES[kind], " ".join(command), seconds))
    return lines


def national_prepare() -> list[str]:
    """``bench_national`` anew: migrated, areas loaded, every commune seeded."""
    name = DATABASES["national"]
    database_create(name)
    seconds = manage("migrate", "--noinput", "-v0", database=name)
    seconds += manage("load_areas", database=name)
    lines = ["%s: migrated and areas loaded in %.0f s" % (name, seconds)]
    command = ["seed_demo", "--allow-without-debug", "--scale", "national"]
    # A year by default; BENCH_NATIONAL_DAYS seeds fewer days (a quicker run).
    days = os.environ.get("BENCH_NATIONAL_DAYS")
    if days:
        command += ["--days", days]
    seconds = manage(*command, database=name)
    lines.append("%s: %s in %.0f s" % (name, " ".join(command), seconds))
    return lines


def low_sessions(scale: str) -> int:
    from benchmarks.common import django_setup

    django_setup()
    from demo.scale import SCALES

    return max(1, SCALES[scale]["sessions"] // 100)


def queues_empty() -> None:
    """Drop what the seeds queued: a backlog would run during the load tests."""
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()


# The run


def machine() -> str:
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = "%.0f GiB RAM" % (int(line.split()[1]) / 1024**2)
    except OSError:
        pass
    return "%d cores, %s, PostgreSQL %s, Python %s" % (
        os.cpu_count() or 1,
        memory,
        postgres_version(),
        platform.python_version(),
    )


def module_run(name: str, database: str, scale: str, out: Path) -> str | None:
    """Run one benchmark module; return why it did not finish, or None."""
    if not (ROOT / "benchmarks" / ("%s.py" % name)).is_file():
        return "skipped"
    print("\n==> %s on %s" % (name, DATABASES[database]), flush=True)
    environ = {
        **os.environ,
        "DATABASE_URL": database_url(DATABASES[database]),
        "BENCH_LOW_DATABASE_URL": database_url(DATABASES["low"]),
        "BENCH_SCRATCH_DATABASE_URL": database_url(DATABASES["scratch"]),
    }
    start = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.%s" % name, "--scale", scale,
             "--out", str(out)],
            cwd=ROOT,
            env=environ,
            timeout=MODULE_TIMEOUT,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return "crashed (timed out after %d s)" % MODULE_TIMEOUT
    print("    %s took %.0f s" % (name, time.monotonic() - start), flush=True)
    return None if done.returncode == 0 else "crashed (exit %d)" % done.returncode


def report(
    *,
    scale: str,
    started: datetime,
    preamble: list[str],
    figures: list[Figure],
    outcomes: dict[str, str],
    seconds: float,
) -> str:
    met, targeted = targets_summary(figures)
    lines = [
        "Benchmarks at scale %s, %s" % (scale, started.strftime("%Y-%m-%d %H:%M")),
        "Machine: %s" % machine(),
        *preamble,
        "",
        table_header(),
        *(table_line(figure) for figure in figures),
        "",
    ]
    lines += [
        "%-4s %s" % (figure.code, figure.note) for figure in figures if figure.note
    ]
    for name, outcome in outcomes.items():
        if outcome == "skipped":
            lines.append(
                "%s: not run, benchmarks/%s.py does not exist yet" % (name, name)
            )
        else:
            lines.append("%s: %s, see its output above" % (name, outcome.upper()))
    lines += [
        "Whole run: %.0f s" % seconds,
        "%d of %d targets met" % (met, targeted),
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run the benchmark suite.")
    parser.add_argument(
        "--scale",
        default="small",
        choices=("ward", "small", "province", "national"),
    )
    parser.add_argument("--only", help="comma-separated codes, e.g. B4,B8c")
    parser.add_argument(
        "--strict", action="store_true", help="fail the run when a target is missed"
    )
    parser.add_argument(
        "--reuse-databases",
        action="store_true",
        help="run on the bench_* databases of an earlier run, as they are now",
    )
    options = parser.parse_args(argv)
    http_load.environment_apply()
    start = time.monotonic()
    started = datetime.now()
    modules = selected(options.only, options.scale)
    if not modules:
        parser.error("no benchmark has the codes %s" % options.only)

    folder = Path(os.environ.get("BENCH_RUN_DIR") or tempfile.mkdtemp(prefix="bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["VAR_DIR"] = str(folder)
    print("==> Run folder (logs, static files): %s" % folder, flush=True)
    out = folder / "figures.jsonl"
    out.unlink(missing_ok=True)

    needed = {database for _name, database, _codes in modules}
    if any(name == "b4_dashboards" for name, *_rest in modules):
        needed.add("low")
    print("==> Databases", flush=True)
    if options.reuse_databases:
        preamble = ["Databases of an earlier run, reused as they are"]
    elif options.scale == "national":
        preamble = national_prepare()
    else:
        preamble = databases_prepare(options.scale, needed)
    queues_empty()
    for line in preamble:
        print("    " + line, flush=True)
    preamble.append(
        "Served by gunicorn %s, %d workers%s, DEBUG off, Redis %s; "
        "API_STATS_RATE=%s, API_CAPTURE_RATE=%s for the load (not the "
        "production defaults)"
        % (
            http_load.WORKER_CLASS,
            http_load.workers(),
            " × %d threads" % http_load.THREADS
            if http_load.WORKER_CLASS == "gthread"
            else "",
            os.environ["REDIS_URL"],
            os.environ["API_STATS_RATE"],
            os.environ["API_CAPTURE_RATE"],
        )
    )
    http_load.static_collect(dict(os.environ))

    outcomes = {}
    for name, database, _codes in modules:
        outcome = module_run(name, database, options.scale, out)
        if outcome:
            outcomes[name] = outcome
            print("    %s: %s" % (name, outcome), flush=True)
    figures = figures_read(out) if out.exists() else []
    text = report(
        scale=options.scale,
        started=started,
        preamble=preamble,
        figures=figures,
        outcomes=outcomes,
        seconds=time.monotonic() - start,
    )
    print("\n" + text)
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    # A partial run (--only) keeps its own file: it never replaces a full one.
    only = "-" + options.only.replace(",", "-") if options.only else ""
    saved = results / (
        "%s-%s%s.txt" % (started.strftime("%Y-%m-%d"), options.scale, only)
    )
    saved.write_text(
        text + "\n\n" + NOTES.read_text(encoding="utf-8"), encoding="utf-8"
    )
    print("(saved in %s)" % saved.relative_to(ROOT))
    crashed = [name for name, outcome in outcomes.items() if outcome != "skipped"]
    return exit_code(crashed, figures, strict=options.strict)


if __name__ == "__main__":
    sys.exit(main())

"""The backup and restore drill, run for real on a PostgreSQL server.

    python -m benchmarks.restore_drill [--demo] [--database bench_full]
        [--settle] [--prefix drill_]

For each source database (``--demo``: the demo seeded into a fresh database
``<prefix>demo``; ``--database NAME``: an existing one, at CI the small-scale
``bench_full`` the benchmarks left, with ``--settle`` because their last
sessions may still owe their summary refreshes): ``scripts/backup.sh`` backs
it up,
``scripts/restore.sh`` brings the backup into a fresh database
``<prefix>restored``, and then

* every table of the public schema has the same number of rows in both;
* the sessions and their service lines have the same checksum (md5 of every
  row, in id order);
* the summary tables, emptied and rebuilt by ``rebuild_stats`` from the
  restored raw rows, equal the source's (row counts and md5 of their contents,
  without ids and refresh times);
* the platform, on the restored database, answers ``/healthz`` with "ok" and a
  signed-in page with 200.

It prints the backup size and time, the restore time and the rebuild time, and
writes them to ``benchmarks/results/<date>-restore-drill.txt``. The exit code
is non-zero on any mismatch. The databases it creates are dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent

# The summary tables rebuild_stats computes from the raw rows.
SUMMARY_TABLES = (
    "reports_dayteamstat",
    "reports_dayservicestat",
    "reports_daymemberstat",
    "reports_dayhousehold",
    "reports_dayworkshopstat",
    "reports_wardregistrystat",
    "reports_teamregistrystat",
    "reports_hamletregistrystat",
)
# The raw rows whose every byte must come back.
CHECKSUMMED = ("assistance_assistancesession", "assistance_sessionservice")

# Signs a person in on the restored database with Django's test client and
# prints what /healthz and a signed-in page answered.
PLATFORM_CHECK = """
import json
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
client = Client()
health = client.get("/healthz")
users = get_user_model().objects.filter(is_active=True)
# Someone who signs in with a password alone (two-factor is for some roles).
user = users.exclude(role__in=settings.MFA_REQUIRED_ROLES).order_by("id").first()
client.force_login(user)
page = client.get("/", follow=True)
print("DRILL " + json.dumps({
    "healthz": health.status_code,
    "health": json.loads(health.content).get("status"),
    "page": page.status_code,
    "path": page.request["PATH_INFO"],
}))
"""


@dataclass
class Drill:
    source: str
    backup_bytes: int = 0
    backup_s: float = 0.0
    restore_s: float = 0.0
    pg_restore_s: float = 0.0
    rebuild_s: float = 0.0
    tables: int = 0
    rows: int = 0
    sessions: int = 0
    page: str = ""
    settled: int = 0
    problems: list[str] = field(default_factory=list)


def database_url(server: str, name: str) -> str:
    return urllib.parse.urlsplit(server)._replace(path="/" + name).geturl()


def connect(url: str):
    connection = psycopg2.connect(url, connect_timeout=10)
    connection.autocommit = True
    return connection


def recreate(server: str, name: str, drop_only: bool = False) -> None:
    connection = connect(database_url(server, "postgres"))
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        if not drop_only:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def exists(server: str, name: str) -> bool:
    connection = connect(database_url(server, "postgres"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cursor.fetchone() is not None
    connection.close()
    return found


def row_counts(url: str) -> dict[str, int]:
    connection = connect(url)
    counts = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "ORDER BY tablename"
        )
        for (table,) in cursor.fetchall():
            cursor.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            )
            counts[table] = cursor.fetchone()[0]
    connection.close()
    return counts


def row_checksums(url: str) -> dict[str, str]:
    """md5 of every row of the sessions and their service lines, in id order."""
    connection = connect(url)
    sums = {}
    with connection.cursor() as cursor:
        for table in CHECKSUMMED:
            cursor.execute(
                sql.SQL(
                    "SELECT md5(coalesce("
                    "string_agg(t::text, E'\\n' ORDER BY t.id), '')) FROM {} t"
                ).format(sql.Identifier(table))
            )
            sums[table] = cursor.fetchone()[0]
    connection.close()
    return sums


def summary_checksums(url: str) -> dict[str, tuple[int, str]]:
    """Each summary table's rows and md5, without ids and times of refresh.

    A rebuild numbers its rows anew and stamps them with its own time, so the
    comparison is of the figures and their keys, sorted.
    """
    connection = connect(url)
    sums = {}
    with connection.cursor() as cursor:
        for table in SUMMARY_TABLES:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = %s "
                "AND column_name <> 'id' AND data_type NOT LIKE 'timestamp%%' "
                "ORDER BY column_name",
                [table],
            )
            columns = [sql.Identifier(name) for (name,) in cursor.fetchall()]
            cursor.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce("
                    "string_agg(r, E'\\n' ORDER BY r), '')) "
                    "FROM (SELECT ROW({})::text AS r FROM {}) t"
                ).format(sql.SQL(", ").join(columns), sql.Identifier(table))
            )
            count, digest = cursor.fetchone()
            sums[table] = (count, digest)
    connection.close()
    return sums


def run(command: list[str], env: dict, timeout: int = 600) -> str:
    done = subprocess.run(
        command,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(
            "%s failed (%d):\n%s%s"
            % (" ".join(command), done.returncode, done.stdout, done.stderr)
        )
    return done.stdout


# The drill's own run-time folder (hashed static files, cache), made in main().
VAR_DIR = ""


def django_env(url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=url, PYTHON=sys.executable)
    if VAR_DIR:
        env["VAR_DIR"] = VAR_DIR
        env.pop("STATIC_ROOT", None)
    env.setdefault(
        "SECRET_KEY", "restore-drill-only-secret-not-for-production-0123456789"
    )
    env.setdefault("DEBUG", "0")
    env["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    env["SECURE_SSL_REDIRECT"] = "0"
    return env


def seed_demo(server: str, name: str) -> float:
    recreate(server, name)
    env = django_env(database_url(server, name))
    started = time.perf_counter()
    manage = [sys.executable, "manage.py"]
    run(manage + ["migrate", "--noinput", "-v0"], env)
    run(manage + ["seed_demo", "--allow-without-debug"], env)
    return time.perf_counter() - started


def pending_refreshes(url: str) -> int:
    connection = connect(url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reports_pendingrefresh")
        count = cursor.fetchone()[0]
    connection.close()
    return count


def drill(
    server: str, source: str, target: str, label: str, settle: bool = False
) -> Drill:
    result = Drill(source=label)
    source_url = database_url(server, source)
    target_url = database_url(server, target)
    # Summary tables still owing a refresh (a capture's refresh waits a few
    # seconds for the next ones) cannot equal a rebuild yet.
    pending = pending_refreshes(source_url)
    if pending and not settle:
        result.problems.append(
            "%s owes %d summary refreshes: its summary tables are not up to date "
            "with its sessions (run with --settle to rebuild them first)"
            % (source, pending)
        )
        return result
    if settle:
        # Registry figures follow their schedule, not a queue: a bulk import
        # (the benchmarks' B10) leaves them behind with nothing pending.
        run([sys.executable, "manage.py", "rebuild_stats"], django_env(source_url))
        result.settled = pending
    counts = row_counts(source_url)
    sums = row_checksums(source_url)
    summaries = summary_checksums(source_url)
    result.tables = len(counts)
    result.rows = sum(counts.values())
    result.sessions = counts.get("assistance_assistancesession", 0)

    with tempfile.TemporaryDirectory(prefix="drill-") as folder:
        env = django_env(source_url)
        env["BACKUP_DIR"] = folder
        env.pop("BACKUP_OFFSITE_DIR", None)
        started = time.perf_counter()
        run(["bash", "scripts/backup.sh"], env)
        result.backup_s = time.perf_counter() - started
        (dump,) = Path(folder).glob("*.dump")
        result.backup_bytes = dump.stat().st_size

        recreate(server, target, drop_only=True)
        started = time.perf_counter()
        output = run(
            ["bash", "scripts/restore.sh", str(dump), target_url],
            django_env(target_url),
        )
        result.restore_s = time.perf_counter() - started
        found = re.search(r"pg_restore of .*: ([0-9.]+) s", output)
        result.pg_restore_s = float(found.group(1)) if found else 0.0

    restored = row_counts(target_url)
    for table in sorted(set(counts) | set(restored)):
        if counts.get(table) != restored.get(table):
            result.problems.append(
                "%s: %s rows in the source, %s restored"
                % (table, counts.get(table), restored.get(table))
            )
    for table, digest in row_checksums(target_url).items():
        if digest != sums[table]:
            result.problems.append("%s: checksum differs" % table)

    # The summary tables emptied, then rebuilt from the restored raw rows.
    connection = connect(target_url)
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("TRUNCATE {}").format(
                sql.SQL(", ").join(sql.Identifier(t) for t in SUMMARY_TABLES)
            )
        )
    connection.close()
    started = time.perf_counter()
    run([sys.executable, "manage.py", "rebuild_stats"], django_env(target_url))
    result.rebuild_s = time.perf_counter() - started
    for table, (count, digest) in summary_checksums(target_url).items():
        if (count, digest) != summaries[table]:
            result.problems.append(
                "%s: rebuilt %d rows (md5 %s), the source has %d (md5 %s)"
                % (
                    table,
                    count,
                    digest[:8],
                    summaries[table][0],
                    summaries[table][1][:8],
                )
            )

    output = run(
        [sys.executable, "manage.py", "shell", "-c", PLATFORM_CHECK],
        django_env(target_url),
    )
    line = next(x for x in output.splitlines() if x.startswith("DRILL "))
    answer = json.loads(line[len("DRILL ") :])
    if answer["healthz"] != 200 or answer["health"] != "ok":
        result.problems.append("/healthz answered %s" % answer)
    result.page = answer["path"]
    if answer["page"] != 200 or answer["path"].startswith("/accounts/"):
        result.problems.append("the signed-in page answered %s" % answer)
    return result


def report(drills: list[Drill], extra: list[str]) -> str:
    lines = [
        "Backup and restore drill, %s" % time.strftime("%Y-%m-%d %H:%M"),
        "Machine: %d cores, PostgreSQL client %s"
        % (
            os.cpu_count() or 0,
            subprocess.run(
                ["pg_dump", "--version"], capture_output=True, text=True
            ).stdout.split()[2],
        ),
        *extra,
        "",
        "%-22s %10s %9s %10s %10s %9s %8s %10s %9s"
        % (
            "source",
            "sessions",
            "rows",
            "backup",
            "backup s",
            "restore s",
            "of it pg",
            "rebuild s",
            "result",
        ),
    ]
    for d in drills:
        lines.append(
            "%-22s %10d %9d %7.1f MB %10.1f %9.1f %8.1f %10.1f %9s"
            % (
                d.source,
                d.sessions,
                d.rows,
                d.backup_bytes / 1048576,
                d.backup_s,
                d.restore_s,
                d.pg_restore_s,
                d.rebuild_s,
                "FAILED" if d.problems else "ok",
            )
        )
        if d.page:
            lines.append("  signed-in page on the restored database: %s" % d.page)
        if d.settled:
            lines.append(
                "  rebuild_stats ran on the source first: it owed %d refreshes"
                % d.settled
            )
        lines += ["  " + problem for problem in d.problems]
    lines += [
        "",
        "restore s: scripts/restore.sh whole (pg_restore, migrate, rebuild_stats);",
        "of it pg: pg_restore alone; rebuild s: rebuild_stats again after emptying",
        "the summary tables. Checked on each: every table's row count, md5 of every",
        "session and service line, the rebuilt summary tables equal to the source's,",
        "/healthz ok and a signed-in page 200 on the restored database.",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Run the backup and restore drill.")
    parser.add_argument(
        "--demo", action="store_true", help="drill on the demo, seeded anew"
    )
    parser.add_argument(
        "--database",
        action="append",
        default=[],
        help="drill on this existing database (e.g. bench_full); repeatable",
    )
    parser.add_argument(
        "--prefix",
        default=os.environ.get("DRILL_DATABASE_PREFIX", "drill_"),
        help="prefix of the databases the drill creates and drops",
    )
    parser.add_argument(
        "--server",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/"
        ),
    )
    parser.add_argument(
        "--settle",
        action="store_true",
        help="rebuild the summary tables of a --database that owes refreshes "
        "before backing it up (it changes that database)",
    )
    parser.add_argument("--no-save", action="store_true")
    options = parser.parse_args(argv)
    if not options.demo and not options.database:
        options.demo = True

    global VAR_DIR
    VAR_DIR = tempfile.mkdtemp(prefix="drill-var-")
    # DEBUG is off: pages use the hashed static files, as in production.
    run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        django_env(database_url(options.server, "postgres")),
    )
    drills, extra = [], []
    demo = options.prefix + "demo"
    target = options.prefix + "restored"
    try:
        if options.demo:
            seconds = seed_demo(options.server, demo)
            extra.append("%s: migrated and seed_demo in %.0f s" % (demo, seconds))
            drills.append(drill(options.server, demo, target, "demo"))
        for name in options.database:
            if not exists(options.server, name):
                print("No database %s on %s." % (name, options.server), file=sys.stderr)
                return 1
            drills.append(
                drill(options.server, name, target, name, settle=options.settle)
            )
    finally:
        recreate(options.server, target, drop_only=True)
        if options.demo:
            recreate(options.server, demo, drop_only=True)

    text = report(drills, extra)
    print(text)
    if not options.no_save:
        results = ROOT / "benchmarks" / "results"
        results.mkdir(exist_ok=True)
        (results / ("%s-restore-drill.txt" % time.strftime("%Y-%m-%d"))).write_text(
            text
        )
    return 1 if any(d.problems for d in drills) else 0


if __name__ == "__main__":
    sys.exit(main())

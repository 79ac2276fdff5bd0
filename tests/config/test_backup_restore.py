"""scripts/backup.sh and scripts/restore.sh on the test database, for real.

A backup of the test database restored into a new database has the same rows
in every table; a database with tables in it is refused; backups older than
BACKUP_KEEP_DAYS are deleted and the others kept; a failed dump leaves no file
that looks like a backup.
"""

import os
import subprocess
import time
import urllib.parse
from pathlib import Path

import psycopg2
import pytest
from django.contrib.auth.models import Group
from django.db import connection

from benchmarks.restore_drill import row_counts

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump and pg_restore need PostgreSQL (DATABASE_URL)",
)


def url_of(name: str) -> str:
    s = connection.settings_dict
    user = urllib.parse.quote(s["USER"] or "")
    password = ":" + urllib.parse.quote(s["PASSWORD"]) if s["PASSWORD"] else ""
    at = "%s%s@" % (user, password) if user else ""
    host = s["HOST"] or "127.0.0.1"
    port = ":%s" % s["PORT"] if s["PORT"] else ""
    return "postgres://%s%s%s/%s" % (at, host, port, name)


def script(name, *args, env=None):
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / name), *args],
        cwd=ROOT,
        env=dict(os.environ, **(env or {})),
        capture_output=True,
        text=True,
        timeout=300,
    )


def drop(name: str) -> None:
    admin = psycopg2.connect(url_of("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)
    admin.close()


@pytest.fixture
def restored_name():
    name = connection.settings_dict["NAME"] + "_restored"
    drop(name)
    yield name
    drop(name)


def backup(folder: Path, **env) -> Path:
    done = script(
        "backup.sh",
        env={
            "DATABASE_URL": url_of(connection.settings_dict["NAME"]),
            "BACKUP_DIR": str(folder),
            **env,
        },
    )
    assert done.returncode == 0, done.stderr
    assert "Backup " in done.stdout and " MB " in done.stdout
    (dump,) = sorted(folder.glob("tcns-*.dump"), key=lambda p: p.stat().st_mtime)[-1:]
    return dump


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_new_database_has_every_row(tmp_path, restored_name):
    Group.objects.create(name="drill group")
    source = url_of(connection.settings_dict["NAME"])
    dump = backup(tmp_path)
    assert not list(tmp_path.glob("*.part"))

    done = script("restore.sh", str(dump), url_of(restored_name))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Restore done" in done.stdout

    expected = row_counts(source)
    assert expected["auth_group"] == 1
    assert row_counts(url_of(restored_name)) == expected


@pytest.mark.django_db(transaction=True)
def test_a_database_with_tables_is_refused_unless_forced(tmp_path, restored_name):
    dump = backup(tmp_path)
    assert script("restore.sh", str(dump), url_of(restored_name)).returncode == 0
    target = url_of(restored_name)
    marker = psycopg2.connect(target)
    marker.autocommit = True
    with marker.cursor() as cursor:
        cursor.execute("CREATE TABLE kept_by_refusal (n int)")
    marker.close()

    refused = script("restore.sh", str(dump), target)
    assert refused.returncode == 3
    assert "not empty" in refused.stderr
    assert "kept_by_refusal" in row_counts(target)

    forced = script("restore.sh", "--force", str(dump), target)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    counts = row_counts(target)
    assert "kept_by_refusal" not in counts
    assert counts == row_counts(url_of(connection.settings_dict["NAME"]))


@pytest.mark.django_db(transaction=True)
def test_backups_older_than_the_kept_days_are_deleted(tmp_path):
    offsite = tmp_path / "offsite"
    folder = tmp_path / "backups"
    folder.mkdir()
    now = time.time()
    old = folder / "tcns-20200101-000000.dump"
    recent = folder / "tcns-20200102-000000.dump"
    other = folder / "notes.txt"
    for path, days in ((old, 4), (recent, 2), (other, 30)):
        path.write_bytes(b"x")
        os.utime(path, (now - days * 86400, now - days * 86400))

    dump = backup(folder, BACKUP_KEEP_DAYS="3", BACKUP_OFFSITE_DIR=str(offsite))

    assert not old.exists()
    assert recent.exists() and other.exists()
    assert dump.stat().st_size > 0
    copy = offsite / dump.name
    assert copy.read_bytes() == dump.read_bytes()
    assert not list(folder.glob("*.part")) and not list(offsite.glob("*.part"))


def test_a_failed_backup_leaves_no_backup_file(tmp_path):
    done = script(
        "backup.sh",
        env={
            "DATABASE_URL": url_of("no_such_database_for_backup"),
            "BACKUP_DIR": str(tmp_path),
        },
    )
    assert done.returncode != 0
    assert list(tmp_path.iterdir()) == []

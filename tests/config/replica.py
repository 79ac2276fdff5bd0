"""A real streaming replica (scripts/replica.sh) for the tests that need one.

The replica streams the whole primary cluster, the test database included:
tests write on the primary in committed transactions, wait for the replica to
replay them, and read there through a ``replica`` alias made for the test.
"""

import os
import subprocess
import time
import warnings
from pathlib import Path
from urllib.parse import urlparse

import psycopg2
import pytest
from django.db import connection, connections

from core import replica

ROOT = Path(__file__).resolve().parents[2]
URL = os.environ.get(
    "DATABASE_REPLICA_TEST_URL", "postgres://postgres@127.0.0.1:5433/postgres"
)


def address() -> tuple[str, int]:
    parsed = urlparse(URL)
    return parsed.hostname or "127.0.0.1", parsed.port or 5433


def replica_sql(query: str, params=None):
    """A statement on the replica cluster itself (its ``postgres`` database)."""
    host, port = address()
    with psycopg2.connect(
        host=host, port=port, user="postgres", dbname="postgres", connect_timeout=3
    ) as link:
        link.autocommit = True
        with link.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchone() if cursor.description else None


def script(action: str) -> None:
    subprocess.run(
        ["bash", str(ROOT / "scripts" / "replica.sh"), action],
        check=True,
        timeout=600,
        capture_output=True,
    )


def running() -> bool:
    try:
        replica_sql("SELECT 1")
    except psycopg2.OperationalError:
        return False
    return True


def replayed(seconds: float = 30) -> None:
    """Wait until the replica has replayed everything the primary wrote."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        (target,) = cursor.fetchone()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        (done,) = replica_sql("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
        if done:
            return
        time.sleep(0.05)
    raise AssertionError("the replica did not replay the primary's writes")


@pytest.fixture
def real_replica(transactional_db, settings):
    """The ``replica`` alias on the real replica's copy of the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("a streaming replica needs PostgreSQL (CI runs it)")
    if not running():
        script("start")
    replica_sql("SELECT pg_wal_replay_resume()")
    host, port = address()
    alias = {
        **connection.settings_dict,
        "HOST": host,
        "PORT": port,
        "OPTIONS": {"connect_timeout": 2},
        "TEST": {**connection.settings_dict["TEST"], "MIRROR": "default"},
    }
    with warnings.catch_warnings():  # the alias is added whole, on purpose
        warnings.simplefilter("ignore")
        settings.DATABASES = {**settings.DATABASES, replica.REPLICA: alias}
    settings.REPLICA_MAX_LAG_SECONDS = 30
    settings.REPLICA_CHECK_SECONDS = 0  # every read asks: the tests change it
    # Made, then left out of the aliases the test case guards: Django lets a
    # connection made for the test through, and flushes only the primary.
    connections.settings[replica.REPLICA] = connections.configure_settings(
        {"default": connection.settings_dict, replica.REPLICA: alias}
    )[replica.REPLICA]
    connections[replica.REPLICA]
    del connections.settings[replica.REPLICA]
    replica.replica_forget()
    yield
    if running():
        replica_sql("SELECT pg_wal_replay_resume()")
    connections[replica.REPLICA].close()
    del connections[replica.REPLICA]
    replica.replica_forget()

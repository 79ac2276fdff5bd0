"""Real processes of the platform, started by a test against its database."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def postgresql_only():
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip(
            "needs PostgreSQL and Redis: the processes share the test's database "
            "(SQLite's test database lives in this process's memory); CI runs it"
        )


def environment() -> dict:
    """The test's settings for a child process: same database, same Redis."""
    database = connection.settings_dict
    url = "postgres://%s@%s:%s/%s" % (
        database["USER"] or "postgres",
        database["HOST"] or "127.0.0.1",
        database["PORT"] or 5432,
        database["NAME"],
    )
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "PYTHONPATH": str(ROOT),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Process:
    """A child in a process group of its own, killed whole with SIGKILL."""

    def __init__(self, arguments: list[str]):
        self.arguments = arguments
        self.child = None

    def start(self) -> None:
        self.child = subprocess.Popen(
            self.arguments,
            cwd=ROOT,
            env=environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def kill(self) -> None:
        if self.child is not None and self.child.poll() is None:
            os.killpg(self.child.pid, signal.SIGKILL)
            self.child.wait(10)
        self.child = None


def gunicorn(port: int) -> Process:
    return Process(
        [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", "127.0.0.1:%d" % port, "--workers", "2",
        ]
    )  # fmt: skip


def celery_worker(queue: str) -> Process:
    return Process(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker",
            "-Q", queue, "--pool", "solo", "--without-heartbeat",
            "--without-gossip", "--without-mingle",
        ]
    )  # fmt: skip


def wait_until(condition, seconds=30, step=0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False

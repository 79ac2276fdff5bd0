"""Each pytest-xdist worker gets a Redis database and a var/ folder of its own.

Loaded with ``-p tests.parallel`` (addopts in pyproject.toml), so it runs before
pytest-django reads the settings, which are built once from the environment:
the cache, the Celery broker, the file-system broker, exports, imports and
media all follow from ``REDIS_URL`` and ``VAR_DIR``. The processes a test starts
(gunicorn, Celery workers, scripts) inherit the same environment.

Without it, two workers would share one Redis database: each test's
``cache.clear()`` (FLUSHDB) would wipe the other worker's rate limits and queued
tasks, and one worker's Celery consumer could take the other's tasks.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[1]
REDIS_DATABASES = 16  # redis.conf's default ``databases``


def worker_number() -> int | None:
    """0 for xdist's gw0, 1 for gw1…; None outside a worker."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return None
    return int(worker[2:])


def redis_database(url: str) -> int:
    path = urlsplit(url).path.strip("/")
    return int(path) if path else 0


def redis_url_for_worker(url: str, number: int) -> str:
    """The same server, the database ``number`` places after the given one."""
    parts = urlsplit(url)
    database = redis_database(url) + number
    if database >= REDIS_DATABASES:
        raise pytest.UsageError(
            "Worker gw%d needs Redis database %d, but Redis has %d (0-%d): "
            "point REDIS_URL at a lower database or run fewer workers (-n)."
            % (number, database, REDIS_DATABASES, REDIS_DATABASES - 1)
        )
    return urlunsplit(parts._replace(path="/%d" % database))


def worker_environment(environ: dict, number: int) -> dict:
    """The variables to change so that worker ``number`` shares nothing."""
    changes = {}
    for name in ("REDIS_URL", "CACHE_REDIS_URL", "CELERY_BROKER_URL"):
        url = environ.get(name, "")
        if url.startswith(("redis://", "rediss://")):
            changes[name] = redis_url_for_worker(url, number)
    var_dir = Path(environ.get("VAR_DIR") or ROOT / "var")
    changes["VAR_DIR"] = str(var_dir / ("xdist-gw%d" % number))
    return changes


def static_files_shared(var_dir: Path) -> None:
    """The worker's var/static is the run's: collected once, before the run
    (scripts/test.sh), and only read by the tests. A link rather than
    STATIC_ROOT, which the processes a test starts with a VAR_DIR of their own
    would inherit."""
    var_dir.mkdir(parents=True, exist_ok=True)
    static = var_dir / "static"
    if not static.is_symlink() and not static.exists():
        static.symlink_to(Path("..") / "static")


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    number = worker_number()
    if number is not None and "TESTS_REDIS_URL_OF_RUN" not in os.environ:
        # What the run was given, for tests/config/test_parallel_workers.py.
        os.environ["TESTS_REDIS_URL_OF_RUN"] = os.environ.get("REDIS_URL", "")
        os.environ.update(worker_environment(os.environ, number))
        if "STATIC_ROOT" not in os.environ:
            static_files_shared(Path(os.environ["VAR_DIR"]))

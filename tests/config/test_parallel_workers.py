"""pytest-xdist workers share nothing: each has its own Redis database and
var/ folder (tests/parallel.py), and the replica tests share one worker."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from config.celery import app as celery_app
from tests.conftest import pytest_collection_modifyitems
from tests.parallel import redis_database, static_files_shared, worker_environment


def test_each_worker_takes_the_next_redis_database_and_a_folder_of_its_own():
    environ = {
        "REDIS_URL": "redis://127.0.0.1:6379/8",
        "CELERY_BROKER_URL": "redis://:secret@redis.internal:6380/3",
        "VAR_DIR": "/srv/tcns/var",
    }

    first, second = worker_environment(environ, 0), worker_environment(environ, 1)

    assert first["REDIS_URL"] == "redis://127.0.0.1:6379/8"
    assert second["REDIS_URL"] == "redis://127.0.0.1:6379/9"
    assert second["CELERY_BROKER_URL"] == "redis://:secret@redis.internal:6380/4"
    assert (first["VAR_DIR"], second["VAR_DIR"]) == (
        "/srv/tcns/var/xdist-gw0",
        "/srv/tcns/var/xdist-gw1",
    )


def test_a_redis_url_without_a_database_starts_at_database_zero():
    changes = worker_environment({"REDIS_URL": "redis://localhost"}, 2)

    assert changes["REDIS_URL"] == "redis://localhost/2"


def test_the_file_system_broker_is_left_alone():
    changes = worker_environment({"CELERY_BROKER_URL": "filesystem://localhost/"}, 1)

    assert "CELERY_BROKER_URL" not in changes


def test_a_worker_reads_the_static_files_collected_for_the_run(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "staticfiles.json").write_text("{}")

    static_files_shared(tmp_path / "xdist-gw1")
    static_files_shared(tmp_path / "xdist-gw1")  # a second run finds it there

    assert (tmp_path / "xdist-gw1" / "static" / "staticfiles.json").read_text() == "{}"


def test_a_worker_past_the_last_redis_database_is_refused_with_a_reason():
    with pytest.raises(pytest.UsageError, match="run fewer workers"):
        worker_environment({"REDIS_URL": "redis://127.0.0.1:6379/14"}, 2)


@pytest.mark.skipif(
    "PYTEST_XDIST_WORKER" not in os.environ or not settings.REDIS_URL,
    reason="only a pytest-xdist worker on Redis has a database of its own",
)
def test_this_worker_uses_its_own_redis_database_for_cache_and_broker():
    number = int(os.environ["PYTEST_XDIST_WORKER"][2:])
    database = redis_database(os.environ["TESTS_REDIS_URL_OF_RUN"]) + number

    client = cache._cache.get_client(write=True)

    assert client.connection_pool.connection_kwargs["db"] == database
    assert celery_app.conf.broker_url.endswith("/%d" % database)
    assert settings.VAR_DIR.name == "xdist-gw%d" % number
    assert (settings.STATIC_ROOT / "staticfiles.json").is_file()


class Item:
    """What the collection hook reads of a collected test."""

    def __init__(self, path, markers=()):
        self.path = Path(path)
        self.markers = [getattr(pytest.mark, name) for name in markers]

    def get_closest_marker(self, name):
        return next((mark for mark in self.markers if mark.name == name), None)

    def add_marker(self, marker):
        self.markers.append(marker)

    def group(self):
        mark = self.get_closest_marker("xdist_group")
        return mark.args[0] if mark else None


def test_replica_tests_go_to_one_group_and_the_others_to_none():
    items = [
        Item("tests/config/test_replica_failover.py"),
        Item("tests/reports/test_dashboards.py", markers=["replica"]),
        Item("tests/reports/test_dashboards.py"),
        Item("tests/config/test_replicas_note.py", markers=["browser"]),
    ]

    pytest_collection_modifyitems(None, items)

    assert [item.group() for item in items] == ["replica", "replica", None, "replica"]

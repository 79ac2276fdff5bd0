"""The read replica stopped while gunicorn serves statistics: every answer
stays 200, from the primary, health says so without failing, and reads go
back to the replica once it is started again."""

import re
import sys

import pytest
import requests
from django.core.cache import cache

from accounts.api_keys import api_key_issue
from accounts.models import ApiKey, Role
from tests.config.replica import replayed, script
from tests.faults.processes import Process, free_port, wait_until
from tests.reports.api.conftest import SUMMARY

pytestmark = pytest.mark.django_db(transaction=True)


def replica_reads(url: str) -> float:
    """Reads the server sent to the replica so far (its one worker's count)."""
    text = requests.get(url + "/metrics", timeout=10).text
    found = re.search(
        r'tcns_replica_routed_reads_total\{database="replica"\} (\S+)', text
    )
    return float(found.group(1)) if found else 0.0


@pytest.fixture
def server(real_replica, monkeypatch):
    from django.db import connection

    monkeypatch.setenv(
        "DATABASE_REPLICA_URL",
        "postgres://postgres@127.0.0.1:5433/%s" % connection.settings_dict["NAME"],
    )
    # The replica is taken for fine for a minute: a read that meets it
    # stopped is the one that must fall back.
    monkeypatch.setenv("REPLICA_CHECK_SECONDS", "60")
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    port = free_port()
    process = Process(
        [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", "127.0.0.1:%d" % port, "--workers", "1",
        ]
    )  # fmt: skip
    url = "http://127.0.0.1:%d" % port

    def up() -> bool:
        try:
            return requests.get(url + "/healthz", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    process.start()
    assert wait_until(up, seconds=60), "gunicorn did not start"
    process.url = url
    yield process
    process.kill()
    script("start")


def test_a_replica_stopped_mid_run_leaves_statistics_answering(server, users, area):
    official = users[Role.WARD]
    key = ApiKey(name="Kho dữ liệu tỉnh", level="ward", ward=area.ward)
    headers = {"X-Api-Key": api_key_issue(key=key, created_by=official)}
    replayed()

    def stats(code: str):
        cache.clear()  # the server's kept answers too: every call reads
        return requests.get(
            server.url + SUMMARY,
            params={"level": "ward", "code": code},
            headers=headers,
            timeout=30,
        )

    def replica_is(status: str) -> bool:
        return (
            requests.get(server.url + "/healthz", timeout=10).json()["replica"]
            == status
        )

    assert stats("00004").status_code == 200
    before = replica_reads(server.url)
    assert before > 0

    script("stop")
    stopped = [stats("00004").status_code for _ in range(3)]
    health = requests.get(server.url + "/healthz", timeout=10)

    assert stopped == [200, 200, 200]
    assert health.status_code == 200
    assert health.json()["replica"] == "down"
    assert health.json()["status"] == "ok"

    script("start")
    assert wait_until(lambda: replica_is("ok"), seconds=60)
    assert stats("00004").status_code == 200
    assert replica_reads(server.url) > before

"""The restore drill on the test database: it passes on a faithful restore and
reports a restore that lost a row."""

import datetime

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from benchmarks import restore_drill
from reports.models import PendingRefresh
from tests.config.test_backup_restore import drop, url_of

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the drill runs pg_dump and pg_restore on PostgreSQL",
)


@pytest.fixture
def target():
    name = connection.settings_dict["NAME"] + "_drill"
    drop(name)
    yield name
    drop(name)


@pytest.mark.django_db(transaction=True)
def test_the_drill_passes_and_then_catches_a_lost_row(users, target, monkeypatch):
    # A running platform's summary tables are up to date with its raw rows.
    call_command("rebuild_stats")
    source = connection.settings_dict["NAME"]
    server = url_of("postgres")

    result = restore_drill.drill(server, source, target, "test")
    assert result.problems == []
    assert result.backup_bytes > 0 and result.restore_s > 0
    assert result.rows > 0
    # The restored platform signed someone in and showed a page of theirs.
    assert result.page and not result.page.startswith("/accounts/")

    real_run = restore_drill.run

    def restore_then_lose_a_row(command, env, timeout=600):
        output = real_run(command, env, timeout)
        if command[1:2] == ["scripts/restore.sh"]:
            lost = psycopg2.connect(url_of(target))
            lost.autocommit = True
            with lost.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM django_migrations "
                    "WHERE id = (SELECT max(id) FROM django_migrations)"
                )
            lost.close()
        return output

    monkeypatch.setattr(restore_drill, "run", restore_then_lose_a_row)
    result = restore_drill.drill(server, source, target, "test")
    assert any(p.startswith("django_migrations:") for p in result.problems), (
        result.problems
    )


@pytest.mark.django_db(transaction=True)
def test_a_source_owing_refreshes_fails_unless_settled(users, area, target):
    call_command("rebuild_stats")
    PendingRefresh.objects.create(ward=area.ward, day=datetime.date(2026, 1, 5))
    source = connection.settings_dict["NAME"]
    server = url_of("postgres")

    result = restore_drill.drill(server, source, target, "test")
    assert result.backup_bytes == 0
    assert result.problems and "owes 1 summary refreshes" in result.problems[0]

    result = restore_drill.drill(server, source, target, "test", settle=True)
    assert result.problems == []
    assert result.settled == 1
    assert not PendingRefresh.objects.exists()

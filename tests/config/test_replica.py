"""Dashboards and statistics read from a real streaming replica; writes, a
user's reads after their own write, and everything while the replica lags
stay on the primary."""

import time

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from accounts.export_jobs import export_job_run
from accounts.models import ExportJob, Role
from assistance.catalogue import catalogue_load
from assistance.models import ServiceType
from core import replica
from tests.assistance.factories import SessionFactory
from tests.config.replica import replayed, replica_sql
from tests.households.factories import HouseholdFactory
from tests.reports.api.conftest import SUMMARY

pytestmark = pytest.mark.django_db(transaction=True)


def served(queries) -> list[str]:
    """The queries of the platform's data, not the replica's health checks."""
    return [
        query["sql"]
        for query in queries.captured_queries
        if "pg_is_in_recovery" not in query["sql"]
    ]


def until_status(status: str, seconds: float = 20) -> bool:
    """Ask the replica until it is in ``status``; the other clusters' writes
    make a 1-second limit flicker."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if replica.replica_check().status == status:
            return True
        time.sleep(0.1)
    return False


def replica_reads(client, url, **params) -> tuple[int, int]:
    """(status, queries the replica served) for one GET."""
    with CaptureQueriesContext(connections[replica.REPLICA]) as queries:
        response = client.get(url, params)
    return response.status_code, len(served(queries))


def test_statistics_are_read_on_the_replica(real_replica, api, users):
    api.force_login(users[Role.WARD])
    replayed()

    status, on_replica = replica_reads(api, SUMMARY)

    assert status == 200
    assert on_replica > 0


def test_a_row_committed_on_the_primary_is_served_from_the_replica(
    real_replica, client, users, area
):
    client.force_login(users[Role.PROVINCE])
    replayed()
    with CaptureQueriesContext(connections[replica.REPLICA]) as queries:
        page = client.get("/dashboard/")

    assert page.status_code == 200
    assert area.ward.name in page.content.decode()
    assert any("areas_ward" in query for query in served(queries))


def test_sign_in_and_field_pages_stay_on_the_primary(real_replica, client, users):
    replayed()
    with CaptureQueriesContext(connections[replica.REPLICA]) as queries:
        client.post(
            "/accounts/login/",
            {"login": users[Role.WARD].username, "password": "x"},
        )
        client.get("/")

    assert served(queries) == []


def test_after_a_write_the_user_reads_on_the_primary(real_replica, api, users):
    writer, other = users[Role.WARD], users[Role.PROVINCE]
    replayed()
    api.force_login(writer)
    api.post(SUMMARY)  # any write the user sends pins them

    pinned = replica_reads(api, SUMMARY)
    del api.cookies[replica.PIN_COOKIE]  # the cache alone pins them too
    pinned_by_cache = replica_reads(api, SUMMARY, level="ward", code="00004")
    api.force_login(other)
    unpinned = replica_reads(api, SUMMARY)

    assert pinned == (200, 0)
    assert pinned_by_cache == (200, 0)
    assert unpinned[0] == 200 and unpinned[1] > 0


def test_a_lagging_replica_sends_reads_to_the_primary(
    real_replica, api, users, settings
):
    settings.REPLICA_MAX_LAG_SECONDS = 1
    api.force_login(users[Role.WARD])
    assert until_status("ok")
    replica_sql("SELECT pg_wal_replay_pause()")
    try:
        users[Role.WARD].save()  # a write the paused replica does not replay
        assert until_status("lagging"), "the replica never lagged"
        lagging = replica_reads(api, SUMMARY)
        health = api.get("/healthz").json()
        metrics = api.get("/metrics").content.decode()
    finally:
        replica_sql("SELECT pg_wal_replay_resume()")
    assert until_status("ok")
    caught_up = replica_reads(api, SUMMARY, level="ward", code="00004")

    assert lagging == (200, 0)
    assert health["replica"] == "lagging"
    assert health["status"] == "ok"
    assert "tcns_replica_up 0.0" in metrics
    assert caught_up[0] == 200 and caught_up[1] > 0


def test_a_replica_failing_mid_read_is_answered_from_the_primary(
    real_replica, api, users, settings
):
    api.force_login(users[Role.WARD])
    replayed()
    settings.REPLICA_CHECK_SECONDS = 60  # it was fine a moment ago
    assert replica.replica_check().status == "ok"
    connections[replica.REPLICA].ensure_connection()
    # The server ends the replica's connection, as a replica stopping does.
    replica_sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = %s AND backend_type = 'client backend'",
        [connections["default"].settings_dict["NAME"]],
    )
    connections[replica.REPLICA].health_check_enabled = False

    response = api.get(SUMMARY)

    assert response.status_code == 200
    assert replica.replica_state().status == "down"


def test_a_streamed_csv_export_reads_its_rows_on_the_replica(
    real_replica, client, users, area
):
    catalogue_load(ServiceType)  # a transactional test before this flushed it
    session = SessionFactory(team=area.team)
    client.force_login(users[Role.WARD])
    replayed()
    with CaptureQueriesContext(connections[replica.REPLICA]) as queries:
        response = client.get("/admin/assistance/assistancesession/export.csv")
        body = b"".join(response.streaming_content).decode()

    assert response.status_code == 200
    assert "\n%d," % session.pk in body
    assert any("assistance_assistancesession" in query for query in served(queries))


def test_an_excel_export_job_reads_its_rows_on_the_replica(
    real_replica, users, area, settings, tmp_path
):
    settings.EXPORTS_DIR = tmp_path
    HouseholdFactory(ward=area.ward)
    job = ExportJob.objects.create(
        owner=users[Role.WARD], model_label="households.household"
    )
    replayed()
    with CaptureQueriesContext(connections[replica.REPLICA]) as queries:
        export_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert (job.status, job.row_count) == (ExportJob.Status.DONE, 1)
    assert any("households_household" in query for query in served(queries))
    # The job's own row is read and written on the primary.
    assert not any("accounts_exportjob" in query for query in served(queries))

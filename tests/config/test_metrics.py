"""/metrics: served to the monitoring server only, with what an IT officer
watches (requests, captures, owed refreshes, reconciles, exports, workers,
cache and broker), and no one's personal data."""

import datetime
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from accounts.models import ExportJob, Role
from config import metrics as metrics_module
from config.celery import app as celery_app
from reports.models import PendingRefresh, ScheduledRun
from tests.assistance.conftest import as_member, household, member  # noqa: F401
from tests.assistance.test_api import body, post

pytestmark = pytest.mark.django_db

METRICS = "/metrics"
OUTSIDE = "203.0.113.5"
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def _workers_asked_afresh():
    metrics_module.workers_forget()
    yield
    metrics_module.workers_forget()


def scrape(client, **headers) -> dict:
    """Each sample of one scrape: {(name, ((label, value), ...)): value}."""
    response = client.get(METRICS, **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_an_address_outside_is_refused(client):
    assert client.get(METRICS, REMOTE_ADDR=OUTSIDE).status_code == 403


def test_the_machine_itself_is_served_by_default(client):
    assert client.get(METRICS, REMOTE_ADDR="127.0.0.1").status_code == 200


def test_the_token_opens_it_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "s3cret-metrics-token"

    response = client.get(
        METRICS, REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer s3cret-metrics-token"
    )

    assert response.status_code == 200


def test_a_wrong_token_is_refused(client, settings):
    settings.METRICS_TOKEN = "s3cret-metrics-token"

    response = client.get(
        METRICS, REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer guessed"
    )

    assert response.status_code == 403


def test_no_token_configured_opens_nothing_to_an_empty_bearer(client, settings):
    settings.METRICS_TOKEN = ""

    response = client.get(METRICS, REMOTE_ADDR=OUTSIDE, HTTP_AUTHORIZATION="Bearer ")

    assert response.status_code == 403


def test_an_allowed_network_is_served(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.20.0.0/16"]

    assert client.get(METRICS, REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get(METRICS, REMOTE_ADDR="127.0.0.1").status_code == 403


def test_behind_the_proxy_the_caller_counts_not_the_proxy(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = [PROXY + "/32"]
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    response = client.get(METRICS, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=OUTSIDE)

    assert response.status_code == 403


def test_a_forged_forwarded_address_changes_nothing(client):
    response = client.get(
        METRICS, REMOTE_ADDR=OUTSIDE, HTTP_X_FORWARDED_FOR="127.0.0.1"
    )

    assert response.status_code == 403


def test_a_stored_session_is_counted_once_and_its_resend_not(
    as_member,  # noqa: F811
    household,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    before = value(
        scrape(client),
        "tcns_captures_stored_total",
        record="assistance.assistancesession",
    )
    data = body(household)
    with django_capture_on_commit_callbacks(execute=True):
        assert post(as_member, data).status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        assert post(as_member, data).status_code == 200

    after = value(
        scrape(client),
        "tcns_captures_stored_total",
        record="assistance.assistancesession",
    )

    assert after - before == 1


def test_requests_are_counted_by_route_name_not_by_path(
    as_member,  # noqa: F811
    household,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        session_id = post(as_member, body(household)).json()["id"]
    labels = {"view": "assistance-api:session-detail", "method": "GET", "status": "2xx"}
    before = scrape(client)

    as_member.get("/api/v1/sessions/%d/" % session_id)
    after = scrape(client)

    assert (
        value(after, "tcns_http_requests_total", **labels)
        - value(before, "tcns_http_requests_total", **labels)
        == 1
    )
    assert (
        value(
            after,
            "tcns_http_request_duration_seconds_count",
            view="assistance-api:session-detail",
            method="GET",
        )
        >= 1
    )
    views = {dict(labels).get("view") for _name, labels in after}
    assert not any(str(session_id) in (view or "") for view in views)


def test_no_name_or_phone_of_anyone_is_shown(
    as_member,  # noqa: F811
    household,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        post(as_member, body(household))

    text = client.get(METRICS).content.decode()

    assert household.head_name not in text
    assert household.code not in text
    assert "thanhvien" not in text


def test_owed_refreshes_show_their_depth_and_the_oldest_age(client, area):
    PendingRefresh.objects.create(ward=area.ward, day=datetime.date(2026, 3, 1))
    PendingRefresh.objects.create(ward=area.ward, day=datetime.date(2026, 3, 2))
    PendingRefresh.objects.filter(day=datetime.date(2026, 3, 1)).update(
        since=timezone.now() - datetime.timedelta(minutes=10)
    )

    samples = scrape(client)

    assert value(samples, "tcns_refresh_queue_depth") == 2
    age = value(samples, "tcns_refresh_oldest_pending_age_seconds")
    assert 600 <= age < 660


def test_nothing_owed_is_zero(client):
    samples = scrape(client)

    assert value(samples, "tcns_refresh_queue_depth") == 0
    assert value(samples, "tcns_refresh_oldest_pending_age_seconds") == 0


def test_the_reconcile_shows_when_it_last_finished(client):
    from reports.tasks import stats_reconcile_task

    stats_reconcile_task()

    samples = scrape(client)
    finished = ScheduledRun.objects.get(job=ScheduledRun.Job.STATISTICS).finished_at
    shown = value(
        samples,
        "tcns_scheduled_run_last_finished_timestamp_seconds",
        job="statistics",
    )
    assert shown == pytest.approx(finished.timestamp())
    assert abs(shown - time.time()) < 60


def test_export_jobs_waiting_and_running_are_counted(client, users):
    owner = users[Role.WARD]
    ExportJob.objects.create(owner=owner, model_label="households.household")
    ExportJob.objects.create(owner=owner, model_label="households.household")
    ExportJob.objects.create(
        owner=owner, model_label="households.household", status="running"
    )
    ExportJob.objects.create(
        owner=owner, model_label="households.household", status="done"
    )

    samples = scrape(client)

    assert value(samples, "tcns_export_jobs_waiting") == 2
    assert value(samples, "tcns_export_jobs_running") == 1


def test_cache_broker_and_database_up(client):
    samples = scrape(client)

    assert value(samples, "tcns_cache_up") == 1
    assert value(samples, "tcns_broker_up") == 1
    assert value(samples, "tcns_database_up") == 1


def test_a_broker_down_is_zero_workers_and_the_scrape_still_answers(
    client, monkeypatch
):
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    started = time.monotonic()

    samples = scrape(client)

    assert time.monotonic() - started < 8
    assert value(samples, "tcns_broker_up") == 0
    assert value(samples, "tcns_celery_workers") == 0
    assert value(samples, "tcns_cache_up") == 1


def test_workers_are_asked_at_most_every_30_seconds(client, monkeypatch):
    asked = []
    monkeypatch.setattr(metrics_module, "_workers_ping", lambda: asked.append(1) or 2)

    first = scrape(client)
    second = scrape(client)

    assert len(asked) == 1
    assert value(first, "tcns_celery_workers") == 2
    assert value(second, "tcns_celery_workers") == 2


def test_under_gunicorn_every_workers_counts_are_summed(tmp_path):
    """Two processes count into PROMETHEUS_MULTIPROC_DIR; a third serves the sum."""
    environment = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    count = (
        "import django; django.setup(); from core import metrics; "
        "[metrics.capture_stored('training.workshop') for _ in range(%d)]"
    )
    serve = (
        "import django; django.setup(); from django.test import Client; "
        "print(Client().get('/metrics', HTTP_HOST='localhost').content.decode())"
    )

    def run(code):
        return subprocess.run(
            [sys.executable, "-c", code],
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=settings.BASE_DIR,
            check=True,
        ).stdout

    run(count % 2)
    run(count % 3)
    text = run(serve)

    assert 'tcns_captures_stored_total{record="training.workshop"} 5.0' in text

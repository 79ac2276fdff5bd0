"""Metrics for Prometheus at /metrics, for the monitoring server only.

Request counts and times and captures are counted as they happen
(core.metrics); what the database, the cache and the broker hold is read when
the scraper asks (:class:`PlatformCollector`), so no request is slower for it.
Under gunicorn, with ``PROMETHEUS_MULTIPROC_DIR`` set, every worker's counts
are summed (gunicorn.conf.py prepares the folder).
"""

import hmac
import ipaddress
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.db.models import Count, Min, Q
from django.http import HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from accounts.api_keys import client_address
from accounts.models import ExportJob, network_or_none
from accounts.scope import no_area_data
from config.celery import app as celery_app
from config.health import broker_status, cache_status
from core.replica import replica_check, replica_configured
from reports.models import PendingRefresh, ScheduledRun

logger = logging.getLogger(__name__)

# Workers are asked at most this often; a scrape between two asks reuses the
# last answer, so a scrape every few seconds does not flood the broker.
WORKERS_ASKED_EVERY = 30  # seconds
WORKERS_PING_TIMEOUT = 1.0  # seconds the workers have to answer
WORKERS_GIVE_UP = 4.0  # seconds before a stuck ask counts no worker

_workers = {"count": 0, "asked_at": None}
_workers_lock = threading.Lock()
_pinger = ThreadPoolExecutor(max_workers=1, thread_name_prefix="metrics-ping")


def gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _workers_ping() -> int:
    if broker_status() != "ok":
        return 0
    answers = celery_app.control.inspect(timeout=WORKERS_PING_TIMEOUT).ping()
    return len(answers or {})


def celery_workers_answering() -> int:
    """Celery workers that answered a ping, asked at most every 30 s.

    A broker that is down, or slow to say so, counts no worker: the ask runs
    in a thread the scrape stops waiting for.
    """
    with _workers_lock:
        asked_at = _workers["asked_at"]
        if asked_at is not None and time.monotonic() - asked_at < WORKERS_ASKED_EVERY:
            return _workers["count"]
        try:
            count = _pinger.submit(_workers_ping).result(timeout=WORKERS_GIVE_UP)
        except FutureTimeout:
            count = 0
        except Exception as exc:
            logger.warning("metrics: workers not asked (%s)", type(exc).__name__)
            count = 0
        _workers.update(count=count, asked_at=time.monotonic())
        return count


def workers_forget() -> None:
    """The next scrape asks the workers again (tests)."""
    with _workers_lock:
        _workers.update(count=0, asked_at=None)


class PlatformCollector:
    """What the platform holds, read at scrape time."""

    def collect(self):
        try:
            yield from self._database()
            database_up = 1
        except Exception as exc:  # a scrape must answer even without a database
            logger.warning("metrics: database unavailable (%s)", type(exc).__name__)
            database_up = 0
        yield gauge("tcns_database_up", "1 when the database answers", database_up)
        yield gauge("tcns_cache_up", "1 when the cache answers", _up(cache_status()))
        yield gauge(
            "tcns_broker_up", "1 when the Celery broker answers", _up(broker_status())
        )
        if replica_configured():
            state = replica_check()
            yield gauge(
                "tcns_replica_up",
                "1 when the read replica answers and keeps up (reads go to it)",
                1 if state.status == "ok" else 0,
            )
            yield gauge(
                "tcns_replica_lag_seconds",
                "Seconds the read replica's replay is behind (-1 when it is down)",
                -1 if state.lag is None else state.lag,
            )
        yield gauge(
            "tcns_celery_workers",
            "Celery workers that answered a ping (asked every 30 s)",
            celery_workers_answering(),
        )

    def _database(self):
        now = timezone.now()
        owed = PendingRefresh.objects.aggregate(depth=Count("pk"), oldest=Min("since"))
        yield gauge(
            "tcns_refresh_queue_depth",
            "Summary buckets whose refresh is still owed",
            owed["depth"],
        )
        oldest = owed["oldest"]
        yield gauge(
            "tcns_refresh_oldest_pending_age_seconds",
            "Age of the oldest owed refresh (0 when none is owed)",
            (now - oldest).total_seconds() if oldest else 0,
        )
        finished = GaugeMetricFamily(
            "tcns_scheduled_run_last_finished_timestamp_seconds",
            "When each scheduled recompute last finished (Unix time; "
            "statistics is the reconcile)",
            labels=["job"],
        )
        for run in ScheduledRun.objects.all():
            finished.add_metric([run.job], run.finished_at.timestamp())
        yield finished
        jobs = ExportJob.objects.aggregate(
            queued=Count("pk", filter=Q(status=ExportJob.Status.QUEUED)),
            running=Count("pk", filter=Q(status=ExportJob.Status.RUNNING)),
        )
        yield gauge("tcns_export_jobs_waiting", "Excel exports queued", jobs["queued"])
        yield gauge(
            "tcns_export_jobs_running", "Excel exports being built", jobs["running"]
        )


def _up(status: str) -> int:
    return 1 if status == "ok" else 0


class _Scrape:
    """The counters of this process (or of every gunicorn worker) and the
    platform's state, as one registry for generate_latest."""

    def __init__(self):
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            self.counters = CollectorRegistry()
            multiprocess.MultiProcessCollector(self.counters)
        else:
            self.counters = REGISTRY

    def collect(self):
        yield from self.counters.collect()
        yield from PlatformCollector().collect()


def scraper_admitted(request) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "")
        if hmac.compare_digest(sent.encode(), ("Bearer %s" % token).encode()):
            return True
    return address_in(client_address(request), settings.METRICS_ALLOWED_NETWORKS)


def address_in(address: str | None, networks: list[str]) -> bool:
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    if client.version == 6 and client.ipv4_mapped:  # ::ffff:127.0.0.1
        client = client.ipv4_mapped
    return any(
        network is not None and network.version == client.version and client in network
        for network in map(network_or_none, networks)
    )


@no_area_data("counts and states of the platform's parts, no record of anyone")
@never_cache
@require_GET
def metrics_view(request):
    if not scraper_admitted(request):
        return HttpResponseForbidden()
    return HttpResponse(generate_latest(_Scrape()), content_type=CONTENT_TYPE_LATEST)

"""Counters kept where the work happens, read by the metrics endpoint.

prometheus-client keeps them per process; under gunicorn with
``PROMETHEUS_MULTIPROC_DIR`` set it keeps them in files there, which the
endpoint sums over every worker (config.metrics).
"""

import os
from pathlib import Path

from prometheus_client import Counter, Histogram

# A process started with the folder named but not made (a Celery worker given
# the web's environment) keeps its counts there instead of failing to count.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)

# Labels are kinds of things (a record's model, a view's route name), never a
# person, a household or an area: one series per kind, whatever the data.
CAPTURES_STORED = Counter(
    "tcns_captures_stored",
    "Records stored by the capture path (resends not counted)",
    ["record"],
)
REQUESTS = Counter(
    "tcns_http_requests",
    "Requests answered, by view route name, method and status class",
    ["view", "method", "status"],
)
REQUEST_DURATION = Histogram(
    "tcns_http_request_duration_seconds",
    "Time to answer a request, by view route name and method",
    ["view", "method"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


def capture_stored(label: str) -> None:
    CAPTURES_STORED.labels(record=label).inc()


REPLICA_READS = Counter(
    "tcns_replica_routed_reads",
    "Queries that could read on the replica, by where the router sent them "
    "(a request answered again after the replica failed counts once more)",
    ["database"],
)

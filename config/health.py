"""Liveness of the parts the platform cannot work without."""

import logging
import os
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.scope import no_area_data
from config.celery import app as celery_app
from core.replica import replica_check, replica_configured

logger = logging.getLogger(__name__)


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any failure means the same to the load balancer
        logger.warning("health: database unavailable (%s)", type(exc).__name__)
        return "unavailable"
    return "ok"


def broker_status() -> str:
    options = celery_app.conf.broker_transport_options or {}
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            if conn.transport_cls == "filesystem":
                # This transport "connects" without touching its folder.
                folder = Path(options["data_folder_in"])
                if not (folder.is_dir() and os.access(folder, os.W_OK)):
                    raise OSError("queue folder not writable")
    except Exception as exc:
        logger.warning("health: broker unavailable (%s)", type(exc).__name__)
        return "unavailable"
    return "ok"


def cache_status() -> str:
    """Redis as a cache, apart from the broker (they may be two servers)."""
    reachable = getattr(cache, "is_reachable", None)
    try:
        if reachable is not None:  # our Redis cache: ask Redis, not its fallback
            if not reachable():
                raise ConnectionError("no answer")
        else:
            cache.set("healthz", "ok", 5)
            if cache.get("healthz") != "ok":
                raise OSError("the cache keeps nothing")
    except Exception as exc:
        logger.warning("health: cache unavailable (%s)", type(exc).__name__)
        return "unavailable"
    return "ok"


@no_area_data("the state of the database, the cache and the broker, for load balancers")
@never_cache
@require_GET
def healthz(request):
    checks = {
        "database": database_status(),
        "cache": cache_status(),
        "broker": broker_status(),
    }
    down = [name for name, status in checks.items() if status != "ok"]
    body = {"status": "ok" if not down else "unavailable", "checks": checks}
    if down:
        body["down"] = down
    if replica_configured():
        # Stated, never failing: without the replica the primary serves all.
        state = replica_check()
        body["replica"] = state.status
        body["replica_lag_seconds"] = state.lag
    return JsonResponse(body, status=503 if down else 200)

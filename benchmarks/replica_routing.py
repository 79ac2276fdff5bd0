"""What the replica routing costs a request: the router's decision per query
and the replica-read block per view, with the replica's state kept (the usual
case) and without any replica configured (embedded and single-database sites).

    DATABASE_REPLICA_URL=postgres://…:5433/… python -m benchmarks.replica_routing
"""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import router  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from core import replica  # noqa: E402
from reports.models import WardStamp  # noqa: E402

ROUNDS = 200_000


def per_call(function, rounds=ROUNDS) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        function()
    return (time.perf_counter() - started) / rounds * 1e6


def main():
    request = RequestFactory().get("/")
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    print("replica configured:", replica.replica_configured())
    if replica.replica_configured():
        print("replica state:", replica.replica_check().status)
    outside = per_call(lambda: router.db_for_read(WardStamp))
    inside = per_call(
        lambda: replica.replica_call(lambda: router.db_for_read(WardStamp)),
        rounds=ROUNDS // 4,
    )
    block = per_call(lambda: replica.replica_call(lambda: None, request=request))
    print("router decision outside a block: %.2f µs" % outside)
    print("router decision inside a block:  %.2f µs (block entered each time)" % inside)
    print("replica-read block per view (pin check, cookie): %.2f µs" % block)
    print("check interval: %s s" % settings.REPLICA_CHECK_SECONDS)


if __name__ == "__main__":
    main()

"""The Redis cache shares one client per pool between calls and threads."""

import threading

import pytest
from django.conf import settings
from django.core.cache import cache, caches

from config.cache import RedisCache

pytestmark = pytest.mark.skipif(
    "Redis" not in settings.CACHES["default"]["BACKEND"],
    reason="the cache is Redis only when REDIS_URL is set (CI sets it)",
)


def test_the_cache_is_ours_and_reuses_its_client():
    backend = caches["default"]
    assert isinstance(backend, RedisCache)
    client = backend._cache.get_client()

    assert backend._cache.get_client("any key") is client


def test_threads_share_the_client_without_mixing_answers():
    mismatches = []

    def worker(number):
        for step in range(200):
            key = "shared-%d-%d" % (number, step)
            cache.set(key, (number, step), 30)
            if cache.get(key) != (number, step):
                mismatches.append(key)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert mismatches == []


def test_incr_counts_an_existing_key_and_refuses_a_missing_one():
    cache.set("counter", 1, 30)

    assert cache.incr("counter") == 2
    assert cache.incr("counter", 5) == 7
    assert cache.get("counter") == 7
    with pytest.raises(ValueError):
        cache.incr("no-such-counter")
    assert cache.get("no-such-counter") is None

"""Django's Redis cache, keeping one client per connection pool, and going on
in each process's memory while Redis cannot be reached.

Django's client builds a new ``redis.Redis`` for every cache call, and each
one builds its table of some 200 reply parsers: a third of a millisecond per
call, several calls a request. A ``redis.Redis`` over a pool is safe to share
between threads (each command borrows a connection from the pool), so one per
pool does the same work without that cost. ``incr`` (the statistics budget's
counter, on every call) is one round trip instead of two.

Redis down is an ordinary failure: a call that cannot reach it is answered by
a cache in the process's own memory instead, and Redis is tried again after
:data:`RETRY_SECONDS`. Sign-in's rate limits then count per process, the
statistics budget too, and kept answers are kept per process; a warning says
so in the log once per outage and process. What was counted or kept in memory
is not carried back: it lives out its short timeout.
"""

import logging
import time

from django.core.cache.backends import redis
from django.core.cache.backends.locmem import LocMemCache
from redis import exceptions as redis_errors

logger = logging.getLogger(__name__)

# How long a process answers from its memory before it tries Redis again.
RETRY_SECONDS = 5.0
UNREACHABLE = (redis_errors.ConnectionError, redis_errors.TimeoutError)

# Django's incr: EXISTS, then INCRBY. As one script, in one round trip, and
# without a moment between the two for the key to expire in.
INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return redis.call('INCRBY', KEYS[1], ARGV[1])
end
return false
"""


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool)
            client = self._clients.setdefault(id(pool), client)
        return client

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        value = client.eval(INCR_EXISTING, 1, key, delta)
        if value is None:
            raise ValueError("Key '%s' not found." % key)
        return value


def _falls_back(name: str):
    """The cache method ``name``, answered from memory while Redis is down."""

    def method(self, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return getattr(self._local, name)(*args, **kwargs)
        try:
            return getattr(redis.RedisCache, name)(self, *args, **kwargs)
        except UNREACHABLE as error:
            self._unreachable(error)
            return getattr(self._local, name)(*args, **kwargs)

    method.__name__ = name
    return method


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
        self._local = LocMemCache("redis-fallback-%s" % id(self), params)
        self._down_until = 0.0
        self._warned = False

    def _unreachable(self, error: Exception) -> None:
        self._down_until = time.monotonic() + RETRY_SECONDS
        if not self._warned:
            self._warned = True
            logger.warning(
                "Cache unreachable (%s): rate limits, budgets and kept answers "
                "are counted in this process's memory until it is back",
                type(error).__name__,
            )

    def is_reachable(self) -> bool:
        """Whether Redis itself answers, whatever the fallback does."""
        try:
            reachable = bool(self._cache.get_client(write=True).ping())
        except UNREACHABLE:
            return False
        if reachable and self._warned:
            self._warned = False
            self._down_until = 0.0
            logger.warning("Cache reachable again")
        return reachable

    add = _falls_back("add")
    get = _falls_back("get")
    set = _falls_back("set")
    touch = _falls_back("touch")
    delete = _falls_back("delete")
    get_many = _falls_back("get_many")
    has_key = _falls_back("has_key")
    incr = _falls_back("incr")
    set_many = _falls_back("set_many")
    delete_many = _falls_back("delete_many")
    clear = _falls_back("clear")

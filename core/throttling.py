"""Request budgets counted in fixed windows, and the headers that state them.

Every API answer says how much of the caller's budget is left
(:func:`rate_limit_headers`), so a client paces itself before it is refused
rather than after. The throttle records what it counted on the request;
``config.middleware.RateLimitHeadersMiddleware`` writes it on the answer,
whatever the answer is (2xx, 304, 4xx, 429).
"""

import math
from dataclasses import dataclass

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

LIMIT = "X-RateLimit-Limit"
REMAINING = "X-RateLimit-Remaining"
RESET = "X-RateLimit-Reset"


@dataclass(frozen=True)
class RateLimit:
    limit: int  # requests a window
    remaining: int  # left in this window
    reset: int  # seconds until the window ends and the budget is whole again


def rate_limit_of(request) -> RateLimit | None:
    """What the throttle counted for this request (DRF's or Django's), if it ran."""
    return getattr(getattr(request, "_request", request), "rate_limit", None)


def rate_limit_headers(rate_limit: RateLimit) -> dict[str, str]:
    return {
        LIMIT: str(rate_limit.limit),
        REMAINING: str(rate_limit.remaining),
        RESET: str(rate_limit.reset),
    }


class FixedWindowThrottle(SimpleRateThrottle):
    """A budget a window, counted with one cache increment a request.

    Rather than DRF's default list of every request's time, which is read
    and written whole on each request: a warehouse allowed thousands a
    minute would pay for that list on every pull. A fixed window may let up
    to twice the rate through across its edge; Retry-After and
    X-RateLimit-Reset say when the window ends. Subclasses name the scope
    (its rate is ``DEFAULT_THROTTLE_RATES[scope]``; none, no budget) and the
    caller (``get_cache_key``).
    """

    def get_rate(self):
        # Read on each request, so that a changed setting applies at once.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        count = self._counted("%s:%d" % (key, window))
        # Django's request, which the middleware writing the headers sees.
        getattr(request, "_request", request).rate_limit = RateLimit(
            limit=self.num_requests,
            remaining=max(self.num_requests - count, 0),
            reset=math.ceil(self.wait()),
        )
        return count <= self.num_requests

    def _counted(self, key: str) -> int:
        """This request's number in its window."""
        try:
            return self.cache.incr(key)
        except ValueError:  # the window's first request
            # Its counter outlives the window by a little, never less.
            if self.cache.add(key, 1, self.duration + 1):
                return 1
            return self.cache.incr(key)  # another request made it first

    def wait(self):
        return max(self.window_ends - self.now, 0)

"""The API's request budgets, one per key or account.

Two budgets, counted apart: the statistics and areas (``stats``, read by
warehouses that pull a lot) and everything else under /api/ (``capture``:
sessions, workshops, "who am I"), generous enough that a phone replaying
its offline queue is never held back. Kept apart from the views: DRF reads
its default throttle when its own views module loads, before the apps'
models may be imported.
"""

from core.throttling import FixedWindowThrottle


class AccountThrottle(FixedWindowThrottle):
    """Counted per API key or account; a caller with neither, per address."""

    def get_cache_key(self, request, view):
        from .models import ApiKey  # see the module's docstring

        user = request.user
        if isinstance(user, ApiKey):
            ident = "key-%s" % user.pk
        elif user.is_authenticated:
            ident = "user-%s" % user.pk
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class StatsThrottle(AccountThrottle):
    """The budget of the statistics and areas API."""

    scope = "stats"


class CaptureThrottle(AccountThrottle):
    """The budget of the rest of the API (DRF's default throttle here)."""

    scope = "capture"

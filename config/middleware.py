"""Requests under /api/ answered where they were sent, never by a redirect,
every answer stating the caller's request budget, and every request logged
and measured once under an id."""

import logging
import re
import time
import uuid
from functools import partial

from django.urls import Resolver404, resolve
from django.utils.functional import SimpleLazyObject, empty

from accounts.models import User
from core import metrics, replica
from core.logging import redact, request_context
from core.throttling import rate_limit_headers, rate_limit_of

# The route of config.errors.UnknownApiPath, which answers every path under
# /api/ that no endpoint serves.
UNKNOWN_API_PATH = "api-unknown"


def _served(path: str) -> bool:
    """Whether an endpoint serves ``path`` (not the unknown-path answer)."""
    try:
        return resolve(path).url_name != UNKNOWN_API_PATH
    except Resolver404:
        return False


class ApiPathWithoutSlashMiddleware:
    """``POST /api/v1/sessions`` is served as ``/api/v1/sessions/``.

    Django answers a path missing its final slash with a 301 to the right
    one; HTTP clients follow a 301 with a GET, which lists the sessions and
    answers 200, so an offline queue may take an unsent write for a stored
    one. Under ``/api/`` the path is completed in place instead, for every
    method, before ``CommonMiddleware`` would redirect it.
    """

    PREFIX = "/api/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            path.startswith(self.PREFIX)
            and not path.endswith("/")
            and not _served(path)
            and _served(path + "/")
        ):
            request.path_info = path + "/"
            request.path = request.path + "/"
        return self.get_response(request)


class RateLimitHeadersMiddleware:
    """``X-RateLimit-*`` on every answer whose request the API's budget counted.

    The throttle counts inside DRF (core.throttling); the headers are written
    here because every answer passes here, refusals and 304s included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        rate_limit = rate_limit_of(request)
        if rate_limit is not None:
            for name, value in rate_limit_headers(rate_limit).items():
                response[name] = value
        return response


# A request id a proxy or a client sent is kept when it looks like one (and
# is no phone number in disguise); anything else is replaced by our own.
REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")
requests_logger = logging.getLogger("config.requests")
# Any other word a client sends as a method is one series, not one each.
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def request_id_of(request) -> str:
    sent = request.headers.get("X-Request-ID", "")
    if REQUEST_ID.fullmatch(sent) and redact(sent) == sent:
        return sent
    return uuid.uuid4().hex


def view_name_of(request) -> str:
    """The route's name (``households:detail``), never the path with its ids."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unresolved"
    return match.view_name or match.route or "unresolved"


def user_id_of(request) -> int | None:
    """The signed-in user's id, if the request has looked its user up.

    Never looked up for the log alone: a request that needed no user (the
    health check, an API key's call) costs no query more for it.
    """
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject):
        if user._wrapped is empty:
            return None
        user = user._wrapped
    if isinstance(user, User) and user.is_authenticated:
        return user.pk
    return None


class RequestLogMiddleware:
    """A request id for every request, and one log line and metric per answer.

    The id is set before anything else runs, so every line logged while the
    request is answered carries it (core.logging), and it is sent back in
    ``X-Request-ID`` for a user's report to be found in the logs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.id = request_id_of(request)
        # The user's id as soon as the request has looked its user up.
        token = request_context.set(
            {"request_id": request.id, "user_id": partial(user_id_of, request)}
        )
        try:
            response = self.get_response(request)
            duration = time.perf_counter() - started
            self._record(request, response, duration)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request.id
        return response

    def _record(self, request, response, duration: float) -> None:
        view = view_name_of(request)
        method = request.method if request.method in METHODS else "other"
        status_class = "%dxx" % (response.status_code // 100)
        metrics.REQUESTS.labels(view=view, method=method, status=status_class).inc()
        metrics.REQUEST_DURATION.labels(view=view, method=method).observe(duration)
        requests_logger.info(
            "%s %s %s",
            method,
            view,
            response.status_code,
            extra={
                "user_id": user_id_of(request),
                "view": view,
                "method": method,
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 1),
            },
        )


class ReplicaPinMiddleware:
    """After a user's write, their reads stay on the primary for a while.

    The replica replays the write a moment later; until the pin runs out the
    user's dashboards and statistics come from the primary, so they see what
    they just saved. API keys are pinned by their user, browsers also by a
    cookie (a sign-in or a cache that is down still pins them).
    """

    UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in self.UNSAFE and replica.replica_configured():
            replica.pin_after_write(request, response)
        return response

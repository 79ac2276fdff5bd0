"""Requests under /api/ answered where they were sent, never by a redirect,
and every answer stating the caller's request budget."""

from django.urls import Resolver404, resolve

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

"""Error pages, and under /api/ error answers: JSON, never an HTML page."""

from django.http import JsonResponse
from django.utils.translation import gettext
from django.views import defaults

API = "/api/"


def _answer(code: str, detail: str, status: int) -> JsonResponse:
    # The shape of DRF's own errors, with a code a program can test.
    return JsonResponse({"detail": detail, "code": code}, status=status)


def bad_request(request, exception):
    if request.path.startswith(API):
        return _answer("bad_request", gettext("The request could not be read."), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if request.path.startswith(API):
        detail = gettext("You do not have permission to perform this action.")
        return _answer("permission_denied", detail, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if request.path.startswith(API):
        return _answer("not_found", gettext("Not found."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API):
        detail = gettext("The server failed to answer; try again in a moment.")
        return _answer("server_error", detail, 500)
    return defaults.server_error(request)

"""Error pages, and under /api/ error answers: JSON in one shape
(core.api_errors), never an HTML page."""

from django.http import JsonResponse
from django.utils.translation import gettext
from django.views import defaults
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from accounts.api_keys import ApiKeyAuthentication
from accounts.authentication import SignedInSession
from accounts.scope import no_area_data
from core.api_errors import error_body

API = "/api/"


def _answer(code: str, detail: str, status: int) -> JsonResponse:
    return JsonResponse(error_body(code, detail), status=status)


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


class SessionReadOnly(SignedInSession):
    """The session, without the CSRF check: nothing here writes anything, and
    a write sent to a wrong address should hear that it is wrong (404)."""

    def enforce_csrf(self, request):
        return None


@no_area_data("answers only that nothing is at this address")
@extend_schema(exclude=True)
class UnknownApiPath(APIView):
    """Every path under /api/ that no endpoint serves (``/api/v1/nowhere/``,
    ``/api/v1/sessions/abc/``): a 404 answered by the API itself, so that it
    counts against the caller's budget and states it like every answer."""

    authentication_classes = [ApiKeyAuthentication, SessionReadOnly]
    permission_classes = [AllowAny]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound()

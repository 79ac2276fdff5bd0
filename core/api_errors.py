"""One shape for every error the API answers, whatever raised it.

``{"code": ..., "detail": ..., "errors": {field: [message, ...]}}``: a program
tests ``code`` (DRF's own codes where it has one), a person reads ``detail``
(one sentence, in the request's language), a form shows ``errors`` beside its
fields (only for refused input, 400, and conflicts, 409). DRF's views answer
through :func:`api_exception_handler` (``EXCEPTION_HANDLER``); Django's own
error handlers under /api/ (``config.errors``) build the same body with
:func:`error_body`.
"""

import json
from contextlib import suppress
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from .locks import MONTH_LOCKED, month_locked_in
from .throttling import rate_limit_of


class Conflict(exceptions.APIException):
    """What was sent clashes with what is stored (409), field by field.

    ``extra`` is put beside ``code`` and ``detail``: the stored record's
    ``id``, so that the client can read it.
    """

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, errors: dict[str, list], **extra: Any):
        self.errors = errors
        self.extra = extra
        first = next(iter(errors.values()))[0]
        super().__init__(first)


class MonthLockedConflict(Conflict):
    """A record dated in a month whose report was approved (409)."""

    default_code = MONTH_LOCKED


class PreconditionFailed(exceptions.APIException):
    """The record changed since the version the client named (If-Match)."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = _("The record changed since you read it: read it again.")

    def __init__(self, detail=None, *, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.headers = headers or {}


def error_body(code: str, detail: str, errors: dict | None = None, **extra) -> dict:
    """The body of every error under /api/."""
    body: dict[str, Any] = {"code": code, "detail": str(detail)}
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    return body


def api_exception_handler(exc: Exception, context: dict):
    """DRF's handler (headers, rollback), answering in :func:`error_body`'s shape.

    Errors are always JSON, whatever renderer the request asked for: a CSV
    or a spreadsheet of an error would be read by no one. A request refused
    before the view's throttles ran (a refused key, a forbidden role, an
    ``Accept`` nobody serves) is counted here, so that every answer states
    the caller's budget.
    """
    exc = _as_api_exception(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None  # a 500, answered by config.errors.server_error
    request, view = context.get("request"), context.get("view")
    if request is not None:
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
        if view is not None:
            _count(request, view)
    response.data = _body(exc)
    for name, value in getattr(exc, "headers", {}).items():
        response[name] = value
    return response


def _as_api_exception(exc: Exception) -> Exception:
    """Django's exceptions as DRF's, with messages a client can read.

    ``get_object_or_404`` words its 404 in English and names the model; the
    JSON parser quotes Python's English error; the throttle's sentence is
    put together from pieces no catalogue holds.
    """
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, exceptions.ValidationError):
        locked = month_locked_in(exc.__cause__ or exc.__context__)
        if locked is not None:
            return MonthLockedConflict({api_settings.NON_FIELD_ERRORS_KEY: [locked]})
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, exceptions.ParseError):
        return exceptions.ParseError(_parse_error(exc))
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        detail = gettext("Too many requests: try again in %(seconds)d s.") % {
            "seconds": exc.wait
        }
        throttled = exceptions.Throttled(detail=detail)  # with no English added
        throttled.wait = exc.wait
        return throttled
    return exc


def _parse_error(exc: exceptions.ParseError) -> str:
    cause = exc.__context__  # the parser's own error, in English
    if isinstance(cause, json.JSONDecodeError):
        return gettext(
            "The body is not valid JSON (line %(line)d, column %(column)d)."
        ) % {"line": cause.lineno, "column": cause.colno}
    if cause is not None:
        return gettext("The body could not be read: send JSON in UTF-8.")
    return str(exc.detail)


def _body(exc: exceptions.APIException) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        return error_body(
            "invalid",
            gettext("The request was refused: see what is wrong with each field."),
            errors=_field_errors(exc.detail),
        )
    if isinstance(exc, Conflict):
        return error_body(exc.default_code, exc.detail, errors=exc.errors, **exc.extra)
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    return error_body(code, exc.detail)


def _field_errors(detail) -> dict:
    """Errors by field; a refusal of the whole input under DRF's non-field key."""
    if not isinstance(detail, dict):
        return {api_settings.NON_FIELD_ERRORS_KEY: detail}
    return {
        name: messages if isinstance(messages, (list, dict)) else [messages]
        for name, messages in detail.items()
    }


def _count(request, view) -> None:
    """Run the view's throttles if the request was refused before they ran."""
    if rate_limit_of(request) is not None:
        return
    # Authenticates; refused credentials leave an anonymous caller, counted
    # by address.
    with suppress(exceptions.APIException):
        request.user  # noqa: B018
    for throttle in view.get_throttles():
        throttle.allow_request(request, view)

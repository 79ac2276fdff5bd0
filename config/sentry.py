"""Errors to Sentry (``SENTRY_DSN``), with personal data masked as in the logs.

Nothing personal is sent by default (``send_default_pii`` left off: no user
name, e-mail or address; newer SDKs deprecate the option, whose absence means
off in every 2.x), no cookies, no frame's local variables (they hold the
names and phones being saved), no request body or query string; and every
text left in an event, from the message to the breadcrumbs, passes through
the logs' masking (core.logging.redact).
"""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from core.logging import redact

REMOVED = "[removed]"
# Headers that carry a secret or a session; the others say how a page was asked.
SECRET_HEADERS = {"authorization", "cookie", "x-api-key", "x-csrftoken"}
# Sentry's own ids and stamps: hex and digits a phone pattern could bite into.
SENTRY_FIELDS = {
    "event_id",
    "trace_id",
    "span_id",
    "parent_span_id",
    "timestamp",
    "start_timestamp",
    "release",
}


def masked(value):
    """``value`` with every string in it masked, at any depth."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {
            key: item if key in SENTRY_FIELDS else masked(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [masked(item) for item in value]
    return value


def _request_stripped(request: dict) -> dict:
    request = dict(request)
    for field in ("data", "query_string", "cookies"):
        if field in request:
            request[field] = REMOVED
    headers = request.get("headers") or {}
    request["headers"] = {
        name: REMOVED if name.lower() in SECRET_HEADERS else value
        for name, value in headers.items()
    }
    return request


def _frames_stripped(event: dict) -> None:
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)


def before_send(event, hint):
    if "request" in event:
        event["request"] = _request_stripped(event["request"])
    user = event.get("user")
    if user:
        # An id finds the account in the admin; nothing else about the person.
        event["user"] = {"id": user["id"]} if "id" in user else {}
    _frames_stripped(event)
    return masked(event)


def before_breadcrumb(crumb, hint):
    return masked(crumb)


def sentry_init(*, dsn: str, environment: str, traces_sample_rate: float, **options):
    """Start reporting; ``options`` go to sentry_sdk.init (tests pass a transport)."""
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=before_send,
        before_send_transaction=before_send,
        before_breadcrumb=before_breadcrumb,
        **options,
    )

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime

# Vietnamese mobile and landline numbers, with or without +84 and separators,
# and e-mail addresses. Names cannot be caught by a pattern: code must never
# log them, and this filter is the net under that rule.
PHONE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# The request being answered, for every line logged while it is: its id and
# the user's id (a callable: the user is known once signed in), set by
# config.middleware.RequestLogMiddleware.
request_context: ContextVar[dict | None] = ContextVar("request_context", default=None)

# What a request's own log line carries besides its message (ids and numbers
# only: a user is an id, never a name or a phone).
REQUEST_FIELDS = ("request_id", "user_id", "view", "method", "status", "duration_ms")


def redact(text: str) -> str:
    return EMAIL.sub("[email]", PHONE.sub("[phone]", text))


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class PlainFormatter(logging.Formatter):
    """The default lines, their tracebacks masked as the filter masks messages."""

    def formatException(self, ei):
        return redact(super().formatException(ei))


class JsonFormatter(logging.Formatter):
    """One JSON object a line (``LOG_FORMAT=json``), for log collectors.

    The handler's redacting filter has already cleaned the message; the
    traceback, which the filter does not see, is cleaned here.
    """

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        context = request_context.get() or {}
        for field in REQUEST_FIELDS:
            value = getattr(record, field, context.get(field))
            if callable(value):
                value = value()
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)

"""Writing assistance sessions: the one path for the field pages, the API,
the admin and the seeds (sessions.py), its checks (checks.py) and what a
stored session changes elsewhere (follow_ups.py)."""

from .assignments import assignment_clear, assignment_set
from .checks import (
    CLOCK_SKEW,
    WALK_IN_FIELDS,
    ServiceLine,
    services_check,
    session_check,
)
from .follow_ups import follow_up_close
from .sessions import (
    SessionChanged,
    session_content,
    session_may_edit,
    session_record,
    session_update,
    session_version,
)

__all__ = [
    "CLOCK_SKEW",
    "SessionChanged",
    "WALK_IN_FIELDS",
    "assignment_clear",
    "assignment_set",
    "ServiceLine",
    "follow_up_close",
    "services_check",
    "session_check",
    "session_content",
    "session_may_edit",
    "session_record",
    "session_update",
    "session_version",
]

"""How long an official's session lasts, and ending an account's sessions.

Two marks are kept in each session: when it signed in and when it last saw a
request. An official's session ends after ``SESSION_IDLE_MINUTES`` without a
request (a shared office computer); team members' phones stay signed in, as
they work offline. Ending an account's sessions stamps the account: every
session signed in before the stamp ends at its next request, whatever the
session store (database or cache), so nothing needs to list the sessions.
"""

import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ADMIN_ROLES, User

SIGNED_IN_AT = "accounts.signed_in_at"
LAST_SEEN = "accounts.last_seen"
# The last-seen mark is written at most once a minute, not on every request.
LAST_SEEN_RESOLUTION = 60


def session_signed_in(request) -> None:
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now


def signed_in_within(request, seconds: int) -> bool:
    signed_in_at = request.session.get(SIGNED_IN_AT) if request else None
    return signed_in_at is not None and time.time() - signed_in_at < seconds


ENDED = "ended"
IDLE = "idle"


def session_end_reason(request, now: float) -> str | None:
    """Why the signed-in session must end now (``ENDED`` by an official, an
    official's session left ``IDLE`` too long), or ``None``."""
    user = request.user
    session = request.session
    ended_at = user.sessions_ended_at
    if ended_at is not None and session.get(SIGNED_IN_AT, 0) <= ended_at.timestamp():
        return ENDED
    if user.role not in ADMIN_ROLES:
        return None
    last_seen = session.get(LAST_SEEN)
    if last_seen is not None and now - last_seen > idle_seconds():
        return IDLE
    return None


def session_seen(request, now: float) -> None:
    if request.user.role not in ADMIN_ROLES:
        return  # team members are never idle: no write on their capture path
    last_seen = request.session.get(LAST_SEEN)
    if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
        request.session[LAST_SEEN] = now


def idle_seconds() -> int:
    return settings.SESSION_IDLE_MINUTES * 60


@transaction.atomic
def user_sessions_end(*, users: list[User]) -> None:
    """End every session of ``users``, this one included if it is theirs.

    The caller has limited ``users`` to the accounts it manages (scope).
    """
    now = timezone.now()
    for user in users:
        user.sessions_ended_at = now
        user.save(update_fields=["sessions_ended_at"])

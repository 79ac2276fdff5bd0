"""Reads that may go to the PostgreSQL read replica, and when they may not.

Dashboards, the statistics API, coverage and exports read inside
:func:`replica_reads`; the database router (config.db_router) sends their
reads to the ``replica`` alias while :func:`replica_chosen` says so, and every
other read and every write to the primary. The replica is used only when it
answers and replays within ``REPLICA_MAX_LAG_SECONDS`` (asked at most every
``REPLICA_CHECK_SECONDS`` per process), and never for a user who has just
written (``REPLICA_PIN_SECONDS``): they read their own write on the primary.
A replica that fails mid-read is marked down and the read runs again on the
primary, so its loss costs time, never an error.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connections

from .metrics import REPLICA_READS

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "replica_pin"

# Inside a replica-read block: None outside; a _Block inside.
_block: contextvars.ContextVar[_Block | None] = contextvars.ContextVar(
    "replica_block", default=None
)


@dataclass
class _Block:
    allowed: bool  # the replica may serve this block (not pinned, not failed)
    used: bool = False  # a read went to the replica


@dataclass
class ReplicaState:
    status: str  # "ok", "lagging", "down" or "off" (no replica configured)
    lag: float | None  # seconds behind the primary, when it answered
    checked_at: float  # time.monotonic() of the check


_state: ReplicaState | None = None
_state_lock = threading.Lock()


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _lag_read() -> tuple[bool, float]:
    """(is a standby, seconds behind) as the replica itself says."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT pg_is_in_recovery(), CASE"
            " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            " ELSE COALESCE(EXTRACT(EPOCH FROM"
            " now() - pg_last_xact_replay_timestamp()), 0) END"
        )
        standby, lag = cursor.fetchone()
    return bool(standby), float(lag or 0)


def replica_check() -> ReplicaState:
    """Ask the replica now, remember the answer for this process."""
    global _state
    if not replica_configured():
        state = ReplicaState("off", None, time.monotonic())
    else:
        try:
            standby, lag = _lag_read()
        except Exception as exc:  # any failure means: read on the primary
            logger.warning("replica unavailable (%s)", type(exc).__name__)
            _replica_close()
            state = ReplicaState("down", None, time.monotonic())
        else:
            if not standby:
                # The alias names a primary (a test mirror, or a promoted
                # replica): its connection would not see the other's writes.
                logger.warning("replica is not a standby: reads stay on the primary")
                state = ReplicaState("down", None, time.monotonic())
            elif lag > settings.REPLICA_MAX_LAG_SECONDS:
                state = ReplicaState("lagging", lag, time.monotonic())
            else:
                state = ReplicaState("ok", lag, time.monotonic())
    with _state_lock:
        _state = state
    return state


def replica_state() -> ReplicaState:
    """The last answer, asked again once it is older than the check interval."""
    state = _state
    if state is None or (
        time.monotonic() - state.checked_at >= settings.REPLICA_CHECK_SECONDS
    ):
        state = replica_check()
    return state


def replica_mark_down() -> None:
    global _state
    _replica_close()
    with _state_lock:
        _state = ReplicaState("down", None, time.monotonic())


def replica_forget() -> None:
    """The next read asks the replica again (tests, a replica restarted)."""
    global _state
    with _state_lock:
        _state = None


def _replica_close() -> None:
    with contextlib.suppress(Exception):
        connections[REPLICA].close()


def replica_chosen() -> bool:
    """Whether the read being routed now goes to the replica (the router asks)."""
    block = _block.get()
    if block is None or not block.allowed:
        return False
    if replica_state().status != "ok":
        REPLICA_READS.labels(database="primary").inc()
        return False
    block.used = True
    REPLICA_READS.labels(database="replica").inc()
    return True


def replica_serving() -> bool:
    """Whether reads made now would go to the replica (nothing counted)."""
    block = _block.get()
    return block is not None and block.allowed and replica_state().status == "ok"


# Read-your-writes ------------------------------------------------------------


def _pin_key(user) -> str:
    # An API key and an account may share an id: each is pinned apart.
    return "replica-pin:%s:%s" % (type(user).__name__, user.pk)


def pin_after_write(request, response) -> None:
    """A user who wrote reads from the primary for the next few seconds."""
    seconds = settings.REPLICA_PIN_SECONDS
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        try:
            cache.set(_pin_key(user), 1, seconds)
        except Exception as exc:  # the cookie still pins a browser
            logger.warning("replica pin not kept (%s)", type(exc).__name__)
    response.set_cookie(
        PIN_COOKIE, "1", max_age=seconds, httponly=True, samesite="Lax",
        secure=request.is_secure(),
    )  # fmt: skip


def pinned(request=None, user=None) -> bool:
    """Whether this request, or this user's job, must read on the primary
    (its user just wrote)."""
    if request is not None:
        if request.COOKIES.get(PIN_COOKIE):
            return True
        user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    try:
        return cache.get(_pin_key(user)) is not None
    except Exception:  # no cache, no proof the user did not just write
        return True


# Replica-read blocks -----------------------------------------------------------


def _replica_failed(exc: BaseException) -> bool:
    # A replica stopped, restarted or cancelling a read that conflicts with
    # its replay; the primary serves the same question.
    return isinstance(exc, (OperationalError, InterfaceError))


def replica_call(function, *args, request=None, user=None, **kwargs):
    """Run ``function`` with its reads on the replica; on the primary when the
    replica may not serve them (``request`` or ``user`` just wrote) or fails
    on the way."""
    if not replica_configured() or _block.get() is not None:
        return function(*args, **kwargs)  # an outer block decides and falls back
    block = _Block(allowed=not pinned(request, user))
    token = _block.set(block)
    try:
        return function(*args, **kwargs)
    except DatabaseError as exc:
        if not (block.used and _replica_failed(exc)):
            raise
        logger.warning("replica failed mid-read (%s): primary", type(exc).__name__)
        replica_mark_down()
    finally:
        _block.reset(token)
    REPLICA_READS.labels(database="primary").inc()
    return function(*args, **kwargs)


def _request_of(args) -> object | None:
    for arg in args[:2]:
        if hasattr(arg, "COOKIES") or hasattr(arg, "_request"):
            return arg
    return None


def replica_reads(view):
    """A view (or an API's handler method) whose reads may use the replica."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return replica_call(view, *args, request=_request_of(args), **kwargs)

    return wrapper


def replica_rows(rows, request=None):
    """Rows streamed after the view returned, each read under the replica.

    The block is entered around each step only, so the server's own work
    between two chunks stays on the primary. A replica lost mid-stream ends
    the download as failed (it cannot start over on the primary: half the
    file is sent), never as a short file that looks whole.
    """
    allowed = replica_configured() and not pinned(request)
    iterator = None
    while True:
        with _step(allowed):
            if iterator is None:
                iterator = iter(rows)
            try:
                row = next(iterator)
            except StopIteration:
                return
        yield row


@contextlib.contextmanager
def _step(allowed: bool):
    if not allowed:
        yield
        return
    token = _block.set(_Block(allowed=True))
    try:
        yield
    except DatabaseError as exc:
        if _replica_failed(exc):
            replica_mark_down()
        raise
    finally:
        _block.reset(token)

"""Deleted sessions leave a tombstone (``core.tombstones``), scoped and
filtered as the session was."""

from core.tombstones import tombstones_keep, tombstones_purge

from .models import AssistanceSession, SessionTombstone

COPIED = ("client_uuid", "ward_id", "team_id", "household_id", "started_on")

tombstones_keep(AssistanceSession, SessionTombstone, COPIED)


def session_tombstones_purge() -> int:
    return tombstones_purge(SessionTombstone)

"""Deleted workshops leave a tombstone (``core.tombstones``), scoped and
filtered as the workshop was."""

from core.tombstones import tombstones_keep, tombstones_purge

from .models import Workshop, WorkshopTombstone

COPIED = ("client_uuid", "ward_id", "team_id", "held_on")

tombstones_keep(Workshop, WorkshopTombstone, COPIED)


def workshop_tombstones_purge() -> int:
    return tombstones_purge(WorkshopTombstone)

"""What a stored session changes elsewhere: follow-ups and e-ID levels."""

from __future__ import annotations

from django.utils import timezone

from households.models import Resident

from ..models import AssistanceSession, ServiceType, SessionService
from ..replays import replays_forget
from ..signals import buckets_changed

FOLLOW_UP = SessionService.Outcome.FOLLOW_UP


def follow_up_close(*, line: SessionService) -> None:
    if line.closed_at is None:
        line.closed_at = timezone.now()
        line.save(update_fields=["closed_at"])  # a save: the reports follow


def session_lines_follow(
    session: AssistanceSession, lines: list, *, open_follow_ups=None
) -> None:
    """Close the follow-ups the session's lines finish; raise an e-ID level.

    ``open_follow_ups``: the services the same people had a follow-up open
    for, when the checks already read them (None: not known, look).
    """
    if not session.is_walk_in:
        _earlier_close(session, lines, open_follow_ups)
        _own_close(session, lines)
    _vneid_follow(session, lines)


def _same_people(session: AssistanceSession) -> dict:
    if session.resident_id:
        return {"session__resident_id": session.resident_id}
    return {"session__household_id": session.household_id}


def _earlier_close(session: AssistanceSession, lines: list, open_follow_ups) -> None:
    """A service finished (or given up) closes the same people's open follow-ups.

    A session has one line per service, so its own lines are never among the
    others' (finished here, follow-ups there; or the other way round).
    """
    finished = {line.service_type_id for line in lines if line.outcome != FOLLOW_UP}
    if open_follow_ups is not None:
        finished &= open_follow_ups  # most people wait on nothing
    if not finished:
        return
    earlier = SessionService.objects.filter(
        **_same_people(session),
        service_type__in=finished,
        outcome=FOLLOW_UP,
        closed_at__isnull=True,
        session__started_at__lte=session.started_at,
    )
    closing = set(
        earlier.order_by().values_list(
            "session__ward_id", "session__started_on", "session__client_uuid"
        )
    )
    if closing:
        earlier.update(closed_at=timezone.now())
        replays_forget(uuid for _ward, _day, uuid in closing)
        # Sent inside the transaction: the reports mark the buckets owed with
        # this change and queue their refresh after commit themselves.
        buckets = {(ward, day) for ward, day, _uuid in closing}
        buckets_changed.send(sender=SessionService, buckets=buckets)


def _own_close(session: AssistanceSession, lines: list) -> None:
    """Phones log offline: a follow-up may arrive after the session that
    already finished it, and is closed at once."""
    waiting = [
        line for line in lines if line.outcome == FOLLOW_UP and line.closed_at is None
    ]
    if not waiting:
        return
    finished_later = set(
        SessionService.objects.filter(
            **_same_people(session),
            service_type__in={line.service_type_id for line in waiting},
            session__started_at__gte=session.started_at,
        )
        .exclude(outcome=FOLLOW_UP)
        .order_by()
        .values_list("service_type_id", flat=True)
    )
    if finished_later:
        now = timezone.now()
        SessionService.objects.filter(
            session=session,
            outcome=FOLLOW_UP,
            closed_at__isnull=True,
            service_type__in=finished_later,
        ).update(closed_at=now)
        for line in waiting:
            if line.service_type_id in finished_later:
                line.closed_at = now


def _vneid_follow(session: AssistanceSession, lines: list) -> None:
    """A level-2 activation done for a registered person raises their e-ID."""
    activated = session.resident_id and any(
        line.service_type.code == ServiceType.LEVEL2_ACTIVATION
        and line.outcome == SessionService.Outcome.DONE
        for line in lines
    )
    if not activated:
        return
    resident = session.resident
    if resident.vneid_level != Resident.VneidLevel.LEVEL_2:
        resident.vneid_level = Resident.VneidLevel.LEVEL_2
        resident.save()  # through save(): the registry's audit trail records it

"""Recording and changing assistance sessions: the one write path for the
field pages, the API and the admin."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import Level, scope_for
from households.models import Household, Resident
from teams.models import Member, Membership, ServicePoint, Team

from .models import AssistanceSession, ServiceType, SessionService
from .replays import replays_forget
from .signals import buckets_changed

# Phones' clocks drift; a session a few minutes "in the future" is not an error.
CLOCK_SKEW = timedelta(minutes=5)
WALK_IN_FIELDS = (
    "walk_in_gender",
    "walk_in_age_group",
    "walk_in_elderly_alone",
    "walk_in_disability",
    "walk_in_poor",
    "walk_in_ethnic_minority",
    "walk_in_no_smartphone",
)


@dataclass(frozen=True)
class ServiceLine:
    service_type: ServiceType
    outcome: str
    reason: str = ""
    dossier_ref: str = ""


class SessionConflict(Exception):
    """The UUID is already stored with other content."""

    def __init__(self, session: AssistanceSession):
        super().__init__(str(session.client_uuid))
        self.session = session


def session_record(
    *,
    client_uuid: UUID,
    team: Team,
    members: list[Member],
    started_at: datetime,
    place: str,
    services: list[ServiceLine],
    source: str,
    recorded_by=None,
    household: Household | None = None,
    resident: Resident | None = None,
    service_point: ServicePoint | None = None,
    duration_minutes: int | None = None,
    notes: str = "",
    **walk_in,
) -> tuple[AssistanceSession, bool]:
    """Store a session once per ``client_uuid``; return it and whether it is new.

    A resend with the same content returns the stored session; a resend with
    other content raises :class:`SessionConflict`. A new session comes back
    with its lines (and a single member) loaded, as stored.
    """
    content = _content(
        team=team,
        members=members,
        started_at=started_at,
        place=place,
        services=services,
        household=household,
        resident=resident,
        service_point=service_point,
        duration_minutes=duration_minutes,
        notes=notes,
        **walk_in,
    )
    digest = _digest(content)
    # Most sends are new (the API answers resends before calling this): the
    # unique UUID finds a stored session when it refuses the new one, and
    # saves a lookup on every new session.
    try:
        session_check(**content)
        with transaction.atomic():
            session = AssistanceSession(
                client_uuid=client_uuid,
                source=source,
                recorded_by=recorded_by,
                content_digest=digest,
            )
            _insert(session, content)
    except (ValidationError, IntegrityError):
        # A resend (not checked again: what it names may have changed since),
        # or two requests with one UUID that raced.
        stored = _stored(client_uuid)
        if stored is None:
            raise
    else:
        return session, True
    return _replayed(stored, digest), False


def session_is_resend(*, session: AssistanceSession, **fields) -> bool:
    """Whether ``fields`` are the content first stored under the session's UUID.

    The rows the content names may be given as bare ids: a resend is told
    apart by what it names, without reading those rows again.
    """
    return session.content_digest == _digest(_content(**fields))


def session_update(*, session: AssistanceSession, **changes) -> AssistanceSession:
    """Apply an explicit edit; the same checks as a new session."""
    content = session_content(session)
    content.update(changes)
    content["notes"] = (content["notes"] or "").strip()
    session_check(**content)
    with transaction.atomic():
        _save(session, content)
    return session


def session_content(session: AssistanceSession) -> dict:
    """The editable content of a stored session, in :func:`session_record` terms."""
    return {
        "team": session.team,
        "members": list(session.members.all()),
        "started_at": session.started_at,
        "place": session.place,
        "services": [
            ServiceLine(line.service_type, line.outcome, line.reason, line.dossier_ref)
            for line in session.services.select_related("service_type")
        ],
        "household": session.household,
        "resident": session.resident,
        "service_point": session.service_point,
        "duration_minutes": session.duration_minutes,
        "notes": session.notes,
        **{name: getattr(session, name) for name in WALK_IN_FIELDS},
    }


def session_may_edit(user, session: AssistanceSession) -> bool:
    """Authors edit for a day; ward officials (and national staff) any time."""
    level = scope_for(user).level
    if level in (Level.NATIONAL, Level.WARD):
        return True
    if level == Level.TEAM:
        return (
            session.recorded_by_id == user.pk
            and timezone.now() - session.created_at < timedelta(hours=24)
        )
    return False


def session_check(
    *,
    team: Team,
    members: list[Member],
    started_at: datetime,
    place: str,
    services: list[ServiceLine] | None,
    household: Household | None,
    resident: Resident | None,
    service_point: ServicePoint | None,
    **other,
) -> None:
    """Refuse a session that cannot be true, naming each field and problem.

    ``services=None`` skips the services (the admin checks them in its inline).
    """
    errors: dict[str, list[str]] = {}

    def refuse(field, message):
        errors.setdefault(field, []).append(message)

    if started_at > timezone.now() + CLOCK_SKEW:
        refuse("started_at", _("A session cannot be in the future."))
    day = timezone.localdate(started_at)
    if not members:
        refuse("members", _("Choose at least one member who gave the help."))
    current = set(
        Membership.objects.filter(team=team, member__in=members, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .order_by()  # a set: the default order would join two more tables
        .values_list("member_id", flat=True)
    )
    for member in members:
        if member.pk not in current:
            refuse(
                "members",
                _("%(member)s is not a member of the team %(team)s on that day.")
                % {"member": member, "team": team},
            )
    if household is not None and household.ward_id != team.ward_id:
        refuse("household", _("The household is not in the team's ward."))
    if resident is not None:
        if household is not None and resident.household_id != household.pk:
            refuse("resident", _("This person does not live in the chosen household."))
        elif resident.ward_id != team.ward_id:
            refuse("resident", _("This person is not in the team's ward."))
    walk_in_given = any(other.get(name) for name in WALK_IN_FIELDS)
    if household is None and resident is None:
        if not other.get("walk_in_gender"):
            refuse("walk_in_gender", _("For a walk-in, choose the person's gender."))
        if not other.get("walk_in_age_group"):
            refuse(
                "walk_in_age_group", _("For a walk-in, choose the person's age group.")
            )
    elif walk_in_given:
        refuse(
            "walk_in_gender",
            _("A session is either for a registered household or for a walk-in."),
        )
    if service_point is not None and service_point.ward_id != team.ward_id:
        refuse("service_point", _("The service point is not in the team's ward."))
    if services is not None:
        try:
            services_check(services)
        except ValidationError as error:
            errors["services"] = error.messages
    if errors:
        raise ValidationError(errors)


def services_check(services: list[ServiceLine]) -> None:
    """At least one service, each listed once, each ending said and explained."""
    problems = []
    if not services:
        problems.append(_("Choose at least one service that was given."))
    seen = set()
    for line in services:
        name = line.service_type.name
        if line.service_type.pk in seen:
            problems.append(_("%(service)s is listed twice.") % {"service": name})
        seen.add(line.service_type.pk)
        if line.outcome not in SessionService.Outcome.values:
            problems.append(_("Choose how %(service)s ended.") % {"service": name})
        if line.outcome == SessionService.Outcome.FAILED and not line.reason.strip():
            problems.append(
                _("Say why %(service)s could not be done.") % {"service": name}
            )
        if line.dossier_ref.strip() and not line.service_type.is_filing:
            problems.append(
                _("%(service)s is not an online filing: it has no dossier reference.")
                % {"service": name}
            )
    if problems:
        raise ValidationError(problems)


def follow_up_close(*, line: SessionService) -> None:
    if line.closed_at is None:
        line.closed_at = timezone.now()
        line.save(update_fields=["closed_at"])  # a save: the reports follow


def _fill(session: AssistanceSession, content: dict) -> None:
    for name, value in content.items():
        if name not in ("members", "services"):
            setattr(session, name, value)
    if session.resident_id and session.household_id is None:
        # A person helped is their household reached: counts and filters go
        # by household.
        session.household_id = session.resident.household_id
    session.ward_id = session.team.ward_id
    session.started_on = timezone.localdate(session.started_at)


def _line(row: SessionService, line: ServiceLine) -> SessionService:
    row.service_type = line.service_type
    row.outcome = line.outcome
    row.reason = line.reason.strip() if line.outcome == "failed" else ""
    row.dossier_ref = line.dossier_ref.strip()
    if line.outcome != SessionService.Outcome.FOLLOW_UP:
        row.closed_at = None
    return row


def _insert(session: AssistanceSession, content: dict) -> None:
    """Store a new session: its row, then its members and lines, one insert each.

    The session's own save is what the reports follow (its bucket holds the
    members and lines too) and what the audit trail records; the members and
    lines of a new session need no signal of their own.
    """
    _fill(session, content)
    session.save()
    members = list(dict.fromkeys(content["members"]))
    through = AssistanceSession.members.through
    through.objects.bulk_create(
        through(assistancesession_id=session.pk, member_id=member.pk)
        for member in members
    )
    lines = {line.service_type.pk: line for line in content["services"]}
    rows = SessionService.objects.bulk_create(
        _line(SessionService(session=session), line) for line in lines.values()
    )
    _after_save(session, rows)
    # Loaded as a read would load them, so the answer needs no read. Lines
    # come in catalogue order; several members in the database's order of
    # names, which only the database knows.
    rows.sort(key=lambda row: row.service_type.position)
    loaded = {"services": _loaded(session.services, rows)}
    if len(members) == 1:
        loaded["members"] = _loaded(session.members, members)
    session._prefetched_objects_cache = loaded


def _loaded(manager, rows: list) -> QuerySet:
    """``manager.all()`` answered from ``rows``, as ``prefetch_related`` leaves it."""
    queryset = manager.all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset


def _save(session: AssistanceSession, content: dict) -> None:
    # Members and lines loaded before the edit would be stale after it.
    session.__dict__.pop("_prefetched_objects_cache", None)
    _fill(session, content)
    session.save()
    session.members.set(content["members"])
    lines = {line.service_type.pk: line for line in content["services"]}
    session.services.exclude(service_type__in=lines).delete()
    stored = {line.service_type_id: line for line in session.services.all()}
    rows = []
    for type_id, line in lines.items():
        row = _line(stored.get(type_id) or SessionService(session=session), line)
        row.save()
        rows.append(row)
    _after_save(session, rows)


def session_after_save(session: AssistanceSession) -> None:
    """What a stored session changes elsewhere: follow-ups and e-ID levels."""
    _after_save(session, list(session.services.select_related("service_type")))


def _after_save(session: AssistanceSession, lines: list[SessionService]) -> None:
    _follow_ups_close(session, lines)
    _vneid_follow(session, lines)


def _follow_ups_close(session: AssistanceSession, lines: list[SessionService]) -> None:
    """A service finished (or given up) closes the same people's open follow-ups."""
    if session.is_walk_in:
        return
    follow_up = SessionService.Outcome.FOLLOW_UP
    finished = {line.service_type_id for line in lines if line.outcome != follow_up}
    waiting = [
        line for line in lines if line.outcome == follow_up and line.closed_at is None
    ]
    who = (
        {"session__resident_id": session.resident_id}
        if session.resident_id
        else {"session__household_id": session.household_id}
    )
    # A session has one line per service, so its own lines are never among
    # the others' (finished here, follow-ups there; or the other way round).
    if finished:
        earlier = SessionService.objects.filter(
            **who,
            service_type__in=finished,
            outcome=follow_up,
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
            buckets = {(ward, day) for ward, day, _uuid in closing}
            transaction.on_commit(
                lambda: buckets_changed.send(sender=SessionService, buckets=buckets)
            )
    if waiting:
        # Phones log offline, so this follow-up may arrive after the session
        # that already finished it.
        finished_later = set(
            SessionService.objects.filter(
                **who,
                service_type__in={line.service_type_id for line in waiting},
                session__started_at__gte=session.started_at,
            )
            .exclude(outcome=follow_up)
            .order_by()
            .values_list("service_type_id", flat=True)
        )
        if finished_later:
            now = timezone.now()
            session.services.filter(
                outcome=follow_up,
                closed_at__isnull=True,
                service_type__in=finished_later,
            ).update(closed_at=now)
            for line in waiting:
                if line.service_type_id in finished_later:
                    line.closed_at = now


def _vneid_follow(session: AssistanceSession, lines: list[SessionService]) -> None:
    """A level-2 activation done for a registered person raises their e-ID."""
    resident = session.resident
    if resident is None or resident.vneid_level == Resident.VneidLevel.LEVEL_2:
        return
    activated = any(
        line.service_type.code == ServiceType.LEVEL2_ACTIVATION
        and line.outcome == SessionService.Outcome.DONE
        for line in lines
    )
    if activated:
        resident.vneid_level = Resident.VneidLevel.LEVEL_2
        resident.save()  # through save(): the registry's audit trail records it


def _stored(client_uuid: UUID) -> AssistanceSession | None:
    try:
        return AssistanceSession.objects.get(client_uuid=client_uuid)
    except AssistanceSession.DoesNotExist:
        return None


def _replayed(stored: AssistanceSession, digest: str) -> AssistanceSession:
    if stored.content_digest != digest:
        raise SessionConflict(stored)
    return stored


def _walk_in_default(name: str):
    return "" if name in ("walk_in_gender", "walk_in_age_group") else False


def _content(
    *,
    team: Team | int,
    members: list[Member | int],
    started_at: datetime,
    place: str,
    services: list[ServiceLine],
    household: Household | int | None = None,
    resident: Resident | int | None = None,
    service_point: ServicePoint | int | None = None,
    duration_minutes: int | None = None,
    notes: str = "",
    **walk_in,
) -> dict:
    """The content of a session, as checked, stored and fingerprinted."""
    return {
        "team": team,
        "members": members,
        "started_at": started_at,
        "place": place,
        "services": services,
        "household": household,
        "resident": resident,
        "service_point": service_point,
        "duration_minutes": duration_minutes,
        "notes": (notes or "").strip(),
        **{name: walk_in.get(name, _walk_in_default(name)) for name in WALK_IN_FIELDS},
    }


def _id(value):
    return getattr(value, "pk", value)


def _digest(content: dict) -> str:
    """A stable fingerprint of what was submitted, for telling replays apart."""
    started = content["started_at"].astimezone(UTC).replace(microsecond=0)
    canonical = {
        "team": _id(content["team"]),
        "members": sorted(_id(member) for member in content["members"]),
        "started_at": started.isoformat(),
        "services": sorted(
            [
                line.service_type.pk,
                line.outcome,
                line.reason.strip(),
                line.dossier_ref.strip(),
            ]
            for line in content["services"]
        ),
        **{
            name: _id(value)
            for name, value in content.items()
            if name not in ("team", "members", "started_at", "services")
        },
    }
    encoded = json.dumps(canonical, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()

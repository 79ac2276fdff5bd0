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
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import Level, scope_for
from households.models import Household, Resident
from teams.models import Member, Membership, ServicePoint, Team

from .models import AssistanceSession, ServiceType, SessionService
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
    other content raises :class:`SessionConflict`.
    """
    content = {
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
    digest = _digest(content)
    stored = AssistanceSession.objects.filter(client_uuid=client_uuid).first()
    if stored is not None:
        return _replayed(stored, digest), False
    session_check(**content)
    try:
        with transaction.atomic():
            session = AssistanceSession(
                client_uuid=client_uuid,
                source=source,
                recorded_by=recorded_by,
                content_digest=digest,
            )
            _save(session, content)
    except IntegrityError:
        # Two requests with one UUID raced; the other one stored it first.
        stored = AssistanceSession.objects.filter(client_uuid=client_uuid).first()
        if stored is None:
            raise
        return _replayed(stored, digest), False
    return session, True


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


def _save(session: AssistanceSession, content: dict) -> None:
    for name, value in content.items():
        if name not in ("members", "services"):
            setattr(session, name, value)
    if session.resident_id and session.household_id is None:
        # A person helped is their household reached: counts and filters go
        # by household.
        session.household_id = session.resident.household_id
    session.ward_id = session.team.ward_id
    session.started_on = timezone.localdate(session.started_at)
    session.save()
    session.members.set(content["members"])
    lines = {line.service_type.pk: line for line in content["services"]}
    session.services.exclude(service_type__in=lines).delete()
    stored = {line.service_type_id: line for line in session.services.all()}
    for type_id, line in lines.items():
        row = stored.get(type_id) or SessionService(session=session)
        row.service_type = line.service_type
        row.outcome = line.outcome
        row.reason = line.reason.strip() if line.outcome == "failed" else ""
        row.dossier_ref = line.dossier_ref.strip()
        if line.outcome != SessionService.Outcome.FOLLOW_UP:
            row.closed_at = None
        row.save()
    session_after_save(session)


def session_after_save(session: AssistanceSession) -> None:
    """What a stored session changes elsewhere: follow-ups and e-ID levels."""
    _follow_ups_close(session)
    _vneid_follow(session)


def _follow_ups_close(session: AssistanceSession) -> None:
    """A service finished (or given up) closes the same people's open follow-ups."""
    if session.is_walk_in:
        return
    finished = session.services.exclude(
        outcome=SessionService.Outcome.FOLLOW_UP
    ).values_list("service_type_id", flat=True)
    who = (
        Q(session__resident=session.resident)
        if session.resident_id
        else Q(session__household=session.household)
    )
    earlier = SessionService.objects.filter(
        who,
        service_type__in=list(finished),
        outcome=SessionService.Outcome.FOLLOW_UP,
        closed_at__isnull=True,
        session__started_at__lte=session.started_at,
    ).exclude(session=session)
    buckets = set(earlier.values_list("session__ward_id", "session__started_on"))
    if buckets:
        earlier.update(closed_at=timezone.now())
        transaction.on_commit(
            lambda: buckets_changed.send(sender=SessionService, buckets=buckets)
        )
    # Phones log offline, so this follow-up may arrive after the session
    # that already finished it.
    finished_later = (
        SessionService.objects.filter(who, session__started_at__gte=session.started_at)
        .exclude(session=session)
        .exclude(outcome=SessionService.Outcome.FOLLOW_UP)
        .values("service_type")
    )
    session.services.filter(
        outcome=SessionService.Outcome.FOLLOW_UP,
        closed_at__isnull=True,
        service_type__in=finished_later,
    ).update(closed_at=timezone.now())


def _vneid_follow(session: AssistanceSession) -> None:
    """A level-2 activation done for a registered person raises their e-ID."""
    resident = session.resident
    if resident is None or resident.vneid_level == Resident.VneidLevel.LEVEL_2:
        return
    activated = session.services.filter(
        service_type__code=ServiceType.LEVEL2_ACTIVATION,
        outcome=SessionService.Outcome.DONE,
    ).exists()
    if activated:
        resident.vneid_level = Resident.VneidLevel.LEVEL_2
        resident.save()  # through save(): the registry's audit trail records it


def _replayed(stored: AssistanceSession, digest: str) -> AssistanceSession:
    if stored.content_digest != digest:
        raise SessionConflict(stored)
    return stored


def _walk_in_default(name: str):
    return "" if name in ("walk_in_gender", "walk_in_age_group") else False


def _digest(content: dict) -> str:
    """A stable fingerprint of what was submitted, for telling replays apart."""
    started = content["started_at"].astimezone(UTC).replace(microsecond=0)
    canonical = {
        "team": content["team"].pk,
        "members": sorted(member.pk for member in content["members"]),
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
            name: getattr(value, "pk", value)
            for name, value in content.items()
            if name not in ("team", "members", "started_at", "services")
        },
    }
    encoded = json.dumps(canonical, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()

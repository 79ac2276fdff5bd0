"""The checks of a session: what it names, in one query, and its services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BigIntegerField,
    CharField,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import scope, scope_for
from accounts.serializers import reference_missing
from areas.locks import month_locked
from areas.models import MonthLock
from households.models import Household, Resident
from teams.models import Member, Membership, ServicePoint, Team

from ..models import ServiceType, SessionService

# Phones' clocks drift; a session a few minutes "in the future" is not an error.
CLOCK_SKEW = timedelta(minutes=5)
# Paper records are entered late, but none before the teams existed; the
# bound also keeps every moment within what the calendar and the database
# can convert between time zones.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
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


@dataclass(frozen=True)
class Found:
    """A row a session names, as the reference query read it."""

    ward_id: str
    household_id: int | None  # a resident's household
    current: bool  # a member in the team on the session's day
    label: str  # a team's or a member's name, for the refusals


@dataclass(frozen=True)
class References:
    """What the checks learnt of the rows a session names, for storing it."""

    team_ward_id: str | None
    resident_household_id: int | None
    # The services the same people have a follow-up open for (any team's):
    # only those can be closed by this session.
    open_follow_ups: frozenset = frozenset()


def reference_id(value):
    """The id of a row given as a model instance or as a bare id."""
    return getattr(value, "pk", value)


def started_check(started_at: datetime) -> None:
    """Refuse, before anything else, a moment no session can have."""
    if started_at < EARLIEST:
        raise ValidationError(
            {"started_at": _("A session cannot be before %(year)s.") % {"year": 2000}}
        )


def session_check(
    *,
    team,
    members: list,
    started_at: datetime,
    services: list[ServiceLine] | None,
    household=None,
    resident=None,
    service_point=None,
    visible_to=None,
    **other,
) -> References:
    """Refuse a session that cannot be true, naming each field and problem.

    The rows it names (as instances or ids) are read in one query; with
    ``visible_to`` (a user) only those in that user's scope exist. Returns
    what storing the session needs of them. ``services=None`` skips the
    services (the admin checks them in its inline).
    """
    errors: dict[str, list[str]] = {}

    def refuse(field, message):
        errors.setdefault(field, []).append(message)

    started_check(started_at)
    future = started_at > timezone.now() + CLOCK_SKEW
    if future:
        refuse("started_at", _("A session cannot be in the future."))
    day = timezone.localdate() if future else timezone.localdate(started_at)
    named = {
        "team": reference_id(team),
        "household": reference_id(household),
        "resident": reference_id(resident),
        "service_point": reference_id(service_point),
    }
    member_ids = list(dict.fromkeys(reference_id(member) for member in members))
    found = references_read(named, member_ids, day=day, visible_to=visible_to)
    team_found = found.get(("team", named["team"]))
    if team_found is None:
        refuse("team", reference_missing(named["team"]))
    _members_check(member_ids, found, team_found, refuse)
    _places_check(named, found, team_found, refuse)
    _walk_in_check(named, other, refuse)
    if services is not None:
        try:
            services_check(services)
        except ValidationError as error:
            errors["services"] = error.messages
    if errors:
        raise ValidationError(errors)
    if any(field == MONTH_LOCK for field, _pk in found):
        raise month_locked(ward_id=team_found.ward_id, day=day)
    resident_found = found.get(("resident", named["resident"]))
    return References(
        team_ward_id=team_found.ward_id,
        resident_household_id=resident_found and resident_found.household_id,
        open_follow_ups=frozenset(pk for field, pk in found if field == OPEN_FOLLOW_UP),
    )


def _members_check(member_ids: list, found: dict, team: Found | None, refuse):
    """At least one member, each one in the team on the session's day."""
    if not member_ids:
        refuse("members", _("Choose at least one member who gave the help."))
    for member_id in member_ids:
        member = found.get(("members", member_id))
        if member is None:
            refuse("members", reference_missing(member_id))
        elif team is not None and not member.current:
            refuse(
                "members",
                _("%(member)s is not a member of the team %(team)s on that day.")
                % {"member": member.label, "team": team.label},
            )


def _places_check(named: dict, found: dict, team: Found | None, refuse) -> None:
    """The household, resident and service point exist and are in the ward."""
    ward = team.ward_id if team is not None else None
    wrong_ward = {
        "household": _("The household is not in the team's ward."),
        "resident": _("This person is not in the team's ward."),
        "service_point": _("The service point is not in the team's ward."),
    }
    for field in ("household", "resident", "service_point"):
        if named[field] is None:
            continue
        row = found.get((field, named[field]))
        if row is None:
            refuse(field, reference_missing(named[field]))
        elif (
            field == "resident"
            and named["household"] is not None
            and row.household_id != named["household"]
        ):
            refuse(field, _("This person does not live in the chosen household."))
        elif ward is not None and row.ward_id != ward:
            refuse(field, wrong_ward[field])


def _walk_in_check(named: dict, other: dict, refuse) -> None:
    """A walk-in is described by gender and age; a registered person is not."""
    if named["household"] is None and named["resident"] is None:
        if not other.get("walk_in_gender"):
            refuse("walk_in_gender", _("For a walk-in, choose the person's gender."))
        if not other.get("walk_in_age_group"):
            refuse(
                "walk_in_age_group", _("For a walk-in, choose the person's age group.")
            )
    elif any(other.get(name) for name in WALK_IN_FIELDS):
        refuse(
            "walk_in_gender",
            _("A session is either for a registered household or for a walk-in."),
        )


def references_read(
    named: dict, member_ids: list, *, day: date, visible_to=None
) -> dict[tuple[str, int], Found]:
    """The rows a session names, read in one query, by (field, id).

    A row outside ``visible_to``'s scope is not read: for its sender it
    does not exist. Ids that name no row are simply not found.

    The query is built by the ORM (:func:`references_query`) once per shape
    (which fields are named, how many members, whose scope) and kept with
    its parameters' places: building it cost more than running it, on
    every new session.
    """
    who = None if visible_to is None else scope_for(visible_to)
    if named["team"] is None:  # refused anyway; nothing to keep a shape for
        rows = references_query(named, member_ids, day=day, visible_to=who)
        return _found(rows)
    fields = tuple(name for name in OPTIONAL_REFERENCES if named[name] is not None)
    sql, params, places = _compiled(fields, len(member_ids), who)
    values = {
        "team": named["team"],
        "day": connection.ops.adapt_datefield_value(day),
        **{name: named[name] for name in fields},
        **{("members", index): pk for index, pk in enumerate(member_ids)},
    }
    filled = [
        values[place] if place else param
        for param, place in zip(params, places, strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, filled)
        return _found(cursor.fetchall())


def _found(rows) -> dict[tuple[str, int], Found]:
    return {
        (field, pk): Found(ward, household, bool(member), label)
        for field, pk, ward, household, member, label in rows
    }


OPEN_FOLLOW_UP = "open_follow_up"
MONTH_LOCK = "month_lock"
# Markers stand for the values when the query is built, to find their places
# among its parameters: negative ids and a day no session has.
MARKED_DAY = date(1901, 1, 1)
OPTIONAL_REFERENCES = ("household", "resident", "service_point")


@lru_cache(maxsize=256)
def _compiled(fields: tuple, members: int, who) -> tuple[str, tuple, tuple]:
    marks = {"team": -1, **{name: -2 - index for index, name in enumerate(fields)}}
    member_marks = [-100 - index for index in range(members)]
    named = {"team": -1, **dict.fromkeys(OPTIONAL_REFERENCES), **marks}
    query = references_query(named, member_marks, day=MARKED_DAY, visible_to=who)
    sql, params = query.query.sql_with_params()
    day = connection.ops.adapt_datefield_value(MARKED_DAY)
    places_by_mark = {
        **{mark: name for name, mark in marks.items()},
        **{mark: ("members", index) for index, mark in enumerate(member_marks)},
    }
    places = tuple(
        "day"
        if param == day
        else places_by_mark.get(param)
        if isinstance(param, int) and not isinstance(param, bool)
        else None
        for param in params
    )
    return sql, tuple(params), places


def references_query(named: dict, member_ids: list, *, day: date, visible_to=None):
    """The one query that reads the rows a session names (see above)."""
    current = Membership.objects.filter(
        team_id=named["team"], member_id=OuterRef("pk"), joined_on__lte=day
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
    parts = [_part(Team, "team", [named["team"]], visible_to, label=F("name"))]
    if member_ids:
        parts.append(
            _part(
                Member,
                "members",
                member_ids,
                visible_to,
                current=Exists(current),
                label=F("full_name"),
            )
        )
    for field, model in (
        ("household", Household),
        ("resident", Resident),
        ("service_point", ServicePoint),
    ):
        if named[field] is not None:
            household = F("household_id") if model is Resident else None
            parts.append(_part(model, field, [named[field]], visible_to, household))
    if named["team"] is not None:
        parts.append(_month_lock(named["team"], day))
    people = "resident" if named["resident"] is not None else "household"
    if named[people] is not None:
        parts.append(_open_follow_ups(people, named[people]))
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def _month_lock(team, day: date):
    """The lock of the team's ward on the day's month, if its report is approved.

    Read in the same query as the rows the session names: a session for a
    month still open (nearly all) costs no query more.
    """
    month = TruncMonth(Value(day, output_field=DateField()), output_field=DateField())
    rows = MonthLock.objects.filter(
        ward_id__in=Team.objects.filter(pk=team).values("ward_id"), month=month
    ).order_by()
    return rows.annotate(
        ref_field=Value(MONTH_LOCK),
        ref_id=F("pk"),
        ref_ward=F("ward_id"),
        ref_household=Cast(Value(None), BigIntegerField()),
        ref_current=Value(True),
        ref_label=Cast(Value(""), CharField()),
    ).values_list(
        "ref_field", "ref_id", "ref_ward", "ref_household", "ref_current", "ref_label"
    )


def _open_follow_ups(people: str, pk):
    """The services the same people wait on, whichever team left them open.

    Not limited to the sender's scope: nothing of them is shown, and a
    follow-up of another team is closed all the same (see follow_ups.py).
    """
    rows = SessionService.objects.filter(
        **{"session__%s_id" % people: pk},
        outcome=SessionService.Outcome.FOLLOW_UP,
        closed_at__isnull=True,
    ).order_by()
    return rows.annotate(
        ref_field=Value(OPEN_FOLLOW_UP),
        ref_id=F("service_type_id"),
        ref_ward=F("session__ward_id"),
        ref_household=Cast(Value(None), BigIntegerField()),
        ref_current=Value(True),
        ref_label=Cast(Value(""), CharField()),
    ).values_list(
        "ref_field", "ref_id", "ref_ward", "ref_household", "ref_current", "ref_label"
    )


def _part(model, field, ids, visible_to, household=None, *, current=None, label=None):
    rows = model.objects.filter(pk__in=ids).order_by()
    if visible_to is not None:
        rows = scope(rows, visible_to)
    # Only expressions, named alike and in one order, the constants typed
    # (PostgreSQL takes a bare NULL for text): the parts line up.
    return rows.annotate(
        ref_field=Value(field),
        ref_id=F("pk"),
        ref_ward=F("ward_id"),
        ref_household=household or Cast(Value(None), BigIntegerField()),
        ref_current=current or Value(True),
        ref_label=label or Cast(Value(""), CharField()),
    ).values_list(
        "ref_field", "ref_id", "ref_ward", "ref_household", "ref_current", "ref_label"
    )


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

"""What a user may read of assistance work: every query goes through the scope."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone, translation

from accounts.models import Role
from accounts.scope import Level, scope, scope_for
from core.resources import formula_neutralise
from core.text import match_rank, text_fold
from households.models import Household, Resident
from teams.models import Member, Shift

from .models import (
    AssistanceSession,
    Campaign,
    SessionService,
)

FIND_LIMIT = 15
# Rows read to rank before the first FIND_LIMIT are shown.
FIND_CANDIDATES = 200


def session_list(*, user) -> QuerySet[AssistanceSession]:
    return scope(AssistanceSession.objects.all(), user).select_related(
        "team", "household", "resident", "service_point"
    )


def session_recent(*, user, days: int = 7) -> QuerySet[AssistanceSession]:
    """A member's own recent sessions; a leader's team's (the scope keeps the team)."""
    since = timezone.now() - timedelta(days=days)
    sessions = session_list(user=user).filter(started_at__gte=since)
    if user.role == Role.TEAM_MEMBER:
        sessions = sessions.filter(
            Q(recorded_by=user) | Q(members__user=user)
        ).distinct()
    return sessions.prefetch_related(
        Prefetch("services", SessionService.objects.select_related("service_type")),
        "members",
    )


def follow_up_list(*, user) -> QuerySet[SessionService]:
    """Services started but not finished, oldest first."""
    lines = scope(SessionService.objects.all(), user).filter(
        outcome=SessionService.Outcome.FOLLOW_UP, closed_at__isnull=True
    )
    if user.role == Role.TEAM_MEMBER:
        lines = lines.filter(
            Q(session__recorded_by=user) | Q(session__members__user=user)
        ).distinct()
    return lines.select_related(
        "service_type", "session__household", "session__resident"
    ).order_by("session__started_at")


def member_for(user) -> Member | None:
    return scope(Member.objects.filter(user=user), user).first()


def team_members(*, user) -> QuerySet[Member]:
    """The members of the user's team today, for the "who helped" choice."""
    current = scope_for(user)
    if current.level != Level.TEAM:
        return Member.objects.none()
    today = timezone.localdate()
    # One filter() call: the three conditions must hold for the same
    # membership, not for any of the member's memberships.
    return (
        scope(Member.objects.all(), user)
        .filter(
            Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gte=today),
            memberships__team_id=current.team,
            memberships__joined_on__lte=today,
        )
        .distinct()
        .order_by("full_name")
    )


def shift_next(*, user) -> Shift | None:
    member = member_for(user)
    if member is None:
        return None
    now = timezone.localtime()
    upcoming = scope(Shift.objects.filter(members=member), user).filter(
        date__gte=now.date()
    )
    if now.hour >= 12:  # the morning shift has passed
        upcoming = upcoming.exclude(date=now.date(), period=Shift.Period.MORNING)
    return upcoming.select_related("service_point").order_by("date", "period").first()


def session_counts(*, user) -> dict[str, int]:
    """Today's and this week's sessions of the user (a leader: of the team)."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    sessions = session_list(user=user).filter(started_on__gte=monday)
    if user.role == Role.TEAM_MEMBER:
        sessions = sessions.filter(Q(recorded_by=user) | Q(members__user=user))
    return sessions.aggregate(
        today=Count("pk", filter=Q(started_on=today), distinct=True),
        week=Count("pk", distinct=True),
    )


def household_find(*, user, query: str) -> list[Household]:
    """Households, with their matching residents, for an as-you-type search.

    The best matches come first (``core.text.match_rank`` on the head's and
    the matching residents' names: the exact name, then whole words in
    order, then word starts), ties by code; the first ``FIND_LIMIT`` show.
    """
    words = text_fold(query).split()
    if not words or len("".join(words)) < 2:
        return []
    households = scope(Household.objects.all(), user)
    residents = scope(Resident.objects.all(), user)
    for word in words:
        households = households.filter(search_text__contains=word)
        residents = residents.filter(search_text__contains=word)
    rank: dict[int, int] = {}
    for pk, head in households.values_list("pk", "head_name")[:FIND_CANDIDATES]:
        rank[pk] = match_rank(head, words)
    by_household: dict[int, list[Resident]] = {}
    for resident in residents.order_by("full_name")[:FIND_CANDIDATES]:
        by_household.setdefault(resident.household_id, []).append(resident)
        best = match_rank(resident.full_name, words)
        rank[resident.household_id] = min(rank.get(resident.household_id, 3), best)
    codes = dict(Household.objects.filter(pk__in=rank).values_list("pk", "code"))
    best = sorted(codes, key=lambda pk: (rank[pk], codes[pk]))[:FIND_LIMIT]
    found = sorted(
        scope(Household.objects.filter(pk__in=best), user)
        .select_related("hamlet")
        .prefetch_related("residents"),
        key=lambda household: best.index(household.pk),
    )
    for household in found:
        household.matched_residents = by_household.get(household.pk, [])
    return found


def campaign_list(*, user) -> QuerySet[Campaign]:
    """Campaigns over the user's province, or over the user's own ward."""
    campaigns = scope(Campaign.objects.select_related("province", "ward"), user)
    return campaigns.prefetch_related("targets")


# The sessions file's columns, in Vietnamese like the registry's templates: a
# file is handed on as it is, whatever language its author reads the site in.
SESSION_EXPORT_HEADERS = [
    "Mã lượt",
    "Thời điểm",
    "Mã xã/phường",
    "Tổ",
    "Nơi hỗ trợ",
    "Điểm phục vụ",
    "Mã hộ",
    "Vãng lai",
    "Dịch vụ",
    "Thời lượng (phút)",
    "Nguồn",
]
SESSION_EXPORT_CHUNK = 1000


def session_export_rows(*, sessions: QuerySet[AssistanceSession]) -> Iterator[list]:
    """The rows of a sessions file, ``sessions`` (already scoped) by id.

    Read a chunk at a time by key, each chunk's services in one more query,
    so a ward's year streams with flat memory and no cursor held open.
    """
    with translation.override("vi"):
        places = {value: str(label) for value, label in AssistanceSession.Place.choices}
        sources = {
            value: str(label) for value, label in AssistanceSession.Source.choices
        }
        outcomes = {
            value: str(label) for value, label in SessionService.Outcome.choices
        }
    sessions = sessions.order_by("pk")
    last = 0
    while True:
        chunk = list(
            sessions.filter(pk__gt=last).values_list(
                "pk",
                "started_at",
                "ward_id",
                "team__name",
                "place",
                "service_point__name",
                "household__code",
                "duration_minutes",
                "source",
            )[:SESSION_EXPORT_CHUNK]
        )
        if not chunk:
            return
        last = chunk[-1][0]
        services = {}
        lines = (
            SessionService.objects.filter(session_id__in=[row[0] for row in chunk])
            .order_by("session_id", "pk")
            .values_list("session_id", "service_type__name_vi", "outcome")
        )
        for session_id, name, outcome in lines:
            services.setdefault(session_id, []).append(
                "%s (%s)" % (name, outcomes.get(outcome, outcome))
            )
        for pk, started, ward, team, place, point, code, minutes, source in chunk:
            yield [
                pk,
                timezone.localtime(started).strftime("%d/%m/%Y %H:%M"),
                ward,
                formula_neutralise(team or ""),
                places.get(place, place),
                formula_neutralise(point or ""),
                formula_neutralise(code or ""),
                "" if code else "có",
                "; ".join(services.get(pk, ())),
                "" if minutes is None else minutes,
                sources.get(source, source),
            ]

"""The team's visit list, "Cần đến": its households not reached in the period.

Reached means a session of the team with the household in the period: the
running campaign over the team's ward, or else the current month. A team has
a few hundred households at most, so this is read straight from the sessions
(one query, the last visit of each household as a subquery), not from the
dashboards' summary tables.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.scope import Level, scope, scope_for
from areas.models import Hamlet
from households.models import Household

from .groups import POOR_LEVELS
from .models import AssistanceSession, Campaign, HouseholdAssignment

# The priority groups a household can be filtered by, with their badge text.
GROUPS = {
    "elderly": (Q(elderly_alone=True), _("elderly alone")),
    "disability": (Q(disability=True), _("disability")),
    "poor": (Q(poverty__in=POOR_LEVELS), _("poor or near-poor")),
    "ethnic_minority": (Q(ethnic_minority=True), _("ethnic minority")),
    "no_smartphone": (Q(no_smartphone=True), _("no smartphone")),
}


def any_priority() -> Q:
    found = Q()
    for condition, _label in GROUPS.values():
        found |= condition
    return found


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    campaign: Campaign | None = None

    @property
    def label(self) -> str:
        if self.campaign is not None:
            return gettext("%(name)s (%(start)s – %(end)s)") % {
                "name": self.campaign.name,
                "start": self.start.strftime("%d/%m/%Y"),
                "end": self.end.strftime("%d/%m/%Y"),
            }
        return gettext("Month %(month)s/%(year)s") % {
            "month": self.start.month,
            "year": self.start.year,
        }


def week_start(day: date | None = None) -> date:
    """The Monday of the week of ``day`` (today by default)."""
    day = day or timezone.localdate()
    return day - timedelta(days=day.weekday())


def visit_period(*, user, today: date | None = None) -> Period:
    """The campaign running today over the user's ward, or the current month.

    A campaign over the ward itself wins over one over the whole province;
    then the one started last.
    """
    today = today or timezone.localdate()
    campaign = (
        scope(Campaign.objects.all(), user)
        .filter(starts_on__lte=today, ends_on__gte=today)
        .order_by(F("ward").asc(nulls_last=True), "-starts_on", "pk")
        .first()
    )
    if campaign is not None:
        return Period(campaign.starts_on, campaign.ends_on, campaign)
    last_day = calendar.monthrange(today.year, today.month)[1]
    return Period(today.replace(day=1), today.replace(day=last_day))


def team_households(*, user) -> QuerySet[Household]:
    """The households of the user's team: its hamlet's, or the whole ward's."""
    current = scope_for(user)
    households = scope(Household.objects.all(), user)
    if current.level != Level.TEAM:
        return households.none()
    if user.team.hamlet_id:
        households = households.filter(hamlet_id=user.team.hamlet_id)
    return households


def team_hamlets(*, user) -> QuerySet[Hamlet]:
    """The hamlets the team's households are in, for the filter."""
    return scope(Hamlet.objects.all(), user).filter(
        pk__in=team_households(user=user).values("hamlet")
    )


def visit_list(
    *, user, period: Period, filters: dict | None = None
) -> QuerySet[Household]:
    """The team's households not reached in ``period``, those to visit first first.

    Priority households (any group) first, then the longest since the last
    visit (never visited first), then by code. ``filters``: ``hamlet`` (an id),
    ``group`` (a key of ``GROUPS``), ``mine`` (true: assigned to the user this
    week). Each household carries ``last_visit`` and ``is_priority``.
    """
    filters = filters or {}
    sessions = scope(AssistanceSession.objects.all(), user).filter(
        household=OuterRef("pk")
    )
    last_visit = sessions.order_by("-started_on").values("started_on")[:1]
    reached = sessions.filter(started_on__gte=period.start, started_on__lte=period.end)
    households = (
        team_households(user=user)
        .select_related("hamlet")
        .annotate(
            last_visit=Subquery(last_visit),
            is_priority=Case(
                When(any_priority(), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .exclude(Exists(reached))
    )
    if filters.get("hamlet"):
        households = households.filter(hamlet_id=filters["hamlet"])
    if filters.get("group") in GROUPS:
        households = households.filter(GROUPS[filters["group"]][0])
    if filters.get("mine"):
        households = households.filter(
            Exists(
                assignment_list(user=user).filter(
                    household=OuterRef("pk"), member__user=user
                )
            )
        )
    return households.order_by(
        "-is_priority", F("last_visit").asc(nulls_first=True), "code"
    )


def assignment_list(*, user, week: date | None = None) -> QuerySet[HouseholdAssignment]:
    """The team's assignments of the week (this week by default)."""
    return scope(HouseholdAssignment.objects.all(), user).filter(
        week_start=week or week_start()
    )


def household_badges(household: Household) -> list[str]:
    """The priority groups a household belongs to, as badge texts."""
    flags = {
        "elderly": household.elderly_alone,
        "disability": household.disability,
        "poor": household.poverty in POOR_LEVELS,
        "ethnic_minority": household.ethnic_minority,
        "no_smartphone": household.no_smartphone,
    }
    return [key for key, flag in flags.items() if flag]

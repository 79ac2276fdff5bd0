"""The programme's indicators, each defined once, over the summary tables.

Every function takes an :class:`Area` (national, a province or a ward) and,
for activity, a period of days; none reads a raw session, so the cost does
not grow with their number. The registry shares are "now", not per period;
members' training counts the events starting in the current calendar year.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth, TruncWeek
from django.utils.translation import gettext_lazy as _

from areas.models import Hamlet, Province, Ward
from assistance.models import Campaign, Indicator, ServiceType
from teams.models import Member, Team
from training.models import Workshop

from .models import (
    DayHousehold,
    DayMemberStat,
    DayServiceStat,
    DayTeamStat,
    DayWorkshopStat,
    NationDayReach,
    NationDayServiceStat,
    NationDayStat,
    ProvinceDayReach,
    ProvinceDayServiceStat,
    ProvinceDayStat,
    TeamRegistryStat,
    WardRegistryStat,
)
from .reached import first_days, reached_by_ward, reached_sum


@dataclass(frozen=True)
class Area:
    """Where figures are counted: ``level`` national, province or ward."""

    level: str
    code: str | None = None
    name: str = ""

    def filter(self, queryset, ward_field: str = "ward"):
        if self.level == "province":
            return queryset.filter(**{"%s__province_id" % ward_field: self.code})
        if self.level == "ward":
            return queryset.filter(**{"%s_id" % ward_field: self.code})
        return queryset


# The rows above the ward that sum each ward table's figures, under the same
# column names (households reached: counted by reports.reached.reached_sum):
# (a province's day, the nation's day).
ROLLUPS = {
    DayTeamStat: (ProvinceDayStat, NationDayStat),
    DayServiceStat: (ProvinceDayServiceStat, NationDayServiceStat),
    DayHousehold: (ProvinceDayReach, NationDayReach),
}


def narrowest(area: Area, table, *, by_province: bool = False):
    """The rows of the narrowest table that holds ``table``'s figures for the
    area: a ward's own rows, a province's days, or the nation's days (the
    provinces' days when the answer is split ``by_province``).

    The rollups keep the ward tables' column names, so the same sums apply
    (households reached: :func:`reports.reached.reached_sum` of the model);
    a table without a rollup is read by ward.
    """
    if area.level == "ward" or table not in ROLLUPS:
        return area.filter(table.objects.all())
    province, nation = ROLLUPS[table]
    if area.level == "province":
        return province.objects.filter(province_id=area.code)
    return (province if by_province else nation).objects.all()


@dataclass(frozen=True)
class Definition:
    code: str
    label: str
    description: str
    share: bool = False  # a ratio between 0 and 1, shown as a percentage


DEFINITIONS = [
    Definition("sessions", _("Sessions"), _("Assistance sessions logged.")),
    Definition(
        "services_given",
        _("Services given"),
        _("Services given in sessions, whatever their outcome."),
    ),
    Definition(
        "households_reached",
        _("Households reached"),
        _("Registered households helped at least once in the period."),
    ),
    Definition(
        "level2_activations",
        _("Level-2 e-ID activations"),
        _("“Activate level-2 e-ID” services done."),
    ),
    Definition(
        "online_filings",
        _("Online filings"),
        _("Online public-service filings done."),
    ),
    Definition(
        "cashless_setups",
        _("Cashless set-ups"),
        _("Cashless payment services done (bank or e-wallet app, bills by QR)."),
    ),
    Definition(
        "priority_sessions",
        _("Priority groups reached"),
        _(
            "Sessions with a person of a priority group: elderly, disability, "
            "poor or near-poor, ethnic minority, basic phone."
        ),
    ),
    Definition(
        "elderly_sessions", _("Elderly"), _("Sessions with a person 60 or over.")
    ),
    Definition(
        "disability_sessions",
        _("People with disability"),
        _("Sessions with a person with disability."),
    ),
    Definition(
        "poor_sessions",
        _("Poor households"),
        _("Sessions with a poor or near-poor household."),
    ),
    Definition(
        "sessions_per_member_day",
        _("Sessions per member per duty day"),
        _("Sessions a member took part in, per day the member logged any."),
    ),
    Definition(
        "open_follow_ups",
        _("Open follow-ups"),
        _("Services started, needing follow-up, not yet finished (any day)."),
    ),
    Definition(
        "focal_share",
        _("Households with a digital focal person"),
        _("Share of registered households with a digital focal person (now)."),
        share=True,
    ),
    Definition(
        "level2_share",
        _("Residents with level-2 e-ID"),
        _("Share of registered residents with level-2 e-ID (now)."),
        share=True,
    ),
    Definition(
        "hamlet_coverage",
        _("Hamlet coverage"),
        _("Share of hamlets served by an active team (now)."),
        share=True,
    ),
    Definition(
        "members_per_team",
        _("Members per team"),
        _("Current members of active teams, per team (now)."),
    ),
    Definition(
        "members_trained_share",
        _("Members trained this year"),
        _(
            "Share of current members who attended or completed a training "
            "event starting this calendar year (now)."
        ),
        share=True,
    ),
    Definition(
        "courses_completed",
        _("Courses completed this year"),
        _(
            "Courses completed by the area's members at training events "
            "starting this calendar year (now)."
        ),
    ),
    Definition(
        "workshops",
        _("Workshops for residents"),
        _("Group workshops the teams held for residents."),
    ),
    Definition(
        "workshop_attendees",
        _("Workshop attendees"),
        _(
            "Residents at the workshops, as counted at each one: a person at "
            "two workshops counts twice."
        ),
    ),
]
BY_CODE = {definition.code: definition for definition in DEFINITIONS}
INTERVALS = ("day", "week", "month")


def _ratio(part, whole) -> float | None:
    return round(part / whole, 4) if whole else None


def _types(**lookups):
    return ServiceType.objects.filter(**lookups).values("pk")


def activity_sums(since=None) -> dict:
    """How each activity indicator adds up over each summary table, for the
    rows on or after ``since`` (a date or an expression: the households
    reached count each household on its first day since then).

    The one definition: the headline, the rankings and the statistics API
    all aggregate with these (households reached over a rollup: with
    :func:`reports.reached.reached_sum` of its model).
    """
    done = "done"
    return {
        DayTeamStat: {
            "sessions": Sum("sessions", default=0),
            "priority_sessions": Sum("priority", default=0),
            "elderly_sessions": Sum("elderly", default=0),
            "disability_sessions": Sum("disability", default=0),
            "poor_sessions": Sum("poor", default=0),
        },
        DayServiceStat: {
            "services_given": Sum(F("done") + F("follow_up") + F("failed"), default=0),
            # The service types by a subquery, not a join per summary row.
            "level2_activations": Sum(
                done,
                filter=Q(service_type__in=_types(code=ServiceType.LEVEL2_ACTIVATION)),
                default=0,
            ),
            "online_filings": Sum(
                done, filter=Q(service_type__in=_types(is_filing=True)), default=0
            ),
            "cashless_setups": Sum(
                done, filter=Q(category=ServiceType.Category.CASHLESS), default=0
            ),
        },
        DayHousehold: {"households_reached": reached_sum(DayHousehold, since)},
        DayWorkshopStat: {
            "workshops": Sum("workshops", default=0),
            "workshop_attendees": Sum("attendees", default=0),
        },
    }


def activity(area: Area, start: date, end: date) -> dict:
    """Every activity indicator over the days ``start`` to ``end``."""
    days = {"day__gte": start, "day__lte": end}
    sums = activity_sums(start)
    if area.level == "ward":
        figures = {}
        for table, table_sums in sums.items():
            figures.update(
                area.filter(table.objects.filter(**days)).aggregate(**table_sums)
            )
        members = area.filter(DayMemberStat.objects.filter(**days)).aggregate(
            helped=Coalesce(Sum("sessions"), 0), member_days=Count("pk")
        )
    else:
        # One row a day holds the sessions', members' and workshops' figures.
        figures = (
            narrowest(area, DayTeamStat)
            .filter(**days)
            .aggregate(
                **sums[DayTeamStat],
                **sums[DayWorkshopStat],
                helped=Sum("member_sessions", default=0),
                member_days=Sum("member_days", default=0),
            )
        )
        members = {name: figures.pop(name) for name in ("helped", "member_days")}
        figures.update(
            narrowest(area, DayServiceStat)
            .filter(**days)
            .aggregate(**sums[DayServiceStat])
        )
        reached = narrowest(area, DayHousehold).filter(**days)
        figures.update(
            reached.aggregate(households_reached=reached_sum(reached.model, start))
        )
    figures["sessions_per_member_day"] = _ratio(
        members["helped"], members["member_days"]
    )
    return figures


def registry(area: Area) -> dict:
    """The registry shares of the area now, from the cached ward figures."""
    totals = area.filter(WardRegistryStat.objects.all()).aggregate(
        households=Coalesce(Sum("households"), 0),
        households_with_focal=Coalesce(Sum("households_with_focal"), 0),
        residents=Coalesce(Sum("residents"), 0),
        residents_level2=Coalesce(Sum("residents_level2"), 0),
        hamlets=Coalesce(Sum("hamlets"), 0),
        hamlets_covered=Coalesce(Sum("hamlets_covered"), 0),
        teams=Coalesce(Sum("teams"), 0),
        members=Coalesce(Sum("members"), 0),
        members_trained=Coalesce(Sum("members_trained_this_year"), 0),
        courses_completed=Coalesce(Sum("courses_completed_this_year"), 0),
    )
    return {
        **totals,
        "focal_share": _ratio(totals["households_with_focal"], totals["households"]),
        "level2_share": _ratio(totals["residents_level2"], totals["residents"]),
        "hamlet_coverage": _ratio(totals["hamlets_covered"], totals["hamlets"]),
        "members_per_team": _ratio(totals["members"], totals["teams"]),
        "members_trained_share": _ratio(totals["members_trained"], totals["members"]),
    }


def open_follow_ups(area: Area) -> int:
    return narrowest(area, DayServiceStat).aggregate(
        total=Coalesce(Sum("open_follow_up"), 0)
    )["total"]


def headline(area: Area, start: date, end: date) -> dict:
    """All indicators, and the activity of the period just before, to compare."""
    length = (end - start).days + 1
    before = activity(area, start - timedelta(days=length), start - timedelta(days=1))
    return {
        **activity(area, start, end),
        **registry(area),
        "open_follow_ups": open_follow_ups(area),
        "previous": before,
    }


def trend(area: Area, start: date, end: date, interval: str = "day") -> list[dict]:
    """Sessions and services given per day, week or month."""
    period = {"day": F("day"), "week": TruncWeek("day"), "month": TruncMonth("day")}[
        interval
    ]
    days = {"day__gte": start, "day__lte": end}
    sessions = {
        row["period"]: row["sessions"]
        for row in narrowest(area, DayTeamStat)
        .filter(**days)
        .annotate(period=period)
        .values("period")
        .annotate(sessions=Sum("sessions"))
        .order_by()
    }
    by_category = {}
    for row in (
        narrowest(area, DayServiceStat)
        .filter(**days)
        .annotate(period=period)
        .values("period", "category")
        .annotate(given=Sum(F("done") + F("follow_up") + F("failed")))
        .order_by()
    ):
        by_category.setdefault(row["period"], {})[row["category"]] = row["given"]
    periods = sorted(set(sessions) | set(by_category), key=_as_date)
    return [
        {
            "period": _as_date(period),
            "sessions": sessions.get(period, 0),
            "categories": by_category.get(period, {}),
        }
        for period in periods
    ]


def _period_sums(area: Area, model, start: date, end: date, group, names):
    """The sums of the named columns over the period, one row per ``group``."""
    return (
        narrowest(area, model)
        .filter(day__gte=start, day__lte=end)
        .values(*group)
        .annotate(**{name: Sum(name) for name in names})
        .order_by()
    )


def service_mix(area: Area, start: date, end: date) -> list[dict]:
    """Services given in the period by service type, most given first."""
    rows = _period_sums(
        area,
        DayServiceStat,
        start,
        end,
        ("service_type", "category"),
        ("done", "follow_up", "failed"),
    )
    names = {service.pk: service for service in ServiceType.objects.all()}
    mix = [
        {
            "service": names[row["service_type"]],
            "category": row["category"],
            "done": row["done"],
            "follow_up": row["follow_up"],
            "failed": row["failed"],
            "given": row["done"] + row["follow_up"] + row["failed"],
        }
        for row in rows
    ]
    return sorted(mix, key=lambda row: -row["given"])


def workshop_mix(area: Area, start: date, end: date) -> list[dict]:
    """Residents' workshops of the period by topic and audience, largest first."""
    rows = _period_sums(
        area,
        DayWorkshopStat,
        start,
        end,
        ("topic", "audience"),
        ("workshops", "attendees", "women", "elderly", "disability", "poor"),
    )
    topics = dict(ServiceType.Category.choices)
    audiences = dict(Workshop.Audience.choices)
    mix = [
        {
            **row,
            "topic_label": topics.get(row["topic"], row["topic"]),
            "audience_label": audiences.get(row["audience"], row["audience"]),
        }
        for row in rows
    ]
    return sorted(
        mix, key=lambda row: (-row["attendees"], row["topic"], row["audience"])
    )


def campaign_progress(campaign: Campaign) -> list[dict]:
    """Each target of a campaign against its count from the summary tables.

    Households reached, all or priority ones, are the campaign's coverage (its
    area and days), so a target's households still to reach are the coverage's
    households not reached, the same ones the admin's list filter shows.
    """
    from .coverage import campaign_area, coverage  # coverage reads Area from here

    area = campaign_area(campaign)
    counts = activity(area, campaign.starts_on, campaign.ends_on)
    covered = coverage(area, campaign.starts_on, campaign.ends_on)[0]
    counted = {
        Indicator.SESSIONS: counts["sessions"],
        Indicator.HOUSEHOLDS_REACHED: covered["reached"],
        Indicator.LEVEL2_ACTIVATIONS: counts["level2_activations"],
        Indicator.ONLINE_FILINGS: counts["online_filings"],
        Indicator.CASHLESS_SETUPS: counts["cashless_setups"],
        Indicator.PRIORITY_REACHED: counts["priority_sessions"],
        Indicator.PRIORITY_HOUSEHOLDS_REACHED: covered["priority_reached"],
    }
    # Household targets: the area's households, those still to reach, and the
    # value of the admin's "not reached during the campaign" filter.
    households = {
        Indicator.HOUSEHOLDS_REACHED: (
            covered["households"],
            covered["not_reached"],
            str(campaign.pk),
        ),
        Indicator.PRIORITY_HOUSEHOLDS_REACHED: (
            covered["priority_households"],
            covered["priority_not_reached"],
            "%s-priority" % campaign.pk,
        ),
    }
    progress = []
    for target in campaign.targets.all():
        in_area, remaining, not_reached = households.get(
            target.indicator, (None, None, None)
        )
        progress.append(
            {
                "indicator": target.indicator,
                "label": target.get_indicator_display(),
                "target": target.target,
                "count": counted[target.indicator],
                "share": _ratio(counted[target.indicator], target.target),
                "households": in_area,
                "remaining": remaining,
                "not_reached": not_reached,
            }
        )
    return progress


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") else value


REGISTRY_SUMS = {
    "households": Sum("households"),
    "households_with_focal": Sum("households_with_focal"),
    "residents": Sum("residents"),
    "residents_level2": Sum("residents_level2"),
    "hamlets": Sum("hamlets"),
    "hamlets_covered": Sum("hamlets_covered"),
    "teams": Sum("teams"),
    "members": Sum("members"),
    "members_trained": Sum("members_trained_this_year"),
}


def ranking(
    area: Area, start: date, end: date, reads: dict | None = None
) -> list[dict]:
    """The child areas side by side: a province's wards, or the provinces.

    ``reads`` keeps the wards' households reached for the coverage by ward
    (reports.reached.reached_by_ward).
    """
    child = "ward" if area.level == "province" else "ward__province"
    days = {"day__gte": start, "day__lte": end}

    def grouped(queryset, child=child, **sums):
        rows = queryset.values(child).annotate(**sums).order_by()
        return {row[child]: row for row in rows}

    def summed(table):
        """The days of the children: the provinces' own rows for the nation."""
        if area.level == "national":
            rows = narrowest(area, table, by_province=True).filter(**days)
            table_sums = sums[table]
            if table is DayHousehold:
                table_sums = {"households_reached": reached_sum(rows.model, start)}
            return grouped(rows, "province", **table_sums)
        return grouped(area.filter(table.objects.filter(**days)), **sums[table])

    sums = activity_sums(start)
    teams = summed(DayTeamStat)
    services = summed(DayServiceStat)
    if area.level == "province":
        households = reached_by_ward(area, start, end, reads)
    else:
        households = summed(DayHousehold)
    registry_rows = grouped(
        area.filter(WardRegistryStat.objects.all()), **REGISTRY_SUMS
    )
    if area.level == "province":
        children = Ward.objects.filter(province_id=area.code).order_by("code")
    else:
        children = Province.objects.order_by("code")
    return [
        {
            "code": unit.pk,
            "name": unit.name,
            **_ranking_activity(
                teams.get(unit.pk, {}),
                services.get(unit.pk, {}),
                households.get(unit.pk, {}),
            ),
            **_ranking_registry(registry_rows.get(unit.pk, {})),
        }
        for unit in children
    ]


def _ranking_activity(activity_row, service_row, household_row) -> dict:
    return {
        "sessions": activity_row.get("sessions") or 0,
        "priority_sessions": activity_row.get("priority_sessions") or 0,
        "level2_activations": service_row.get("level2_activations") or 0,
        "online_filings": service_row.get("online_filings") or 0,
        "households_reached": household_row.get("households_reached", 0),
    }


def _ranking_registry(registry_row) -> dict:
    def share(part, whole):
        return _ratio(registry_row.get(part) or 0, registry_row.get(whole) or 0)

    return {
        "households": registry_row.get("households") or 0,
        "teams": registry_row.get("teams") or 0,
        "members": registry_row.get("members") or 0,
        "focal_share": share("households_with_focal", "households"),
        "level2_share": share("residents_level2", "residents"),
        "hamlet_coverage": share("hamlets_covered", "hamlets"),
        "members_trained_share": share("members_trained", "members"),
    }


def lagging(rows: list[dict], *, level2_below: float = 0.6) -> list[dict]:
    """Wards (or provinces) that need attention, each with its reasons."""
    if not rows:
        return []
    active = sorted(row["sessions"] for row in rows)
    low_activity = active[len(active) // 4]  # the bottom quarter
    flagged = []
    for row in rows:
        reasons = []
        if not row["teams"]:
            reasons.append(_("no team"))
        elif row["hamlet_coverage"] is not None and row["hamlet_coverage"] < 1:
            reasons.append(_("hamlets without a team"))
        if row["sessions"] <= low_activity:
            reasons.append(_("little activity"))
        if row["level2_share"] is not None and row["level2_share"] < level2_below:
            reasons.append(_("low level-2 e-ID share"))
        if reasons:
            flagged.append({**row, "reasons": reasons})
    return flagged


def by_team(area: Area, start: date, end: date) -> list[dict]:
    """A ward's teams: sessions, priority reach and members in the period."""
    rows = {
        row["team"]: row
        for row in area.filter(DayTeamStat.objects.filter(day__gte=start, day__lte=end))
        .values("team", "team__name", "hamlet__name")
        .annotate(sessions=Sum("sessions"), priority=Sum("priority"))
        .order_by()
    }
    members = {
        row.team_id: row.members
        for row in area.filter(TeamRegistryStat.objects.select_related("team"))
    }
    for team_id in members:
        rows.setdefault(team_id, None)
    names = {
        team.pk: team
        for team in Team.objects.filter(pk__in=rows).select_related("hamlet")
    }
    table = []
    for team_id, row in rows.items():
        team = names[team_id]
        count = members.get(team_id, 0)
        sessions = row["sessions"] if row else 0
        table.append(
            {
                "team": team,
                "hamlet": team.hamlet,
                "members": count,
                "sessions": sessions,
                "priority": row["priority"] if row else 0,
                "per_member": _ratio(sessions, count),
            }
        )
    return sorted(table, key=lambda row: -row["sessions"])


def by_hamlet(area: Area, start: date, end: date) -> list[dict]:
    """A ward's hamlets: sessions of their teams and households reached."""
    days = {"day__gte": start, "day__lte": end}
    sessions = {
        row["hamlet"]: row["sessions"]
        for row in area.filter(DayTeamStat.objects.filter(**days))
        .values("hamlet")
        .annotate(sessions=Sum("sessions"))
        .order_by()
    }
    reached = {
        row["hamlet"]: row["households"]
        for row in area.filter(DayHousehold.objects.filter(**days))
        .values("hamlet")
        .annotate(households=Count("pk", filter=first_days(start)))
        .order_by()
    }
    hamlets = area.filter(Hamlet.objects.all()).order_by("name")
    return [
        {
            "hamlet": hamlet,
            "sessions": sessions.get(hamlet.pk, 0),
            "households_reached": reached.get(hamlet.pk, 0),
        }
        for hamlet in hamlets
    ]


def workload(area: Area, start: date, end: date) -> list[dict]:
    """Each member's sessions, duty days and sessions per duty day."""
    rows = list(
        area.filter(DayMemberStat.objects.filter(day__gte=start, day__lte=end))
        .values("member")
        .annotate(sessions=Sum("sessions"), days=Count("day", distinct=True))
        .order_by("-sessions")
    )
    names = Member.objects.in_bulk([row["member"] for row in rows])
    return [
        {
            "member": names[row["member"]],
            "sessions": row["sessions"],
            "days": row["days"],
            "per_day": _ratio(row["sessions"], row["days"]),
        }
        for row in rows
    ]

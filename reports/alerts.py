"""Alerts: what in an area needs an official's attention now.

One selector per kind, each reading the registry and the summary tables
(never raw sessions), for an area the caller has already resolved within the
user's scope. An alert names its subject (a team, a member or a ward), since
when it holds, a count, and the address of the list behind it. An alert
clears by itself: it is computed from the rows as they are today.

The "hamlet behind its campaign's pace" alert waits for the coverage tables.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from urllib.parse import urlencode

from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from areas.models import Ward
from teams.models import SUPPORT_STAFF_WANTED, Member, Membership, SupportStaff, Team

from .indicators import Area
from .kept import kept
from .models import DayMemberStat, DayServiceStat, DayTeamStat
from .versions import figures_version

TEAM_QUIET_DAYS = 14
MEMBER_SILENT_DAYS = 30
WORKLOAD_DAYS = 30
# Far above the team's median: at least twice it and ten sessions more, in a
# team of at least three current members (a pair has no meaningful median).
WORKLOAD_TIMES = 2
WORKLOAD_MORE_BY = 10
WORKLOAD_TEAM_SIZE = 3
FOLLOW_UP_DAYS = 14

TEAM_QUIET = "team_quiet"
MEMBER_SILENT = "member_silent"
WORKLOAD_HIGH = "workload_high"
FOLLOW_UPS_OLD = "follow_ups_old"

KINDS = {
    TEAM_QUIET: _("Team with no session for 14 days"),
    MEMBER_SILENT: _("Member silent for 30 days"),
    WORKLOAD_HIGH: _("Workload far above the team's"),
    FOLLOW_UPS_OLD: _("Follow-ups open for more than 14 days"),
}


@dataclass(frozen=True)
class Subject:
    """What an alert is about: a team, a member or a ward."""

    level: str  # team, member or ward
    code: str
    name: str


@dataclass(frozen=True)
class Alert:
    kind: str
    area: Subject
    ward: Subject
    since: date | None
    count: int
    url: str
    reference: int | None = field(default=None)  # the team's median workload

    @property
    def title(self) -> str:
        return str(KINDS[self.kind])

    @property
    def message(self) -> str:
        """One sentence for the dashboards and the e-mail."""
        values = {
            "name": self.area.name,
            "count": self.count,
            "since": date_format(self.since, "SHORT_DATE_FORMAT") if self.since else "",
            "median": self.reference,
        }
        if self.kind == TEAM_QUIET:
            if self.since is None:
                return gettext("%(name)s has never logged a session.") % values
            return (
                ngettext(
                    "%(name)s: no session for %(count)d day (last on %(since)s).",
                    "%(name)s: no session for %(count)d days (last on %(since)s).",
                    self.count,
                )
                % values
            )
        if self.kind == MEMBER_SILENT:
            return (
                ngettext(
                    "%(name)s: no session for %(count)d day (last on %(since)s).",
                    "%(name)s: no session for %(count)d days (last on %(since)s).",
                    self.count,
                )
                % values
            )
        if self.kind == WORKLOAD_HIGH:
            return (
                ngettext(
                    "%(name)s: %(count)d session in 30 days, the team's median "
                    "is %(median)d; others could take some households over.",
                    "%(name)s: %(count)d sessions in 30 days, the team's median "
                    "is %(median)d; others could take some households over.",
                    self.count,
                )
                % values
            )
        return (
            ngettext(
                "%(count)d follow-up open for more than 14 days, the oldest "
                "since %(since)s.",
                "%(count)d follow-ups open for more than 14 days, the oldest "
                "since %(since)s.",
                self.count,
            )
            % values
        )


def _ward(ward: Ward) -> Subject:
    return Subject("ward", ward.pk, ward.name)


def _sessions_url(ward_level: bool, **lookups) -> str:
    """The admin's list of sessions, filtered as its own filters do."""
    if ward_level:
        # A ward official's list has no ward filter: it is one ward.
        lookups.pop("ward__code__exact", None)
    return "%s?%s" % (
        reverse("admin:assistance_assistancesession_changelist"),
        urlencode(lookups),
    )


def teams_quiet(area: Area, today: date, ward_level: bool = False) -> list[Alert]:
    """Active teams with no session in the last 14 days.

    A team that never logged one counts once it is 14 days old by its
    founding date (without one, it counts at once).
    """
    start = today - timedelta(days=TEAM_QUIET_DAYS - 1)
    days = DayTeamStat.objects.filter(
        ward=OuterRef("ward"), team=OuterRef("pk"), sessions__gt=0
    )
    teams = (
        area.filter(Team.objects.filter(is_active=True))
        .exclude(Exists(days.filter(day__gte=start)))
        .annotate(last=Subquery(days.order_by("-day").values("day")[:1]))
        .filter(
            Q(last__isnull=False) | Q(founded_on__isnull=True) | Q(founded_on__lt=start)
        )
        .select_related("ward")
        .order_by("ward__name", "name")
    )
    return [
        Alert(
            TEAM_QUIET,
            Subject("team", str(team.pk), team.name),
            _ward(team.ward),
            team.last,
            (today - team.last).days if team.last else 0,
            _sessions_url(ward_level, team__id__exact=team.pk),
        )
        for team in teams
    ]


def _current_members(area: Area, today: date):
    memberships = Membership.objects.filter(
        team__is_active=True, joined_on__lte=today
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
    return area.filter(memberships, "team__ward")


def members_silent(area: Area, today: date, ward_level: bool = False) -> list[Alert]:
    """Current members who took part in sessions before, none in 30 days."""
    start = today - timedelta(days=MEMBER_SILENT_DAYS - 1)
    members = (
        area.filter(Member.objects.all())
        .filter(
            pk__in=_current_members(area, today).values("member"),
        )
        .annotate(
            last=Subquery(
                DayMemberStat.objects.filter(
                    ward=OuterRef("ward"), member=OuterRef("pk"), sessions__gt=0
                )
                .order_by("-day")
                .values("day")[:1]
            )
        )
        .filter(last__lt=start)
        .select_related("ward")
        .order_by("ward__name", "full_name")
    )
    return [
        Alert(
            MEMBER_SILENT,
            Subject("member", str(member.pk), member.full_name),
            _ward(member.ward),
            member.last,
            (today - member.last).days,
            reverse("admin:teams_member_change", args=[member.pk]),
        )
        for member in members
    ]


def workload_high(area: Area, today: date, ward_level: bool = False) -> list[Alert]:
    """Members whose sessions in 30 days are far above their team's median."""
    start = today - timedelta(days=WORKLOAD_DAYS - 1)
    counts = {
        (row["team"], row["member"]): row["sessions"]
        for row in area.filter(
            DayMemberStat.objects.filter(day__gte=start, day__lte=today)
        )
        .values("team", "member")
        .annotate(sessions=Sum("sessions"))
    }
    teams = defaultdict(list)
    for team, member in _current_members(area, today).values_list("team", "member"):
        teams[team].append(member)
    found = []
    for team, members in teams.items():
        if len(members) < WORKLOAD_TEAM_SIZE:
            continue
        sessions = {member: counts.get((team, member), 0) for member in members}
        middle = median(sessions.values())
        floor = max(WORKLOAD_TIMES * middle, middle + WORKLOAD_MORE_BY)
        found += [
            (member, team, count, middle)
            for member, count in sessions.items()
            if count >= floor
        ]
    people = Member.objects.select_related("ward").in_bulk(
        [member for member, *_rest in found]
    )
    alerts = [
        Alert(
            WORKLOAD_HIGH,
            Subject("member", str(member), people[member].full_name),
            _ward(people[member].ward),
            start,
            count,
            "%s#table-workload"
            % reverse("reports:ward", args=[people[member].ward_id]),
            reference=int(middle),
        )
        for member, team, count, middle in found
    ]
    return sorted(alerts, key=lambda alert: (alert.ward.name, -alert.count))


def follow_ups_old(area: Area, today: date, ward_level: bool = False) -> list[Alert]:
    """Per ward, the follow-ups still open that were opened over 14 days ago."""
    before = today - timedelta(days=FOLLOW_UP_DAYS)
    rows = (
        area.filter(DayServiceStat.objects.filter(day__lt=before, open_follow_up__gt=0))
        .values("ward")
        .annotate(count=Sum("open_follow_up"), since=Min("day"))
        .order_by()
    )
    rows = {row["ward"]: row for row in rows}
    wards = Ward.objects.in_bulk(list(rows))
    return [
        Alert(
            FOLLOW_UPS_OLD,
            _ward(wards[code]),
            _ward(wards[code]),
            rows[code]["since"],
            rows[code]["count"],
            _sessions_url(
                ward_level,
                services__outcome__exact="follow_up",
                ward__code__exact=code,
            ),
        )
        for code in sorted(rows, key=lambda code: wards[code].name)
    ]


SELECTORS = {
    TEAM_QUIET: teams_quiet,
    MEMBER_SILENT: members_silent,
    WORKLOAD_HIGH: workload_high,
    FOLLOW_UPS_OLD: follow_ups_old,
}


def alert_list(
    area: Area, today: date, *, kind: str | None = None, ward_level: bool = False
) -> list[Alert]:
    """Every alert of the area (or of one kind), kind by kind."""
    kinds = [kind] if kind else list(SELECTORS)
    return [
        alert
        for name in kinds
        for alert in SELECTORS[name](area, today, ward_level=ward_level)
    ]


# Registry changes no figure stamp follows (support staff, a team switched
# off) show within this many seconds; session changes at once (new version).
ALERTS_KEPT = 300


def alerts_kept(
    area: Area, today: date, *, kind: str | None = None, ward_level: bool = False
) -> list[Alert]:
    """:func:`alert_list`, kept under the version of the area's figures.

    A province's alerts read thousands of members' rows: the dashboards and
    the API read them from the cache until a refresh moves the figures, or
    for five minutes.
    """
    version = figures_version(area, "alerts", today, kind, ward_level)
    return kept(
        "alerts:%s" % version,
        lambda: alert_list(area, today, kind=kind, ward_level=ward_level),
        ALERTS_KEPT,
    )


def alerts_by_ward(alerts: list[Alert]) -> list[dict]:
    """The province's view: one row per ward, a count per kind."""
    rows = {}
    for alert in alerts:
        row = rows.setdefault(
            alert.ward.code,
            {"code": alert.ward.code, "name": alert.ward.name, "counts": {}},
        )
        row["counts"][alert.kind] = row["counts"].get(alert.kind, 0) + 1
    for row in rows.values():
        row["cells"] = [row["counts"].get(kind, 0) for kind in KINDS]
        row["total"] = sum(row["cells"])
    return sorted(rows.values(), key=lambda row: (-row["total"], row["name"]))


def _wards(area: Area):
    wards = Ward.objects.all()
    if area.level == "province":
        return wards.filter(province_id=area.code)
    if area.level == "ward":
        return wards.filter(pk=area.code)
    return wards


def wards_short_of_support(
    area: Area, today: date, ward_level: bool = False
) -> list[dict]:
    """Communes with fewer than two IT support staff assigned today, those
    with active teams first."""
    staffed = {
        row["ward"]: row["count"]
        for row in area.filter(SupportStaff.objects.current(today))
        .values("ward")
        .annotate(count=Count("pk"))
        .order_by()
    }
    address = reverse("admin:teams_supportstaff_changelist")
    wards = _wards(area).annotate(
        has_teams=Exists(Team.objects.filter(ward=OuterRef("pk"), is_active=True))
    )
    # Communes whose teams are at work first: there support is asked for.
    return [
        {
            "code": ward.pk,
            "name": ward.name,
            "count": staffed.get(ward.pk, 0),
            "url": address
            if ward_level
            else "%s?%s" % (address, urlencode({"ward__code__exact": ward.pk})),
        }
        for ward in wards.order_by("-has_teams", "name")
        if staffed.get(ward.pk, 0) < SUPPORT_STAFF_WANTED
    ]

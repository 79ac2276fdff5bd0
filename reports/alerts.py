"""Alerts: what in an area needs an official's attention now.

One selector per kind, each reading the registry and the summary tables
(never raw sessions), for an area the caller has already resolved within the
user's scope. An alert names its subject (a team, a member, a hamlet or a
ward), since when it holds, a count, and the address of the list behind it.
An alert clears by itself: it is computed from the rows as they are today.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from math import ceil
from statistics import median
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Exists, Min, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from areas.models import Hamlet, Ward
from assistance.models import Campaign, Indicator
from teams.models import SUPPORT_STAFF_WANTED, Member, Membership, SupportStaff, Team

from .coverage import campaign_area, coverage
from .indicators import Area
from .kept import kept
from .models import DayMemberStat, DayServiceStat, DayTeamStat
from .templatetags.dashboard import percent
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
# A hamlet is behind its campaign's pace when its share of households reached
# is under 80 % of the share expected by now, if it has at least 5 households.
PACE_MARGIN = 0.8
PACE_MIN_HOUSEHOLDS = 5

TEAM_QUIET = "team_quiet"
MEMBER_SILENT = "member_silent"
WORKLOAD_HIGH = "workload_high"
FOLLOW_UPS_OLD = "follow_ups_old"
HAMLET_BEHIND = "hamlet_behind"

KINDS = {
    TEAM_QUIET: _("Team with no session for 14 days"),
    MEMBER_SILENT: _("Member silent for 30 days"),
    WORKLOAD_HIGH: _("Workload far above the team's"),
    FOLLOW_UPS_OLD: _("Follow-ups open for more than 14 days"),
    HAMLET_BEHIND: _("Hamlet behind its campaign's pace"),
}


@dataclass(frozen=True)
class Subject:
    """What an alert is about: a team, a member, a hamlet or a ward."""

    level: str  # team, member, hamlet or ward
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
    # hamlet_behind: the campaign's name, the hamlet's share reached and the
    # share expected by now.
    campaign: str = ""
    share: float | None = None
    expected: float | None = None
    priority: bool = False  # a target of priority households only

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
            "campaign": self.campaign,
            "share": percent(self.share),
            "expected": percent(self.expected),
        }
        if self.kind == TEAM_QUIET and self.since is None:
            return gettext("%(name)s has never logged a session.") % values
        if self.kind == HAMLET_BEHIND and self.priority:
            return _hamlet_behind_priority(self.count) % values
        return MESSAGES[self.kind](self.count) % values


def _days_without(count: int) -> str:
    return ngettext(
        "%(name)s: no session for %(count)d day (last on %(since)s).",
        "%(name)s: no session for %(count)d days (last on %(since)s).",
        count,
    )


def _hamlet_behind_priority(count: int) -> str:
    return ngettext(
        "%(campaign)s: %(name)s reached %(share)s of its priority "
        "households against %(expected)s expected by now; "
        "%(count)d more household to get back on pace.",
        "%(campaign)s: %(name)s reached %(share)s of its priority "
        "households against %(expected)s expected by now; "
        "%(count)d more households to get back on pace.",
        count,
    )


# Each kind's sentence, as a function of its count (the plural it takes).
MESSAGES = {
    HAMLET_BEHIND: lambda count: ngettext(
        "%(campaign)s: %(name)s reached %(share)s of its households "
        "against %(expected)s expected by now; %(count)d more "
        "household to get back on pace.",
        "%(campaign)s: %(name)s reached %(share)s of its households "
        "against %(expected)s expected by now; %(count)d more "
        "households to get back on pace.",
        count,
    ),
    TEAM_QUIET: _days_without,
    MEMBER_SILENT: _days_without,
    WORKLOAD_HIGH: lambda count: ngettext(
        "%(name)s: %(count)d session in 30 days, the team's median "
        "is %(median)d; others could take some households over.",
        "%(name)s: %(count)d sessions in 30 days, the team's median "
        "is %(median)d; others could take some households over.",
        count,
    ),
    FOLLOW_UPS_OLD: lambda count: ngettext(
        "%(count)d follow-up open for more than 14 days, the oldest since %(since)s.",
        "%(count)d follow-ups open for more than 14 days, the oldest since %(since)s.",
        count,
    ),
}


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


def teams_quiet(
    area: Area, today: date, ward_level: bool = False, reads: dict | None = None
) -> list[Alert]:
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


def _read_once(reads: dict | None, key, read):
    """``read()``, kept in an alert list's ``reads`` for the next selector."""
    if reads is None:
        return read()
    if key not in reads:
        reads[key] = read()
    return reads[key]


def _current_members(area: Area, today: date, reads: dict | None) -> list[tuple]:
    """(team, member) of the area's active teams' current memberships."""

    def read():
        memberships = Membership.objects.filter(
            team__is_active=True, joined_on__lte=today
        ).filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        rows = area.filter(memberships, "team__ward").values_list("team", "member")
        return list(rows)

    return _read_once(reads, "memberships", read)


def _member_sessions(area: Area, today: date, days: int, reads: dict | None) -> dict:
    """Sessions of each (team, member) over the last ``days`` days.

    The silent members' alert and the workload's read the same 30 days: an
    alert list reads them once, from the bucket's index alone.
    """
    start = today - timedelta(days=days - 1)

    def read():
        return {
            (team, member): sessions
            for team, member, sessions in area.filter(
                DayMemberStat.objects.filter(day__gte=start, day__lte=today)
            )
            .values_list("team", "member")
            .annotate(sessions=Sum("sessions"))
            .order_by()
        }

    return _read_once(reads, ("member_sessions", days), read)


def members_silent(
    area: Area, today: date, ward_level: bool = False, reads: dict | None = None
) -> list[Alert]:
    """Current members who took part in sessions before, none in 30 days."""
    start = today - timedelta(days=MEMBER_SILENT_DAYS - 1)
    active = {
        member
        for (_team, member), sessions in _member_sessions(
            area, today, MEMBER_SILENT_DAYS, reads
        ).items()
        if sessions
    }
    # Only the current members with no session in the window are looked up
    # for their last day: a province's thousands of busy members are not.
    quiet = {member for _team, member in _current_members(area, today, reads)}
    members = (
        Member.objects.filter(pk__in=sorted(quiet - active))
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


def workload_high(
    area: Area, today: date, ward_level: bool = False, reads: dict | None = None
) -> list[Alert]:
    """Members whose sessions in 30 days are far above their team's median."""
    start = today - timedelta(days=WORKLOAD_DAYS - 1)
    counts = _member_sessions(area, today, WORKLOAD_DAYS, reads)
    teams = defaultdict(list)
    for team, member in _current_members(area, today, reads):
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
    # Names only (a province has hundreds of these), and one look-up of the
    # URL patterns per ward, not per alert.
    people = {
        pk: (name, Subject("ward", ward, ward_name))
        for pk, name, ward, ward_name in Member.objects.filter(
            pk__in=[member for member, *_rest in found]
        ).values_list("pk", "full_name", "ward_id", "ward__name")
    }
    pages = {
        code: reverse("reports:ward", args=[code]) + "#table-workload"
        for code in {ward.code for _name, ward in people.values()}
    }
    alerts = [
        Alert(
            WORKLOAD_HIGH,
            Subject("member", str(member), people[member][0]),
            people[member][1],
            start,
            count,
            pages[people[member][1].code],
            reference=int(middle),
        )
        for member, team, count, middle in found
    ]
    return sorted(alerts, key=lambda alert: (alert.ward.name, -alert.count))


def follow_ups_old(
    area: Area, today: date, ward_level: bool = False, reads: dict | None = None
) -> list[Alert]:
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


HOUSEHOLD_TARGETS = {
    Indicator.HOUSEHOLDS_REACHED: ("households", "reached", ""),
    Indicator.PRIORITY_HOUSEHOLDS_REACHED: (
        "priority_households",
        "priority_reached",
        "-priority",  # the admin's filter value for priority households only
    ),
}


def _campaigns_running(area: Area, today: date):
    """Campaigns under way today with a households target, over the area."""
    campaigns = Campaign.objects.filter(
        starts_on__lte=today,
        ends_on__gte=today,
        targets__indicator__in=list(HOUSEHOLD_TARGETS),
        targets__target__gt=0,
    )
    if area.level == "province":
        campaigns = campaigns.filter(province_id=area.code)
    elif area.level == "ward":
        ward = Ward.objects.get(pk=area.code)
        campaigns = campaigns.filter(province_id=ward.province_id).filter(
            Q(ward__isnull=True) | Q(ward_id=ward.pk)
        )
    return campaigns.distinct().prefetch_related("targets").order_by("starts_on", "pk")


def _narrower(area: Area, campaign_area: Area) -> Area:
    """Where both the alert's area and the campaign's hold."""
    order = ["national", "province", "ward"]
    if order.index(campaign_area.level) > order.index(area.level):
        return campaign_area
    return area


def hamlets_behind(
    area: Area, today: date, ward_level: bool = False, reads: dict | None = None
) -> list[Alert]:
    """Hamlets whose households reached lag their campaign's pace.

    For each campaign under way with a households target (all or priority),
    the share it expects by now is (target / households of its area, at most
    1) × (days gone by / days of the campaign); a hamlet with at least 5 such
    households that reached under 80 % of that share is behind. The figures
    are the coverage's (the summary tables), from the campaign's first day.
    """
    found = [
        behind
        for campaign in _campaigns_running(area, today)
        for behind in _campaign_hamlets_behind(area, campaign, today)
    ]
    places = Hamlet.objects.select_related("ward").in_bulk(
        [hamlet for _c, _s, hamlet, *_rest in found]
    )
    address = reverse("admin:households_household_changelist")
    alerts = [
        Alert(
            HAMLET_BEHIND,
            Subject("hamlet", str(hamlet), places[hamlet].name),
            _ward(places[hamlet].ward),
            campaign.starts_on,
            needed,
            "%s?%s"
            % (
                address,
                urlencode(
                    {
                        "hamlet__id__exact": hamlet,
                        "campaign_not_reached": "%s%s" % (campaign.pk, suffix),
                    }
                ),
            ),
            campaign=campaign.name,
            share=round(share, 2),
            expected=round(expected, 2),
            priority=bool(suffix),
        )
        for campaign, suffix, hamlet, share, expected, needed in found
    ]
    return sorted(alerts, key=lambda alert: (alert.ward.name, alert.area.name))


def _campaign_hamlets_behind(area: Area, campaign, today: date):
    """(campaign, suffix, hamlet, share, expected, needed) of each hamlet
    behind one campaign's pace, for each of its household targets."""
    targets = [
        target
        for target in campaign.targets.all()
        if target.indicator in HOUSEHOLD_TARGETS and target.target > 0
    ]
    elapsed = (today - campaign.starts_on).days
    if not targets or elapsed <= 0:
        return  # nothing is expected on its first day
    days = (campaign.ends_on - campaign.starts_on).days + 1
    where = campaign_area(campaign)
    narrow = _narrower(area, where)
    hamlets = coverage(narrow, campaign.starts_on, today, "hamlet")
    if (narrow.level, narrow.code) == (where.level, where.code):
        whole = {
            name: sum(row[name] for row in hamlets)
            for name in ("households", "priority_households")
        }
    else:
        whole = coverage(where, campaign.starts_on, today)[0]
    for target in targets:
        households, reached, suffix = HOUSEHOLD_TARGETS[target.indicator]
        if not whole[households]:
            continue
        expected = min(target.target / whole[households], 1) * elapsed / days
        for row in hamlets:
            if row["group"] is None or row[households] < PACE_MIN_HOUSEHOLDS:
                continue
            share = row[reached] / row[households]
            if share >= PACE_MARGIN * expected:
                continue
            needed = ceil(expected * row[households] - 1e-9) - row[reached]
            yield campaign, suffix, int(row["group"]), share, expected, needed


SELECTORS = {
    TEAM_QUIET: teams_quiet,
    MEMBER_SILENT: members_silent,
    WORKLOAD_HIGH: workload_high,
    FOLLOW_UPS_OLD: follow_ups_old,
    HAMLET_BEHIND: hamlets_behind,
}


def alert_list(
    area: Area, today: date, *, kind: str | None = None, ward_level: bool = False
) -> list[Alert]:
    """Every alert of the area (or of one kind), kind by kind.

    Each selector takes ``reads``, where those that read the same rows (the
    members' sessions of 30 days) keep them for the next.
    """
    kinds = [kind] if kind else list(SELECTORS)
    reads = {}
    return [
        alert
        for name in kinds
        for alert in SELECTORS[name](area, today, ward_level=ward_level, reads=reads)
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


# Moved (reports.receivers) whenever a support staff's assignment or a team
# changes: the communes short of support are kept under it, with the day.
SUPPORT_VERSION = "support-staff-version"


def wards_short_kept(area: Area, today: date, ward_level: bool = False) -> list[dict]:
    """:func:`wards_short_of_support`, kept until an assignment or a team
    changes, the day turns, or five minutes pass (a province's list was two
    thirds of its dashboard's time when the page itself was kept)."""
    version = cache.get(SUPPORT_VERSION, 0)
    key = "support-short:%s:%s:%s:%s:%s" % (
        area.level,
        area.code,
        today.isoformat(),
        int(ward_level),
        version,
    )
    return kept(
        key, lambda: wards_short_of_support(area, today, ward_level), ALERTS_KEPT
    )


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

"""Ward, province and national dashboards, read only through the indicators.

The ward's own official lands on ``/dashboard/`` (their ward), province staff
on their province; each area also has its own address, and an area outside
the user's scope is a 404. ``?export=<table>`` on any of them returns that
table as an Excel file.
"""

import functools
import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from accounts.decorators import role_required
from accounts.models import Role
from accounts.scope import Level, may_use_admin, scope, scope_for
from areas.models import Hamlet, Province, Ward
from assistance.selectors import campaign_list
from core.replica import replica_reads

from . import indicators
from .alerts import (
    ALERTS_KEPT,
    KINDS,
    SUPPORT_VERSION,
    alert_list,
    alerts_by_ward,
    alerts_kept,
    wards_short_kept,
    wards_short_of_support,
)
from .approvals import months_of, ranking_approvals
from .areas import area_in_scope
from .coverage import coverage, coverage_row, team_coverage
from .dashboards import INTERVAL_LABELS, headline_tiles, period_parse, trend_table
from .exports import table_response
from .indicators import Area
from .kept import kept, page_kept
from .models import MonthlyReport
from .monthly import month_end
from .reminders import ward_report_missing
from .tables import (
    coverage_table,
    hamlet_table,
    lagging_table,
    ranking_columns,
    ranking_table,
    service_table,
    sort_rows,
    team_coverage_table,
    team_table,
    workload_table,
    workshop_table,
)
from .versions import figures_version

# Team leaders may open their own ward's dashboard; team members none.
DASHBOARD_ROLES = (Role.PROVINCE, Role.WARD, Role.TEAM_LEADER)
LAGGING_SHOWN = 10


@role_required(Role.WARD, Role.PROVINCE)
@replica_reads
def dashboard(request):
    """The landing page: the official's own ward or province."""
    current = scope_for(request.user)
    if current.level == Level.WARD:
        return _ward_page(request, request.user.ward)
    if current.level == Level.PROVINCE:
        return _province_page(request, request.user.province)
    if current.is_national:
        return _national_page(request)
    raise Http404


@role_required(*DASHBOARD_ROLES)
@replica_reads
def ward_dashboard(request, code):
    wards = scope(Ward.objects.select_related("province"), request.user)
    return _ward_page(request, get_object_or_404(wards, pk=code))


@role_required(*DASHBOARD_ROLES)
@replica_reads
def province_dashboard(request, code):
    who = scope_for(request.user)
    if who.level not in (Level.NATIONAL, Level.PROVINCE):
        raise Http404
    province = area_in_scope(who, Province, code)
    if province is None:
        raise Http404
    return _province_page(request, province)


@role_required(*DASHBOARD_ROLES)
@replica_reads
def national_dashboard(request):
    if not scope_for(request.user).is_national:
        raise Http404
    return _national_page(request)


def _export(request, builders: dict, area_code: str, period):
    """The response for ``?export=``, or None when the page itself is asked for."""
    name = request.GET.get("export")
    if name is None:
        return None
    if name not in builders:
        raise Http404
    return table_response(
        builders[name](), area_code=area_code, start=period.start, end=period.end
    )


def _trend(area: Area, period):
    rows = indicators.trend(area, period.start, period.end, period.interval)
    return trend_table(rows, period)


def _common(area: Area, period) -> dict:
    trend, chart = _trend(area, period)
    return {
        "period": period,
        "intervals": INTERVAL_LABELS,
        "query": urlencode(period.query),
        "tiles": headline_tiles(indicators.headline(area, period.start, period.end)),
        "trend": trend,
        "chart": chart,
    }


def _ward_page(request, ward: Ward):
    period = period_parse(request.GET, timezone.localdate())
    area = Area("ward", ward.pk, ward.name)
    span = (area, period.start, period.end)
    builders = {
        "hamlets": lambda: hamlet_table(indicators.by_hamlet(*span)),
        "teams": lambda: team_table(indicators.by_team(*span)),
        "services": lambda: service_table(indicators.service_mix(*span)),
        "workload": lambda: workload_table(indicators.workload(*span)),
        "workshops": lambda: workshop_table(indicators.workshop_mix(*span)),
        "trend": lambda: _trend(area, period)[0],
        "coverage_hamlets": lambda: _hamlet_coverage(area, period),
        "coverage_teams": lambda: team_coverage_table(team_coverage(*span)),
    }
    exported = _export(request, builders, ward.pk, period)
    if exported:
        return exported
    campaigns = (
        campaign_list(user=request.user)
        .filter(Q(ward=ward) | Q(ward__isnull=True, province_id=ward.province_id))
        .filter(starts_on__lte=period.end, ends_on__gte=period.start)
    )
    current = scope_for(request.user)
    common = _common(area, period)
    months = _months_approval(request, ward, period, common["tiles"])
    up = None
    if current.level in (Level.NATIONAL, Level.PROVINCE):
        up = {
            "name": ward.province.name,
            "url": reverse("reports:province", args=[ward.province_id]),
        }
    context = {
        **common,
        **_ward_alerts(request, area),
        "area": area,
        "up": up,
        "months_approval": months,
        **{
            name: builders[name]()
            for name in (
                "hamlets",
                "teams",
                "workload",
                "coverage_hamlets",
                "coverage_teams",
            )
        },
        "services": builders["services"](),
        "workshops": builders["workshops"](),
        "campaigns": [
            (campaign, indicators.campaign_progress(campaign)) for campaign in campaigns
        ],
        # The households still to reach are listed in the admin: a link only
        # for those who may open it (not a team leader).
        "households_listed": may_use_admin(request.user),
        "report_missing": current.level == Level.WARD
        and ward_report_missing(ward_id=ward.pk, today=timezone.localdate()),
    }
    return render(request, "reports/ward.html", context)


# The headline's figures of the period itself; the others (shares, members)
# are the registry's now, which an approved month's snapshot took then.
PERIOD_FIGURES = {
    name for sums in indicators.activity_sums().values() for name in sums
} | {"sessions_per_member_day"}


def _months_approval(request, ward: Ward, period, tiles: list[dict]) -> list[dict]:
    """Each month of the period, approved or provisional.

    When the period is exactly one approved month, a headline tile of the
    period whose live figure differs from the approved snapshot's gets it
    (``approved_value``) to show beside the live one.
    """
    months = months_of(period.start, period.end)
    reports = {
        report.month: report
        for report in scope(MonthlyReport.objects.all(), request.user).filter(
            ward=ward, month__in=months
        )
    }
    lines = []
    for month in months:
        report = reports.get(month)
        approved = report is not None and report.status == MonthlyReport.Status.APPROVED
        lines.append({"month": month, "approved": approved})
    only = reports.get(period.start)
    whole_month = len(months) == 1 and (period.start, period.end) == (
        months[0],
        month_end(months[0]),
    )
    if whole_month and lines[0]["approved"] and only.snapshot:
        _approved_beside(tiles, only.snapshot.get("headline", {}))
    return lines


def _approved_beside(tiles: list[dict], approved: dict) -> None:
    """Give each tile of the period whose approved figure differs from the
    live one that figure (``approved_value``), to show beside it."""
    for tile in tiles:
        code = tile["code"]
        shown = code in PERIOD_FIGURES and code in approved
        if shown and approved[code] != tile["value"]:
            tile["approved_value"] = approved[code]


def _ward_alerts(request, area: Area) -> dict:
    """The ward's alerts and support staff, for officials (not team leaders)."""
    current = scope_for(request.user)
    if current.level not in (Level.NATIONAL, Level.PROVINCE, Level.WARD):
        return {}
    today = timezone.localdate()
    ward_level = current.level == Level.WARD
    short = wards_short_kept(area, today, ward_level)
    return {
        "officials": True,
        "alerts": alerts_kept(area, today, ward_level=ward_level),
        "support_short": short[0] if short else None,
    }


def _province_alerts(request, area: Area) -> dict:
    """The province's alerts by ward and its communes short of support staff,
    kept as the page shows them.

    Kept whole, a province's alerts are hundreds of objects: reading them
    back, counting them by ward and naming the page by them cost a warm page
    six times what ``/me`` costs. The counts by ward are kept instead, under
    the alerts' version, the day and the support staff's version, and for as
    long as the alerts are; ``digest`` names their content for the page.
    """
    today = timezone.localdate()
    version = figures_version(
        area, "province-alerts", today, cache.get(SUPPORT_VERSION, 0)
    )
    return kept(
        "province-alerts:%s" % version,
        lambda: _province_alerts_build(area, today),
        ALERTS_KEPT,
    )


def _province_alerts_build(area: Area, today) -> dict:
    # Computed afresh, not from the alerts and the list kept on their own,
    # so that these are never older than either would be.
    rows = alerts_by_ward(alert_list(area, today))
    for row in rows:
        row["url"] = reverse("reports:ward", args=[row["code"]]) + "#alerts"
    short = wards_short_of_support(area, today)
    for ward in short:
        # Worded here, once, not by the template for each of a province's
        # hundred-odd communes.
        ward["assigned"] = ngettext(
            "%(counter)s assigned", "%(counter)s assigned", ward["count"]
        ) % {"counter": ward["count"]}
    context = {
        "alert_kinds": [str(label) for label in KINDS.values()],
        "alert_rows": rows,
        "support_short": short,
        "support_first": short[:LAGGING_SHOWN],
        "support_rest": short[LAGGING_SHOWN:],
    }
    digest = hashlib.sha256(repr(sorted(context.items())).encode()).hexdigest()
    return {**context, "digest": digest[:32]}


def _province_page(request, province: Province):
    area = Area("province", province.pk, province.name)
    up = None
    if scope_for(request.user).is_national:
        up = {"name": gettext("Whole country"), "url": reverse("reports:national")}
    return _overview(request, area, "reports:ward", up, _province_alerts(request, area))


def _national_page(request):
    area = Area("national", None, gettext("Whole country"))
    return _overview(request, area, "reports:province", None)


def _overview(request, area: Area, child_url: str, up, alerts=None):
    """A province's wards, or the provinces, compared side by side."""
    period = period_parse(request.GET, timezone.localdate())
    query = urlencode(period.query)
    columns = ranking_columns(area.level)
    _none, sort, descending = sort_rows([], columns, request.GET)
    reads = {}  # what the ranking and the coverage both read, read once

    @functools.cache
    def rows_and_approvals():
        rows = indicators.ranking(area, period.start, period.end, reads)
        approvals = ranking_approvals(area, period.start, period.end, rows)
        for row in rows:
            row["url"] = "%s?%s" % (reverse(child_url, args=[row["code"]]), query)
        return sort_rows(rows, columns, request.GET)[0], approvals

    def ranked():
        return rows_and_approvals()[0]

    builders = _overview_builders(
        area, period, child_url, ranked, (sort, descending), reads
    )
    exported = _export(request, builders, area.code or "VN", period)
    if exported:
        return exported

    def content():
        lagging = builders["lagging"]()
        common = _common(area, period)
        approvals = rows_and_approvals()[1]
        if approvals["headline"]:
            _approved_beside(common["tiles"], approvals["headline"])
        context = {
            **common,
            "area": area,
            "up": up,
            "approval_lines": approvals["lines"],
            "ranking": builders["ranking"](),
            "lagging": lagging,
            "lagging_first": lagging.rows[:LAGGING_SHOWN],
            "lagging_rest": lagging.rows[LAGGING_SHOWN:],
            "services": builders["services"](),
            "workshops": builders["workshops"](),
            "coverage": builders["coverage"](),
        }
        return render_to_string("reports/_overview_content.html", context, request)

    # The figures are the same for everyone who may see the area: they are
    # kept under the version of the area's figures, so a province of millions
    # of sessions costs two small aggregates until its figures move. The page
    # around them (the user's name, CSRF tokens) is kept per user, compressed.
    version = figures_version(
        area, "overview", period.query, sort, descending, up and up["url"]
    )

    return _overview_kept(request, area, version, content, alerts)


def _overview_builders(
    area: Area, period, child_url: str, ranked, order, reads: dict
) -> dict:
    """The overview's tables by name, each built when asked (page or export)."""
    sort, descending = order
    span = (area, period.start, period.end)
    return {
        "ranking": lambda: ranking_table(
            area.level, ranked(), sort=sort, descending=descending, query=period.query
        ),
        "lagging": lambda: lagging_table(area.level, indicators.lagging(ranked())),
        "services": lambda: service_table(indicators.service_mix(*span)),
        "workshops": lambda: workshop_table(indicators.workshop_mix(*span)),
        "trend": lambda: _trend(area, period)[0],
        "coverage": lambda: _child_coverage(area, period, child_url, reads),
    }


def _overview_kept(request, area: Area, version: str, content, alerts) -> HttpResponse:
    """The overview page, its figures kept under ``version`` for everyone."""

    def page():
        html = kept("dashboard:%s" % version, content)
        context = {"area": area, "content": mark_safe(html), **(alerts or {})}  # noqa: S308 - our render
        return render(request, "reports/overview.html", context)

    # The alerts change with the day and the registry, not with the figures:
    # the page kept for the user is named by them too.
    page_version = version
    if alerts:
        page_version = hashlib.sha256(
            (version + alerts["digest"]).encode()
        ).hexdigest()[:32]
    return page_kept(request, page_version, page)


def _hamlet_coverage(area: Area, period):
    """Every hamlet of the ward, those without households or visits too."""
    found = {
        row["group"]: row for row in coverage(area, period.start, period.end, "hamlet")
    }
    rows = [
        found.get(str(hamlet.pk)) or coverage_row(hamlet.pk, hamlet.name, {}, {})
        for hamlet in area.filter(Hamlet.objects.all()).order_by("name")
    ]
    return coverage_table(
        "coverage_hamlets",
        gettext("Households reached by hamlet"),
        gettext("Hamlet"),
        rows,
    )


def _child_coverage(area: Area, period, child_url: str, reads: dict | None = None):
    """Every ward of the province (or every province), each linking to its page."""
    if area.level == "province":
        group, children = "ward", Ward.objects.filter(province_id=area.code)
        title, name = gettext("Households reached by ward"), gettext("Ward")
    else:
        group, children = "province", Province.objects.all()
        title, name = gettext("Households reached by province"), gettext("Province")
    found = {
        row["group"]: row
        for row in coverage(area, period.start, period.end, group, reads)
    }
    query = urlencode(period.query)
    rows = [
        {
            **(found.get(unit.pk) or coverage_row(unit.pk, unit.name, {}, {})),
            "url": "%s?%s" % (reverse(child_url, args=[unit.pk]), query),
        }
        for unit in children.order_by("code")
    ]
    return coverage_table("coverage", title, name, rows)

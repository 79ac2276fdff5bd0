"""The report's figures are the dashboards' own, frozen when approved."""

import datetime

import pytest

from reports import indicators
from reports.models import MonthlyReport
from reports.monthly import (
    month_end,
    monthly_figures,
    monthly_report_approve,
    monthly_report_reopen,
    report_figures,
)
from reports.services import registry_recompute, stats_recompute
from tests.assistance.factories import (
    CampaignFactory,
    MembershipFactory,
    SessionFactory,
)
from tests.training.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(area, day_in, month):
    """Last month in Ba Đình: 3 sessions and a workshop; 1 session the month before."""
    member = MembershipFactory(member__ward=area.ward, team=area.team).member
    for hours in (0, 1, 2):
        SessionFactory(
            team=area.team,
            members=[member],
            started_at=day_in + datetime.timedelta(hours=hours),
            services=[("vneid_level2", "done"), ("bill_qr", "follow_up")],
        )
    SessionFactory(
        team=area.team,
        started_at=day_in - datetime.timedelta(days=40),
        members=[member],
    )
    SessionFactory(team=area.neighbour_team, started_at=day_in)
    WorkshopFactory(team=area.team, held_on=day_in.date(), attendees=25)
    stats_recompute()
    registry_recompute()
    return member


def test_the_headline_is_the_dashboards_activity_of_the_month(area, worked, month):
    figures = monthly_figures(ward=area.ward, month=month)

    activity = indicators.activity(
        indicators.Area("ward", area.ward.pk), month, month_end(month)
    )
    assert figures["headline"]["sessions"] == 3 == activity["sessions"]
    assert figures["headline"]["level2_activations"] == 3
    assert figures["headline"]["workshops"] == 1
    assert figures["headline"]["workshop_attendees"] == 25


def test_teams_hamlets_services_and_workshops_are_listed(area, worked, month):
    figures = monthly_figures(ward=area.ward, month=month)

    assert [(row["team"], row["sessions"]) for row in figures["teams"]] == [
        (area.team.name, 3)
    ]
    assert {row["hamlet"]: row["sessions"] for row in figures["hamlets"]} == {
        area.hamlet.name: 3
    }
    given = {row["service"]: row["given"] for row in figures["services"]}
    assert sorted(given.values()) == [3, 3]
    assert [row["attendees"] for row in figures["workshops"]] == [25]


def test_a_campaign_of_the_month_shows_its_progress(area, worked, month):
    campaign = CampaignFactory(
        province=area.province,
        ward=area.ward,
        starts_on=month,
        ends_on=month_end(month),
    )
    target = campaign.targets.create(indicator="sessions", target=10)

    figures = monthly_figures(ward=area.ward, month=month)

    assert figures["campaigns"] == [
        {
            "campaign": campaign.name,
            "targets": [
                {
                    "indicator": "sessions",
                    "label": str(target.get_indicator_display()),
                    "target": 10,
                    "count": 3,
                    "share": 0.3,
                }
            ],
        }
    ]


def test_the_snapshot_is_unchanged_by_later_edits(
    area, worked, submitted, province_staff, day_in
):
    approved = monthly_report_approve(user=province_staff, report=submitted)
    monthly_report_reopen(user=province_staff, report=approved, reason="Bổ sung")
    SessionFactory(team=area.team, started_at=day_in, members=[worked])
    stats_recompute()

    report = MonthlyReport.objects.get()
    assert report.snapshot["headline"]["sessions"] == 3
    assert report_figures(report)["headline"]["sessions"] == 4


def test_an_approved_report_shows_its_snapshot(area, worked, submitted, province_staff):
    approved = monthly_report_approve(user=province_staff, report=submitted)
    MonthlyReport.objects.filter(pk=approved.pk).update(
        snapshot={**approved.snapshot, "headline": {"sessions": 99}}
    )
    approved.refresh_from_db()

    assert report_figures(approved)["headline"] == {"sessions": 99}

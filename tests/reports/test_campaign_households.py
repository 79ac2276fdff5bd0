"""Campaigns measured in households: progress, and the list of households a
campaign has still to reach (the admin's "not reached during the campaign")."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assistance.models import CampaignTarget, Indicator
from reports.indicators import campaign_progress
from reports.services import registry_recompute, stats_recompute
from tests.assistance.factories import CampaignFactory, SessionFactory, local
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

HOUSEHOLDS = "/admin/households/household/"


def days_from_today(count: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=count)
    return local(day.year, day.month, day.day, 9)


@pytest.fixture
def drive(area):
    """Ba Đình's drive over the last and next ten days, with household targets.

    Ba Đình: HD-REACHED (poor) and HD-PLAIN-REACHED helped in the drive,
    HD-BEFORE helped only before it, HD-POOR (poor) and HD-PLAIN never helped.
    Hoàn Kiếm: HK-NEVER, never helped.
    """
    today = timezone.localdate()
    campaign = CampaignFactory(
        name="Ba Đình đến từng hộ",
        province=area.province,
        ward=area.ward,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=10),
    )
    CampaignTarget.objects.create(
        campaign=campaign, indicator=Indicator.HOUSEHOLDS_REACHED, target=4
    )
    CampaignTarget.objects.create(
        campaign=campaign, indicator=Indicator.PRIORITY_HOUSEHOLDS_REACHED, target=2
    )
    homes = {}
    for code, poverty in (
        ("HD-REACHED", "poor"),
        ("HD-PLAIN-REACHED", ""),
        ("HD-BEFORE", ""),
        ("HD-POOR", "poor"),
        ("HD-PLAIN", ""),
    ):
        homes[code] = HouseholdFactory(
            ward=area.ward, hamlet=area.hamlet, code=code, poverty=poverty
        )
    homes["HK-NEVER"] = HouseholdFactory(
        ward=area.neighbour_ward, hamlet=area.neighbour_hamlet, code="HK-NEVER"
    )
    for code, offset in (("HD-REACHED", -2), ("HD-PLAIN-REACHED", -9)):
        SessionFactory(
            team=area.team, household=homes[code], started_at=days_from_today(offset)
        )
    SessionFactory(
        team=area.team, household=homes["HD-BEFORE"], started_at=days_from_today(-11)
    )
    stats_recompute()
    registry_recompute()
    return campaign


def listed(response) -> set[str]:
    return {household.code for household in response.context["cl"].result_list}


def by_indicator(campaign) -> dict:
    return {row["indicator"]: row for row in campaign_progress(campaign)}


# Progress


def test_households_reached_counts_each_household_once_in_the_drives_days(drive):
    progress = by_indicator(drive)[Indicator.HOUSEHOLDS_REACHED]

    assert progress["count"] == 2
    assert progress["households"] == 5
    assert progress["remaining"] == 3
    assert progress["share"] == 0.5


def test_priority_households_reached_counts_the_priority_ones_only(drive):
    progress = by_indicator(drive)[Indicator.PRIORITY_HOUSEHOLDS_REACHED]

    assert progress["count"] == 1
    assert progress["households"] == 2
    assert progress["remaining"] == 1
    assert progress["share"] == 0.5


# The households still to reach


def test_the_filter_lists_exactly_the_households_not_reached(client, users, drive):
    client.force_login(users[Role.WARD])

    response = client.get(HOUSEHOLDS, {"campaign_not_reached": drive.pk})

    assert response.status_code == 200
    assert listed(response) == {"HD-BEFORE", "HD-POOR", "HD-PLAIN"}


def test_the_priority_variant_lists_the_priority_households_not_reached(
    client, users, drive
):
    client.force_login(users[Role.WARD])

    response = client.get(
        HOUSEHOLDS, {"campaign_not_reached": "%s-priority" % drive.pk}
    )

    assert listed(response) == {"HD-POOR"}


def test_the_filter_is_labelled_in_vietnamese(client, users, drive):
    client.force_login(users[Role.WARD])

    response = client.get(HOUSEHOLDS)

    assert "chưa được tiếp cận trong chiến dịch" in response.text
    assert "Ba Đình đến từng hộ — chỉ hộ ưu tiên" in response.text


def test_a_ward_official_cannot_list_another_wards_households_by_its_campaign(
    client, users, area, drive
):
    neighbour_drive = CampaignFactory(
        name="Hoàn Kiếm đến từng hộ",
        province=area.province,
        ward=area.neighbour_ward,
        starts_on=drive.starts_on,
        ends_on=drive.ends_on,
    )
    client.force_login(users[Role.WARD])

    response = client.get(HOUSEHOLDS, {"campaign_not_reached": neighbour_drive.pk})

    assert response.status_code == 200
    assert listed(response) == set()
    assert "HK-NEVER" not in response.text


def test_a_province_wide_drive_lists_only_the_officials_own_ward(client, users, area):
    today = timezone.localdate()
    whole = CampaignFactory(
        name="Cả thành phố",
        province=area.province,
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today,
    )
    HouseholdFactory(ward=area.ward, hamlet=area.hamlet, code="HD-ONE")
    HouseholdFactory(
        ward=area.neighbour_ward, hamlet=area.neighbour_hamlet, code="HK-ONE"
    )
    client.force_login(users[Role.WARD])
    mine = listed(client.get(HOUSEHOLDS, {"campaign_not_reached": whole.pk}))
    client.force_login(users[Role.PROVINCE])
    province = listed(client.get(HOUSEHOLDS, {"campaign_not_reached": whole.pk}))

    assert mine == {"HD-ONE"}
    assert province == {"HD-ONE", "HK-ONE"}


def test_the_csv_of_the_filtered_list_holds_the_households_not_reached(
    client, users, drive
):
    client.force_login(users[Role.WARD])

    response = client.get(HOUSEHOLDS + "export.csv", {"campaign_not_reached": drive.pk})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))[1:]
    codes = {cell for row in rows for cell in row if cell.startswith(("HD-", "HK-"))}

    assert codes == {"HD-BEFORE", "HD-POOR", "HD-PLAIN"}


# Where progress is shown


def test_the_ward_dashboard_bar_shows_the_households_figures(
    client, users, area, drive
):
    client.force_login(users[Role.WARD])

    response = client.get(reverse("reports:ward", args=[area.ward.pk]))

    assert response.status_code == 200
    assert "5 hộ trong địa bàn, còn 3 hộ chưa tiếp cận" in response.text
    assert "2 hộ ưu tiên trong địa bàn, còn 1 hộ chưa tiếp cận" in response.text
    assert 'href="%s?campaign_not_reached=%s"' % (HOUSEHOLDS, drive.pk) in response.text


def test_a_team_leader_sees_the_figures_without_the_admin_link(
    client, users, area, drive
):
    client.force_login(users[Role.TEAM_LEADER])

    response = client.get(reverse("reports:ward", args=[area.ward.pk]))

    assert "5 hộ trong địa bàn, còn 3 hộ chưa tiếp cận" in response.text
    assert "campaign_not_reached" not in response.text


def test_the_admin_campaign_page_links_to_the_households_still_to_reach(
    client, users, drive
):
    client.force_login(users[Role.WARD])

    page = client.get("/admin/assistance/campaign/%s/change/" % drive.pk)
    link = "%s?campaign_not_reached=%s-priority" % (HOUSEHOLDS, drive.pk)
    followed = client.get(link)

    assert "hộ ưu tiên được tiếp cận: 1 / 2 (50%)" in page.text
    assert 'href="%s"' % link in page.text
    assert "còn 1 hộ chưa tiếp cận" in page.text
    assert listed(followed) == {"HD-POOR"}

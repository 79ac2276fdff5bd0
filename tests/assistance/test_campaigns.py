"""Campaigns: who sees and runs which, and what counts towards their targets."""

import datetime

import pytest

from accounts.models import Role
from assistance.models import Campaign, CampaignTarget, Indicator
from assistance.selectors import campaign_list
from reports.indicators import campaign_progress
from reports.services import registry_recompute, stats_recompute
from tests.accounts.factories import UserFactory
from tests.assistance.factories import CampaignFactory, SessionFactory, local
from tests.households.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db

CAMPAIGNS = "/admin/assistance/campaign/"
OCTOBER_1, OCTOBER_31 = datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)


@pytest.fixture
def province_wide(area):
    return CampaignFactory(name="Tháng chuyển đổi số", province=area.province)


@pytest.fixture
def ward_drive(area):
    return CampaignFactory(name="Ba Đình số", province=area.province, ward=area.ward)


# Counting


def counted(campaign) -> dict:
    """Every indicator's count for ``campaign``, as its progress shows it once
    the summary tables are brought up to date."""
    for indicator in Indicator:
        CampaignTarget.objects.get_or_create(
            campaign=campaign, indicator=indicator, defaults={"target": 10}
        )
    stats_recompute()
    registry_recompute()
    return {row["indicator"]: row["count"] for row in campaign_progress(campaign)}


def test_only_sessions_in_the_campaigns_days_count(area, province_wide):
    SessionFactory(team=area.team, started_at=local(2026, 10, 1, 7))
    SessionFactory(team=area.team, started_at=local(2026, 10, 31, 23, 30))
    SessionFactory(team=area.team, started_at=local(2026, 9, 30, 23, 30))
    SessionFactory(team=area.team, started_at=local(2026, 11, 1, 0, 30))

    assert counted(province_wide)[Indicator.SESSIONS] == 2


def test_a_province_wide_campaign_counts_every_ward_of_the_province(
    area, province_wide
):
    SessionFactory(team=area.team, started_at=local(2026, 10, 5))
    SessionFactory(team=area.neighbour_team, started_at=local(2026, 10, 5))
    SessionFactory(team=area.other_team, started_at=local(2026, 10, 5))

    assert counted(province_wide)[Indicator.SESSIONS] == 2


def test_a_ward_campaign_counts_its_ward_only(area, ward_drive):
    SessionFactory(team=area.team, started_at=local(2026, 10, 5))
    SessionFactory(team=area.neighbour_team, started_at=local(2026, 10, 5))
    SessionFactory(team=area.other_team, started_at=local(2026, 10, 5))

    assert counted(ward_drive)[Indicator.SESSIONS] == 1


@pytest.fixture
def october(area):
    """Five sessions in October in ``area.ward``, plus noise outside."""
    poor = HouseholdFactory(ward=area.ward, hamlet=area.hamlet, poverty="poor")
    plain = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
    third = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
    disabled = ResidentFactory(household=third, disability=True)
    day = local(2026, 10, 10)
    SessionFactory(
        team=area.team,
        household=poor,
        started_at=day,
        services=[
            ("vneid_level2", "done"),
            ("birth_registration", "done"),
            ("payment_app", "done"),
        ],
    )
    SessionFactory(
        team=area.team,
        household=poor,
        started_at=day,
        services=[
            ("vneid_level2", "follow_up"),
            ("bill_qr", "failed"),
            ("health_insurance", "follow_up"),
        ],
    )
    SessionFactory(
        team=area.team,
        household=plain,
        started_at=day,
        services=[("online_safety", "done")],
    )
    SessionFactory(
        team=area.team,
        started_at=day,
        walk_in_age_group="60_plus",
        services=[("payment_app", "done")],
    )
    SessionFactory(
        team=area.team,
        household=third,
        resident=disabled,
        started_at=day,
        services=[("marriage_registration", "done")],
    )
    # Outside the campaign: the day after it ends, and another province.
    SessionFactory(
        team=area.team,
        household=plain,
        started_at=local(2026, 11, 1),
        services=[("vneid_level2", "done"), ("bill_qr", "done")],
    )
    SessionFactory(
        team=area.other_team,
        started_at=day,
        walk_in_age_group="60_plus",
        services=[("vneid_level2", "done"), ("other_filing", "done")],
    )


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        (Indicator.SESSIONS, 5),
        (Indicator.HOUSEHOLDS_REACHED, 3),
        (Indicator.LEVEL2_ACTIVATIONS, 1),
        (Indicator.ONLINE_FILINGS, 2),
        (Indicator.CASHLESS_SETUPS, 2),
        (Indicator.PRIORITY_REACHED, 4),
        (Indicator.PRIORITY_HOUSEHOLDS_REACHED, 1),
    ],
)
def test_each_indicator_is_counted(area, province_wide, october, indicator, expected):
    assert counted(province_wide)[indicator] == expected


def test_every_indicator_is_counted(province_wide):
    assert set(counted(province_wide)) == set(Indicator)


def test_a_person_helped_counts_as_their_household_reached(
    area, record, resident, province_wide
):
    """Sessions logged for a resident alone still reach their household."""
    record(household=None, resident=resident, started_at=local(2026, 10, 10))

    assert counted(province_wide)[Indicator.HOUSEHOLDS_REACHED] == 1


# Who sees which


def test_a_ward_official_sees_the_province_and_their_own_wards_campaigns(
    area, users, province_wide, ward_drive
):
    CampaignFactory(province=area.province, ward=area.neighbour_ward)
    CampaignFactory(province=area.other_province)

    campaigns = set(campaign_list(user=users[Role.WARD]))

    assert campaigns == {province_wide, ward_drive}


def test_a_team_member_sees_the_same_campaigns_as_their_ward(
    area, users, province_wide, ward_drive
):
    CampaignFactory(province=area.province, ward=area.neighbour_ward)

    campaigns = set(campaign_list(user=users[Role.TEAM_MEMBER]))

    assert campaigns == {province_wide, ward_drive}


def test_province_staff_see_every_campaign_of_their_province(
    area, users, province_wide, ward_drive
):
    neighbours = CampaignFactory(province=area.province, ward=area.neighbour_ward)
    CampaignFactory(province=area.other_province)

    campaigns = set(campaign_list(user=users[Role.PROVINCE]))

    assert campaigns == {province_wide, ward_drive, neighbours}


# The admin


def campaign_form(province, ward=None, **changes) -> dict:
    data = {
        "name": "Tháng mười số",
        "province": province.pk,
        "ward": ward.pk if ward else "",
        "starts_on": "01/10/2026",
        "ends_on": "31/10/2026",
        "description": "",
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-0-indicator": "level2_activations",
        "targets-0-target": "200",
    }
    data.update(changes)
    return data


def test_a_ward_official_adds_a_campaign_for_their_ward(client, users, area):
    client.force_login(users[Role.WARD])

    response = client.post(CAMPAIGNS + "add/", campaign_form(area.province, area.ward))

    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert (campaign.province, campaign.ward) == (area.province, area.ward)
    assert (campaign.starts_on, campaign.ends_on) == (OCTOBER_1, OCTOBER_31)
    target = CampaignTarget.objects.get()
    assert (target.campaign, target.indicator, target.target) == (
        campaign,
        "level2_activations",
        200,
    )


def test_a_ward_official_cannot_add_a_province_wide_campaign(client, users, area):
    client.force_login(users[Role.WARD])

    response = client.post(CAMPAIGNS + "add/", campaign_form(area.province))

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["ward"]
    assert not Campaign.objects.exists()


def test_a_ward_official_cannot_add_a_campaign_for_another_ward(client, users, area):
    client.force_login(users[Role.WARD])

    response = client.post(
        CAMPAIGNS + "add/", campaign_form(area.province, area.neighbour_ward)
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["ward"]
    assert not Campaign.objects.exists()


def test_a_ward_official_cannot_change_a_province_wide_campaign(
    client, users, area, province_wide
):
    client.force_login(users[Role.WARD])

    response = client.post(
        "%s%d/change/" % (CAMPAIGNS, province_wide.pk),
        campaign_form(area.province, name="Đổi tên", **{"targets-TOTAL_FORMS": "0"}),
    )

    assert response.status_code == 403
    province_wide.refresh_from_db()
    assert province_wide.name == "Tháng chuyển đổi số"


def test_a_ward_official_changes_their_wards_campaign(client, users, area, ward_drive):
    client.force_login(users[Role.WARD])

    response = client.post(
        "%s%d/change/" % (CAMPAIGNS, ward_drive.pk),
        campaign_form(area.province, area.ward, name="Ba Đình số 2026"),
    )

    assert response.status_code == 302
    ward_drive.refresh_from_db()
    assert ward_drive.name == "Ba Đình số 2026"


def test_a_neighbour_wards_campaign_cannot_be_opened_by_url(client, users, area):
    hidden = CampaignFactory(
        name="Hoàn Kiếm số", province=area.province, ward=area.neighbour_ward
    )
    client.force_login(users[Role.WARD])

    response = client.get("%s%d/change/" % (CAMPAIGNS, hidden.pk), follow=True)

    assert response.redirect_chain == [("/admin/", 302)]
    assert "Hoàn Kiếm số" not in response.text


def test_province_staff_add_a_province_wide_campaign(client, users, area):
    client.force_login(users[Role.PROVINCE])

    response = client.post(CAMPAIGNS + "add/", campaign_form(area.province))

    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert (campaign.province, campaign.ward) == (area.province, None)


def test_province_staff_cannot_add_a_campaign_for_another_province(client, users, area):
    client.force_login(users[Role.PROVINCE])

    response = client.post(CAMPAIGNS + "add/", campaign_form(area.other_province))

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["province"]
    assert not Campaign.objects.exists()


def test_a_campaign_cannot_end_before_it_starts(client, users, area):
    client.force_login(users[Role.PROVINCE])

    response = client.post(
        CAMPAIGNS + "add/", campaign_form(area.province, ends_on="30/09/2026")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not Campaign.objects.exists()


def test_the_campaign_list_shows_progress_against_targets(
    client, users, area, ward_drive
):
    CampaignTarget.objects.create(campaign=ward_drive, indicator="sessions", target=50)
    SessionFactory(team=area.team, started_at=local(2026, 10, 5))
    stats_recompute()
    client.force_login(users[Role.WARD])

    response = client.get(CAMPAIGNS)

    assert response.status_code == 200
    assert "1 / 50 (2%)" in response.text


def test_team_roles_cannot_use_the_campaign_admin(client, area):
    member = UserFactory(role=Role.TEAM_MEMBER, team=area.team)
    client.force_login(member)

    response = client.get(CAMPAIGNS)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")

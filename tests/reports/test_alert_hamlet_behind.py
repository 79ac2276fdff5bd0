"""A hamlet behind its campaign's pace: fires while its households reached lag
the share the campaign expects by now, clears once sessions catch it up."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from assistance.models import CampaignTarget, Indicator
from reports.alerts import HAMLET_BEHIND, alert_list
from reports.digest import alert_digests_send
from reports.indicators import Area
from reports.services import registry_recompute, stats_recompute
from tests.accounts.factories import UserFactory
from tests.areas.factories import HamletFactory
from tests.assistance.factories import CampaignFactory, SessionFactory, local
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def day(offset: int) -> datetime.date:
    return today() + datetime.timedelta(days=offset)


def helped(team, households, offset=-1):
    when = day(offset)
    for household in households:
        SessionFactory(
            team=team,
            household=household,
            started_at=local(when.year, when.month, when.day, 9),
        )


def campaign(area, target=10, indicator=Indicator.HOUSEHOLDS_REACHED, **kwargs):
    """Ba Đình's drive: 20 days, 10 of them gone by (half its target due)."""
    fields = {
        "name": "Ba Đình đến từng hộ",
        "province": area.province,
        "ward": area.ward,
        "starts_on": day(-10),
        "ends_on": day(9),
        **kwargs,
    }
    drive = CampaignFactory(**fields)
    CampaignTarget.objects.create(campaign=drive, indicator=indicator, target=target)
    return drive


@pytest.fixture
def homes(area):
    """Ba Đình: 10 households in Tổ dân phố số 1, 4 in a small hamlet;
    Hoàn Kiếm: 10 in Tổ dân phố Hàng Bạc."""
    small = HamletFactory(ward=area.ward, name="Tổ dân phố số 2")
    return {
        "main": [
            HouseholdFactory(ward=area.ward, hamlet=area.hamlet) for _ in range(10)
        ],
        "small": [HouseholdFactory(ward=area.ward, hamlet=small) for _ in range(4)],
        "neighbour": [
            HouseholdFactory(ward=area.neighbour_ward, hamlet=area.neighbour_hamlet)
            for _ in range(10)
        ],
    }


def alerts(area, level="ward", code=None):
    stats_recompute()
    registry_recompute()
    where = Area(level, code or area.ward.pk, "")
    return alert_list(where, today(), kind=HAMLET_BEHIND)


def test_a_hamlet_behind_fires_until_sessions_bring_it_on_pace(area, homes):
    drive = campaign(area)  # 10 of 14 households: 71 % of them, half due by now
    helped(area.team, homes["main"][:1])

    [alert] = alerts(area)

    assert (alert.area.level, alert.area.name) == ("hamlet", area.hamlet.name)
    assert alert.ward.name == area.ward.name
    assert alert.since == drive.starts_on
    # Expected 10/14 × 10/20 = 36 % of 10 households: 4, one reached.
    assert alert.count == 3
    assert alert.title == "Thôn/tổ dân phố chậm so với tiến độ chiến dịch"
    assert alert.message == (
        "Ba Đình đến từng hộ: Tổ dân phố số 1 đạt 10\u00a0% số hộ so với "
        "36\u00a0% cần có đến nay; cần thêm 3 hộ để theo kịp tiến độ."
    )
    assert alert.url == (
        "/admin/households/household/?hamlet__id__exact=%d"
        "&campaign_not_reached=%d" % (area.hamlet.pk, drive.pk)
    )

    helped(area.team, homes["main"][1:4])

    assert alerts(area) == []


def test_the_link_lists_the_hamlets_households_not_reached(client, users, area, homes):
    campaign(area)
    helped(area.team, homes["main"][:1])
    [alert] = alerts(area)
    client.force_login(users[Role.WARD])

    response = client.get(alert.url)

    assert response.status_code == 200
    listed = {household.pk for household in response.context["cl"].result_list}
    assert listed == {household.pk for household in homes["main"][1:]}


def test_a_priority_target_counts_the_priority_households(area, homes):
    for household in homes["main"][:6]:
        household.poverty = "poor"
        household.save()
    drive = campaign(area, target=6, indicator=Indicator.PRIORITY_HOUSEHOLDS_REACHED)
    helped(area.team, homes["main"][6:])  # plain households do not count

    [alert] = alerts(area)

    # All 6 priority households due by the end: half of them by now.
    assert alert.count == 3
    assert "0\u00a0% số hộ ưu tiên so với 50\u00a0%" in alert.message
    assert alert.url.endswith("&campaign_not_reached=%d-priority" % drive.pk)

    helped(area.team, homes["main"][:3])

    assert alerts(area) == []


def test_no_alert_outside_a_campaigns_days_or_without_a_households_target(area, homes):
    campaign(area, starts_on=day(-30), ends_on=day(-1))  # over
    campaign(area, starts_on=day(1), ends_on=day(20))  # not begun
    campaign(area, indicator=Indicator.SESSIONS, target=50)
    campaign(area, starts_on=day(0))  # its first day: nothing due yet

    assert alerts(area) == []


def test_a_small_hamlet_does_not_fire(area, homes):
    campaign(area, target=14)
    helped(area.team, homes["main"])

    # Tổ dân phố số 2 reached none of its 4 households: too few to judge.
    assert alerts(area) == []


def test_a_province_campaign_fires_in_each_ward_it_covers(area, homes):
    campaign(area, ward=None, target=24)
    helped(area.neighbour_team, homes["neighbour"][:1])

    ward = alerts(area)
    province = alerts(area, "province", area.province.pk)
    other = alerts(area, "province", area.other_province.pk)

    assert [alert.area.name for alert in ward] == [area.hamlet.name]
    assert sorted(alert.area.name for alert in province) == sorted(
        [area.hamlet.name, area.neighbour_hamlet.name]
    )
    assert other == []


def test_the_dashboards_and_the_weekly_mail_show_it(client, users, area, homes):
    campaign(area, ward=None, target=24)
    helped(area.neighbour_team, homes["neighbour"][:1])
    alerts(area)
    UserFactory(username="phuong.a", role=Role.WARD, ward=area.ward, email="a@p.vn")

    client.force_login(users[Role.WARD])
    ward = client.get("/dashboard/")
    client.force_login(users[Role.PROVINCE])
    province = client.get("/dashboard/")
    alert_digests_send()

    assert "Thôn/tổ dân phố chậm so với tiến độ chiến dịch" in ward.text
    assert "Tổ dân phố số 1 đạt 0\u00a0% số hộ" in ward.text
    assert area.neighbour_hamlet.name not in ward.text
    cells = {row["code"]: row["cells"] for row in province.context["alert_rows"]}
    assert (cells[area.ward.pk][-1], cells[area.neighbour_ward.pk][-1]) == (1, 1)
    assert "Thôn/tổ dân phố chậm so với tiến độ chiến dịch" in province.text
    [mail_sent] = mail.outbox
    assert "Tổ dân phố số 1 đạt 0\u00a0% số hộ" in mail_sent.body
    assert "?hamlet__id__exact=%d" % area.hamlet.pk in mail_sent.body

"""Each alert fires on what should fire it and clears when its cause is fixed."""

import datetime

import pytest
from django.utils import timezone

from assistance.models import SessionService
from reports.alerts import (
    FOLLOW_UPS_OLD,
    MEMBER_SILENT,
    TEAM_QUIET,
    WORKLOAD_HIGH,
    alert_list,
    wards_short_of_support,
)
from reports.indicators import Area
from reports.services import stats_recompute
from teams.models import SupportStaff
from tests.areas.factories import WardFactory
from tests.assistance.factories import MembershipFactory, SessionFactory
from tests.reports.conftest import days_ago
from tests.teams.factories import TeamFactory

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def alerts(area, kind, level="ward", code=None):
    where = Area(level, code or area.ward.pk, "")
    stats_recompute()
    return alert_list(where, today(), kind=kind)


def subjects(found):
    return [(alert.area.level, alert.area.name) for alert in found]


def test_a_team_without_a_session_for_14_days_fires_until_it_logs_one(area):
    SessionFactory(team=area.team, started_at=days_ago(20))

    found = alerts(area, TEAM_QUIET)

    assert subjects(found) == [("team", area.team.name)]
    assert found[0].since == today() - datetime.timedelta(days=20)
    assert found[0].count == 20
    assert found[0].url.endswith("?team__id__exact=%d" % area.team.pk)

    SessionFactory(team=area.team, started_at=days_ago(0))

    assert alerts(area, TEAM_QUIET) == []


def test_a_session_13_days_ago_keeps_a_team_clear(area):
    SessionFactory(team=area.team, started_at=days_ago(13))

    assert alerts(area, TEAM_QUIET) == []


def test_a_new_team_gets_14_days_before_its_first_session(area):
    area.team.founded_on = today() - datetime.timedelta(days=5)
    area.team.save()

    assert alerts(area, TEAM_QUIET) == []

    area.team.founded_on = today() - datetime.timedelta(days=30)
    area.team.save()

    found = alerts(area, TEAM_QUIET)
    assert subjects(found) == [("team", area.team.name)]
    assert found[0].since is None
    assert "chưa ghi nhận lượt hỗ trợ nào" in found[0].message


def test_an_inactive_team_does_not_fire(area):
    SessionFactory(team=area.team, started_at=days_ago(20))
    area.team.is_active = False
    area.team.save()

    assert alerts(area, TEAM_QUIET) == []


def member_in(team, **kwargs):
    return MembershipFactory(member__ward=team.ward, team=team, **kwargs).member


def test_a_member_active_before_and_silent_for_30_days_fires_until_they_help(area):
    silent = member_in(area.team)
    busy = member_in(area.team)
    SessionFactory(team=area.team, started_at=days_ago(40), members=[silent, busy])
    SessionFactory(team=area.team, started_at=days_ago(2), members=[busy])

    found = alerts(area, MEMBER_SILENT)

    assert subjects(found) == [("member", silent.full_name)]
    assert (found[0].since, found[0].count) == (
        today() - datetime.timedelta(days=40),
        40,
    )
    assert found[0].url == "/admin/teams/member/%d/change/" % silent.pk

    SessionFactory(team=area.team, started_at=days_ago(1), members=[silent])

    assert alerts(area, MEMBER_SILENT) == []


def test_members_who_left_or_never_helped_do_not_fire(area):
    gone = member_in(area.team, left_on=today() - datetime.timedelta(days=31))
    member_in(area.team)  # never helped: nothing to fall silent from
    SessionFactory(team=area.team, started_at=days_ago(40), members=[gone])

    assert alerts(area, MEMBER_SILENT) == []


def test_a_member_far_above_the_teams_median_fires_until_others_catch_up(area):
    heavy, *others = [member_in(area.team) for _ in range(4)]
    for count in range(12):
        SessionFactory(team=area.team, started_at=days_ago(count % 10), members=[heavy])
    for member in others:
        SessionFactory(team=area.team, started_at=days_ago(3), members=[member])

    found = alerts(area, WORKLOAD_HIGH)

    assert subjects(found) == [("member", heavy.full_name)]
    assert (found[0].count, found[0].reference) == (12, 1)
    assert "trung vị của tổ là 1" in found[0].message

    for member in others:
        for count in range(5):
            SessionFactory(team=area.team, started_at=days_ago(count), members=[member])

    assert alerts(area, WORKLOAD_HIGH) == []


def test_a_small_team_has_no_workload_alert(area):
    heavy, light = member_in(area.team), member_in(area.team)
    for count in range(20):
        SessionFactory(team=area.team, started_at=days_ago(count), members=[heavy])
    SessionFactory(team=area.team, started_at=days_ago(1), members=[light])

    assert alerts(area, WORKLOAD_HIGH) == []


def test_follow_ups_open_for_over_14_days_fire_until_closed(area):
    old = SessionFactory(
        team=area.team, started_at=days_ago(20), services=[("bill_qr", "follow_up")]
    )
    SessionFactory(
        team=area.team, started_at=days_ago(5), services=[("bill_qr", "follow_up")]
    )

    found = alerts(area, FOLLOW_UPS_OLD)

    assert subjects(found) == [("ward", area.ward.name)]
    assert (found[0].count, found[0].since) == (1, old.started_on)
    assert "services__outcome__exact=follow_up" in found[0].url

    SessionService.objects.filter(session=old).update(closed_at=timezone.now())

    assert alerts(area, FOLLOW_UPS_OLD) == []


def test_a_ward_sees_its_own_alerts_and_a_province_its_wards(area):
    SessionFactory(team=area.team, started_at=days_ago(20))
    SessionFactory(team=area.neighbour_team, started_at=days_ago(20))
    SessionFactory(team=area.other_team, started_at=days_ago(20))

    assert subjects(alerts(area, TEAM_QUIET)) == [("team", area.team.name)]
    province = alerts(area, TEAM_QUIET, "province", area.province.pk)
    assert sorted(subjects(province)) == sorted(
        [("team", area.team.name), ("team", area.neighbour_team.name)]
    )


def staff(ward, starts, ends=None, phone="0912345678"):
    return SupportStaff.objects.create(
        ward=ward,
        full_name="Vũ Đức Thắng",
        organisation=SupportStaff.Organisation.TELECOM,
        phone=phone,
        starts_on=today() + datetime.timedelta(days=starts),
        ends_on=ends and today() + datetime.timedelta(days=ends),
    )


def short_codes(area):
    where = Area("province", area.province.pk, "")
    return [row["code"] for row in wards_short_of_support(where, today())]


def test_communes_with_fewer_than_two_current_support_staff_are_listed(area):
    staff(area.ward, -30, phone="0912000001")
    staff(area.ward, -30, phone="0912000002")
    staff(area.neighbour_ward, -30, phone="0912000003")
    staff(area.neighbour_ward, -60, ends=-1, phone="0912000004")  # ended
    staff(area.neighbour_ward, 3, phone="0912000005")  # not yet

    assert short_codes(area) == [area.neighbour_ward.pk]

    staff(area.neighbour_ward, 0, phone="0912000006")

    assert short_codes(area) == []


def test_a_team_in_a_second_province_is_not_in_the_first(area):
    TeamFactory(ward=area.other_ward, founded_on=today() - datetime.timedelta(days=40))

    province = alerts(area, TEAM_QUIET, "province", area.province.pk)

    assert area.other_ward.pk not in {alert.ward.code for alert in province}


def test_communes_with_teams_come_first_among_those_short_of_staff(area):
    WardFactory(code="00001", province=area.province, name="Phường An Bình")

    # Ba Đình and Hoàn Kiếm have teams; An Bình, first by name, has none.
    assert short_codes(area) == [area.ward.pk, area.neighbour_ward.pk, "00001"]

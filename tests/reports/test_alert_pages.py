"""Alerts and support staff on the ward and province dashboards, in scope."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from reports.services import registry_recompute, stats_recompute
from teams.models import SupportStaff, Team
from tests.assistance.factories import SessionFactory
from tests.reports.conftest import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet(area):
    """Every team of province 01 quiet for 20 days; the far one too."""
    for team in (area.team, area.neighbour_team, area.other_team):
        SessionFactory(team=team, started_at=days_ago(20))
    stats_recompute()


def assign(ward, count):
    for number in range(count):
        SupportStaff.objects.create(
            ward=ward,
            full_name="Cán bộ %d" % number,
            organisation=SupportStaff.Organisation.PROVINCE,
            phone="09120003%02d" % number,
            starts_on=timezone.localdate() - datetime.timedelta(days=10),
        )


def test_the_ward_official_sees_the_wards_alerts_only(client, users, area, quiet):
    client.force_login(users[Role.WARD])

    response = client.get("/dashboard/")

    names = [alert.area.name for alert in response.context["alerts"]]
    assert names == [area.team.name]
    assert "Tổ không có lượt hỗ trợ nào trong 14 ngày" in response.text
    assert area.neighbour_team.name not in response.text
    # The link opens the admin's list as a ward official may filter it.
    assert (
        "/admin/assistance/assistancesession/?team__id__exact=%d" % (area.team.pk)
        in response.text
    )


def test_the_alert_clears_from_the_page_once_the_team_logs_a_session(
    client, users, area, quiet
):
    SessionFactory(team=area.team, started_at=days_ago(0))
    stats_recompute()
    client.force_login(users[Role.WARD])

    response = client.get("/dashboard/")

    assert response.context["alerts"] == []
    assert "Không có cảnh báo" in response.text


def test_team_leaders_see_no_alerts_on_their_wards_dashboard(
    client, users, area, quiet
):
    client.force_login(users[Role.TEAM_LEADER])

    response = client.get("/dashboard/ward/%s/" % area.ward.pk)

    assert response.status_code == 200
    assert 'id="alerts"' not in response.text


def test_a_ward_short_of_support_staff_gets_a_notice(client, users, area):
    assign(area.ward, 1)
    client.force_login(users[Role.WARD])

    response = client.get("/dashboard/")

    assert "Phường Ba Đình hiện chỉ có 1 cán bộ hỗ trợ" in response.text

    assign(area.neighbour_ward, 2)  # another ward's staff do not count
    assert "hiện chỉ có 1 cán bộ" in client.get("/dashboard/").text


def test_a_second_assignment_lifts_the_kept_notice_at_once(
    client, users, area, django_capture_on_commit_callbacks
):
    """The communes short of support are kept between views, until an
    assignment changes."""
    assign(area.ward, 1)
    client.force_login(users[Role.WARD])
    assert "hiện chỉ có 1 cán bộ" in client.get("/dashboard/").text

    with django_capture_on_commit_callbacks(execute=True):
        assign(area.ward, 1)

    assert client.get("/dashboard/").context["support_short"] is None


def test_a_ward_with_two_support_staff_has_no_notice(client, users, area):
    assign(area.ward, 2)
    client.force_login(users[Role.WARD])

    response = client.get("/dashboard/")

    assert response.context["support_short"] is None
    assert "cán bộ hỗ trợ công nghệ thông tin được phân công" not in response.text


def test_the_province_page_counts_alerts_by_ward_within_the_province(
    client, users, area, quiet
):
    client.force_login(users[Role.PROVINCE])

    response = client.get("/dashboard/")

    rows = {row["code"]: row["cells"] for row in response.context["alert_rows"]}
    assert rows == {
        area.ward.pk: [1, 0, 0, 0, 0],
        area.neighbour_ward.pk: [1, 0, 0, 0, 0],
    }
    assert area.other_ward.name not in response.text


def test_the_province_page_lists_communes_short_of_support_staff(client, users, area):
    assign(area.ward, 2)
    assign(area.neighbour_ward, 1)
    client.force_login(users[Role.PROVINCE])

    response = client.get("/dashboard/")

    assert [row["code"] for row in response.context["support_short"]] == [
        area.neighbour_ward.pk
    ]
    assert 'data-support-short="1"' in response.text
    assert "1 xã/phường hiện có dưới hai cán bộ hỗ trợ" in response.text


def test_the_province_page_kept_for_the_user_follows_the_alerts(
    client, users, area, quiet
):
    client.force_login(users[Role.PROVINCE])
    client.get("/dashboard/")  # sets the CSRF cookie: the page is kept from now
    first = client.get("/dashboard/")
    assert 'data-ward="%s"' % area.ward.pk in first.text

    # Teams switched off: the registry's recompute (every 15 minutes) moves
    # the figures' version, and the page kept for the user follows.
    Team.objects.filter(pk__in=[area.team.pk, area.neighbour_team.pk]).update(
        is_active=False
    )
    registry_recompute()

    assert "Không xã/phường nào có cảnh báo." in client.get("/dashboard/").text


def test_the_province_page_kept_for_the_user_follows_the_support_staff(
    client, users, area, django_capture_on_commit_callbacks
):
    assign(area.ward, 2)
    client.force_login(users[Role.PROVINCE])
    client.get("/dashboard/")  # sets the CSRF cookie: the page is kept from now
    assert 'data-support-short="1"' in client.get("/dashboard/").text

    with django_capture_on_commit_callbacks(execute=True):  # as the admin commits
        assign(area.neighbour_ward, 2)

    assert "Mọi xã/phường đều có ít nhất hai" in client.get("/dashboard/").text

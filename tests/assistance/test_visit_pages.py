"""The visit list page ("Cần đến") and the leader's assign page, through the client."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from assistance.models import HouseholdAssignment
from assistance.visits import week_start
from tests.assistance.factories import SessionFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

VISITS = "/field/visits/"


def assign_url(household):
    return "/field/visits/%d/assign/" % household.pk


@pytest.fixture
def member_client(client, users, member):
    client.force_login(users[Role.TEAM_MEMBER])
    return client


@pytest.fixture
def leader_client(client, users, leader, member):
    client.force_login(users[Role.TEAM_LEADER])
    return client


def test_the_list_shows_each_household_with_a_log_button(member_client, area):
    household = HouseholdFactory(
        ward=area.ward, hamlet=area.hamlet, code="BD-0009", poverty="poor"
    )

    response = member_client.get(VISITS)

    assert response.status_code == 200
    page = response.text
    assert "Hộ cần đến" in page
    assert "Tháng %d/%d" % (timezone.localdate().month, timezone.localdate().year) in (
        page
    )
    assert "BD-0009 — %s" % household.head_name in page
    assert "chưa đến lần nào" in page
    assert '<span class="badge">hộ nghèo/cận nghèo</span>' in page
    assert 'href="/field/log/?household=%d"' % household.pk in page
    assert "/assign/" not in page  # a member hands nothing out


def test_a_household_with_a_session_this_month_is_not_listed(member_client, area):
    reached = HouseholdFactory(ward=area.ward, hamlet=area.hamlet, code="REACHED")
    HouseholdFactory(ward=area.ward, hamlet=area.hamlet, code="WAITING")
    SessionFactory(team=area.team, household=reached)

    response = member_client.get(VISITS)

    assert [h.code for h in response.context["households"]] == ["WAITING"]


def test_the_list_keeps_to_the_team(member_client, area, neighbour_household):
    response = member_client.get(VISITS)

    assert neighbour_household.code not in response.text
    assert list(response.context["households"]) == []
    assert "Đã đến hết các hộ" in response.text


def test_ward_officials_cannot_open_the_list(client, users):
    client.force_login(users[Role.WARD])

    assert client.get(VISITS).status_code == 403


def test_the_leader_sees_an_assign_control_per_row(leader_client, household):
    response = leader_client.get(VISITS)

    assert 'href="%s"' % assign_url(household) in response.text


def test_the_leader_assigns_and_the_member_finds_it_under_mine(
    leader_client, client, users, member, household, area
):
    HouseholdFactory(ward=area.ward, hamlet=area.hamlet, code="NOT-MINE")
    form = leader_client.get(assign_url(household))
    assert member.full_name in form.text

    response = leader_client.post(assign_url(household), {"member": member.pk})

    assert response.status_code == 302
    assignment = HouseholdAssignment.objects.get()
    assert (assignment.member, assignment.week_start) == (member, week_start())
    client.force_login(users[Role.TEAM_MEMBER])
    mine = client.get(VISITS, {"mine": "1"})
    assert [h.pk for h in mine.context["households"]] == [household.pk]
    assert "Tuần này: %s" % member.full_name in mine.text


def test_the_leader_clears_an_assignment(leader_client, member, household):
    leader_client.post(assign_url(household), {"member": member.pk})

    leader_client.post(assign_url(household), {})

    assert not HouseholdAssignment.objects.exists()


def test_a_member_cannot_open_the_assign_page(member_client, member, household):
    assert member_client.get(assign_url(household)).status_code == 403
    response = member_client.post(assign_url(household), {"member": member.pk})
    assert response.status_code == 403
    assert not HouseholdAssignment.objects.exists()


def test_another_wards_household_is_not_found(
    leader_client, member, neighbour_household
):
    response = leader_client.post(
        assign_url(neighbour_household), {"member": member.pk}
    )

    assert response.status_code == 404
    assert not HouseholdAssignment.objects.exists()


def test_a_member_of_another_team_cannot_be_given_a_visit(
    leader_client, household, sister_user
):
    response = leader_client.post(
        assign_url(household), {"member": sister_user.member.pk}
    )

    assert response.status_code == 404
    assert not HouseholdAssignment.objects.exists()


def test_the_phone_keeps_the_list_for_offline_use(member_client):
    worker = member_client.get("/field/sw.js").content.decode()

    assert '"/field/visits/"' in worker
    assert '"/field/visits/": ["hamlet", "group", "mine"]' in worker


def test_the_bottom_bar_leads_to_the_list(member_client):
    response = member_client.get("/field/")

    assert 'href="/field/visits/" data-place="visits">Cần đến</a>' in response.text


def test_the_list_reads_the_same_few_queries_however_long(member_client, area, member):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(VISITS).status_code == 200
        return len(queries)

    HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
    one = count_queries()
    for _ in range(5):
        household = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
        SessionFactory(
            team=area.team,
            household=household,
            started_at=timezone.now() - datetime.timedelta(days=90),
        )
        HouseholdAssignment.objects.create(
            ward=area.ward,
            team=area.team,
            household=household,
            member=member,
            week_start=week_start(),
        )

    assert count_queries() == one

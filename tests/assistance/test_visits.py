"""The visit list ("Cần đến"): which households, in which order, for which period;
and the leader handing them out for the week."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from accounts.models import Role
from assistance.models import HouseholdAssignment
from assistance.services import assignment_clear, assignment_set
from assistance.visits import Period, visit_list, visit_period, week_start
from tests.accounts.factories import UserFactory
from tests.areas.factories import HamletFactory
from tests.assistance.factories import (
    CampaignFactory,
    MembershipFactory,
    SessionFactory,
)
from tests.households.factories import HouseholdFactory
from tests.teams.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def team_user(users):
    return users[Role.TEAM_MEMBER]


@pytest.fixture
def month(team_user, today):
    return visit_period(user=team_user, today=today)


def visit(area, household, day, team=None):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    return SessionFactory(
        team=team or area.team, household=household, started_at=moment
    )


def codes(households):
    return [household.code for household in households]


def home(area, code, **flags):
    return HouseholdFactory(ward=area.ward, hamlet=area.hamlet, code=code, **flags)


# Order and what drops off


def test_priority_first_then_longest_since_the_last_visit_then_code(
    area, team_user, today, month
):
    plain_never = home(area, "A-PLAIN-NEVER")
    poor_old = home(area, "B-POOR-OLD", poverty="poor")
    home(area, "C-ELDERLY-NEVER", elderly_alone=True)
    plain_oldest = home(area, "D-PLAIN-OLDEST")
    plain_recent = home(area, "E-PLAIN-RECENT")
    visit(area, poor_old, month.start - datetime.timedelta(days=60))
    visit(area, plain_oldest, month.start - datetime.timedelta(days=90))
    visit(area, plain_recent, month.start - datetime.timedelta(days=1))

    found = list(visit_list(user=team_user, period=month))

    assert codes(found) == [
        "C-ELDERLY-NEVER",
        "B-POOR-OLD",
        "A-PLAIN-NEVER",
        "D-PLAIN-OLDEST",
        "E-PLAIN-RECENT",
    ]
    assert found[0].last_visit is None and plain_never.pk == found[2].pk
    assert found[3].last_visit == month.start - datetime.timedelta(days=90)


def test_a_household_visited_in_the_period_drops_off(area, team_user, today, month):
    reached = home(area, "REACHED")
    home(area, "WAITING")
    visit(area, reached, today)

    assert codes(visit_list(user=team_user, period=month)) == ["WAITING"]


def test_a_visit_before_the_period_does_not_count_as_reached(area, team_user, month):
    earlier = home(area, "EARLIER")
    visit(area, earlier, month.start - datetime.timedelta(days=1))

    assert codes(visit_list(user=team_user, period=month)) == ["EARLIER"]


# Scope


def test_a_hamlet_team_lists_its_hamlet_only(area, team_user, month):
    home(area, "OURS")
    HouseholdFactory(ward=area.ward, hamlet__ward=area.ward, code="OTHER-HAMLET")
    HouseholdFactory(ward=area.neighbour_ward, hamlet=area.neighbour_hamlet, code="NB")

    assert codes(visit_list(user=team_user, period=month)) == ["OURS"]


def test_a_ward_wide_team_lists_the_whole_ward_and_filters_by_hamlet(area, month):
    ward_team = TeamFactory(ward=area.ward, hamlet=None, name="Tổ thanh niên")
    user = UserFactory(username="thanhnien", role=Role.TEAM_MEMBER, team=ward_team)
    second = HamletFactory(ward=area.ward)
    home(area, "FIRST")
    HouseholdFactory(ward=area.ward, hamlet=second, code="SECOND")
    HouseholdFactory(ward=area.neighbour_ward, hamlet=area.neighbour_hamlet, code="NB")

    assert codes(visit_list(user=user, period=month)) == ["FIRST", "SECOND"]
    assert codes(
        visit_list(user=user, period=month, filters={"hamlet": second.pk})
    ) == ["SECOND"]


def test_users_outside_a_team_get_nothing(area, users, month):
    home(area, "OURS")

    assert codes(visit_list(user=users[Role.WARD], period=month)) == []


# Filters


def test_filter_by_priority_group(area, team_user, month):
    home(area, "DISABILITY", disability=True)
    home(area, "NEAR-POOR", poverty="near_poor")
    home(area, "PLAIN")

    def group(key):
        return codes(visit_list(user=team_user, period=month, filters={"group": key}))

    assert group("poor") == ["NEAR-POOR"]
    assert group("disability") == ["DISABILITY"]
    assert group("") == ["DISABILITY", "NEAR-POOR", "PLAIN"]


def test_mine_lists_only_this_weeks_assignments_to_the_user(
    area, users, member, leader, month
):
    mine = home(area, "MINE")
    last_week = home(area, "LAST-WEEK")
    home(area, "NOBODYS")
    HouseholdAssignment.objects.create(
        ward=area.ward,
        team=area.team,
        household=mine,
        member=member,
        week_start=week_start(),
    )
    HouseholdAssignment.objects.create(
        ward=area.ward,
        team=area.team,
        household=last_week,
        member=member,
        week_start=week_start() - datetime.timedelta(days=7),
    )
    user = users[Role.TEAM_MEMBER]

    assert codes(visit_list(user=user, period=month, filters={"mine": True})) == [
        "MINE"
    ]
    assert (
        codes(
            visit_list(
                user=users[Role.TEAM_LEADER], period=month, filters={"mine": True}
            )
        )
        == []
    )


# The period


def test_without_a_campaign_the_period_is_the_month(team_user):
    period = visit_period(user=team_user, today=datetime.date(2026, 12, 3))

    assert (period.start, period.end) == (
        datetime.date(2026, 12, 1),
        datetime.date(2026, 12, 31),
    )
    with translation.override("vi"):
        assert period.label == "Tháng 12/2026"


def test_a_campaign_running_over_the_ward_sets_the_period(area, team_user):
    CampaignFactory(province=area.province, name="Toàn tỉnh")
    drive = CampaignFactory(province=area.province, ward=area.ward, name="Ba Đình số")
    CampaignFactory(
        province=area.province,
        ward=area.neighbour_ward,
        name="Hoàn Kiếm số",
        starts_on=datetime.date(2026, 10, 10),
    )

    period = visit_period(user=team_user, today=datetime.date(2026, 10, 15))

    assert period.campaign == drive
    assert (period.start, period.end) == (drive.starts_on, drive.ends_on)
    assert period.label == "Ba Đình số (01/10/2026 – 31/10/2026)"


def test_a_province_wide_campaign_counts_and_an_ended_one_does_not(area, team_user):
    CampaignFactory(province=area.province, name="Toàn tỉnh")

    during = visit_period(user=team_user, today=datetime.date(2026, 10, 15))
    after = visit_period(user=team_user, today=datetime.date(2026, 11, 2))

    assert during.campaign.name == "Toàn tỉnh"
    assert after.campaign is None and after.start == datetime.date(2026, 11, 1)


def test_reached_in_a_campaign_is_any_visit_since_it_started(area, team_user):
    drive = CampaignFactory(province=area.province, ward=area.ward)
    period = Period(drive.starts_on, drive.ends_on, drive)
    early = home(area, "EARLY-IN-DRIVE")
    home(area, "NOT-YET")
    visit(area, early, drive.starts_on)

    assert codes(visit_list(user=team_user, period=period)) == ["NOT-YET"]


# Handing out visits


def test_the_leader_assigns_reassigns_and_clears_one_per_week(
    area, users, member, leader, household
):
    user = users[Role.TEAM_LEADER]

    assignment_set(user=user, household=household, member=member)
    assignment_set(user=user, household=household, member=leader)

    stored = HouseholdAssignment.objects.get()
    assert (stored.member, stored.week_start, stored.assigned_by) == (
        leader,
        week_start(),
        user,
    )
    assert stored.ward == area.ward
    assert stored.history.count() == 2  # created, then changed: the trail keeps both

    assignment_clear(user=user, household=household)

    assert not HouseholdAssignment.objects.exists()
    assert HouseholdAssignment.history.filter(history_type="-").count() == 1


def test_a_member_cannot_assign(users, member, household):
    with pytest.raises(PermissionDenied):
        assignment_set(user=users[Role.TEAM_MEMBER], household=household, member=member)
    assert not HouseholdAssignment.objects.exists()


def test_the_leader_cannot_assign_another_teams_household(area, users, member):
    other_hamlet = HouseholdFactory(ward=area.ward, hamlet__ward=area.ward)
    neighbour = HouseholdFactory(ward=area.neighbour_ward, hamlet=area.neighbour_hamlet)

    for household in (other_hamlet, neighbour):
        with pytest.raises(PermissionDenied):
            assignment_set(
                user=users[Role.TEAM_LEADER], household=household, member=member
            )
    assert not HouseholdAssignment.objects.exists()


def test_the_assignee_must_be_in_the_team(area, users, household, sister_user):
    outsider = sister_user.member
    former = MembershipFactory(
        member__ward=area.ward,
        team=area.team,
        left_on=timezone.localdate() - datetime.timedelta(days=1),
    ).member

    for person in (outsider, former):
        with pytest.raises(ValidationError):
            assignment_set(
                user=users[Role.TEAM_LEADER], household=household, member=person
            )
    assert not HouseholdAssignment.objects.exists()

"""What each role reads of assistance work."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from assistance.selectors import (
    follow_up_list,
    household_find,
    session_list,
    session_recent,
    team_members,
)
from core.text import match_rank
from tests.assistance.factories import MembershipFactory, SessionFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(area, sister_team, household, member, leader):
    """One session each: by the member, by the leader, by the sister team,
    in the neighbour ward and in the other province."""
    return {
        "member": SessionFactory(
            team=area.team,
            household=household,
            members=[member],
            services=[("payment_app", "follow_up")],
        ),
        "leader": SessionFactory(
            team=area.team,
            household=household,
            members=[leader],
            services=[("bill_qr", "follow_up")],
        ),
        "sister": SessionFactory(
            team=sister_team, services=[("online_safety", "follow_up")]
        ),
        "neighbour": SessionFactory(
            team=area.neighbour_team, services=[("online_safety", "follow_up")]
        ),
        "far": SessionFactory(
            team=area.other_team, services=[("online_safety", "follow_up")]
        ),
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.NATIONAL, {"member", "leader", "sister", "neighbour", "far"}),
        (Role.PROVINCE, {"member", "leader", "sister", "neighbour"}),
        (Role.WARD, {"member", "leader", "sister"}),
        (Role.TEAM_LEADER, {"member", "leader"}),
        (Role.TEAM_MEMBER, {"member", "leader"}),
    ],
)
def test_session_list_is_the_users_scope(users, sessions, role, expected):
    listed = set(session_list(user=users[role]))

    assert listed == {sessions[name] for name in expected}


def test_a_member_recently_sees_their_own_sessions(users, sessions):
    assert list(session_recent(user=users[Role.TEAM_MEMBER])) == [sessions["member"]]


def test_a_leader_recently_sees_the_teams_sessions(users, sessions):
    recent = set(session_recent(user=users[Role.TEAM_LEADER]))

    assert recent == {sessions["member"], sessions["leader"]}


def test_recent_sessions_leave_out_older_ones(users, sessions):
    sessions["member"].started_at = timezone.now() - datetime.timedelta(days=8)
    sessions["member"].save()

    assert list(session_recent(user=users[Role.TEAM_MEMBER])) == []


def test_a_member_sees_the_follow_ups_of_their_own_sessions(users, sessions):
    lines = follow_up_list(user=users[Role.TEAM_MEMBER])

    assert [line.session for line in lines] == [sessions["member"]]


def test_closed_follow_ups_are_not_listed(users, sessions):
    sessions["member"].services.update(closed_at=timezone.now())

    assert list(follow_up_list(user=users[Role.TEAM_MEMBER])) == []


def test_a_ward_official_sees_the_wards_follow_ups(users, sessions):
    lines = follow_up_list(user=users[Role.WARD])

    assert {line.session for line in lines} == {
        sessions["member"],
        sessions["leader"],
        sessions["sister"],
    }


def test_team_members_are_the_current_members_of_the_users_team(
    area, users, member, leader, sister_team
):
    MembershipFactory(
        member__ward=area.ward,
        team=area.team,
        left_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    MembershipFactory(member__ward=area.ward, team=sister_team)

    listed = set(team_members(user=users[Role.TEAM_MEMBER]))

    assert listed == {member, leader}


def test_a_member_who_left_the_team_is_not_offered_even_if_in_another(
    area, users, member, sister_team
):
    """Leaving this team while serving in another must not count as current."""
    moved = MembershipFactory(
        member__ward=area.ward,
        team=area.team,
        left_on=timezone.localdate() - datetime.timedelta(days=1),
    ).member
    MembershipFactory(member=moved, team=sister_team)

    assert set(team_members(user=users[Role.TEAM_MEMBER])) == {member}


def test_household_find_matches_within_the_ward(
    users, household, resident, neighbour_household
):
    found = household_find(user=users[Role.TEAM_MEMBER], query="hoa")

    assert found == [household]
    assert found[0].matched_residents == [resident]
    assert household_find(user=users[Role.TEAM_MEMBER], query="Phạm Văn Bốn") == []


def test_the_person_typed_comes_first_however_many_partly_match(area, users):
    # Twenty households whose names hold "an" inside other words, and codes
    # that sort before the one sought.
    for number in range(20):
        HouseholdFactory(
            ward=area.ward,
            hamlet=area.hamlet,
            code="A%03d" % number,
            head_name="Nguyễn Thanh Văn Hoàng",
        )
    starts = HouseholdFactory(
        ward=area.ward, hamlet=area.hamlet, code="Y001", head_name="Nguyễn Văn Anh"
    )
    sought = HouseholdFactory(
        ward=area.ward, hamlet=area.hamlet, code="Z999", head_name="Nguyễn Văn An"
    )

    found = household_find(user=users[Role.WARD], query="nguyen van an")

    assert found[:2] == [sought, starts]
    assert len(found) == 15


def test_match_rank_orders_exact_whole_words_starts_then_the_rest():
    words = ["nguyen", "van", "an"]
    assert match_rank("Nguyễn Văn An", words) == 0
    assert match_rank("Nguyễn Văn Bình An", words) == 1
    assert match_rank("Nguyễn Văn Anh", words) == 2
    assert match_rank("Nguyễn Thanh Văn Hoàng", words) == 3

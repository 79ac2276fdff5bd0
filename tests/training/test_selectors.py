"""What a member reads of their own training."""

import pytest

from accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.training.factories import AttendanceFactory
from training.selectors import event_list, member_training

pytestmark = pytest.mark.django_db


def test_member_reads_their_own_training_latest_first(users, training):
    mine = member_training(user=users[Role.TEAM_MEMBER])

    assert list(mine) == [training.mine_at_ward, training.mine_at_province]
    assert list(mine.certified()) == [training.mine_at_province]


def test_member_does_not_read_a_colleagues_training(users, training, members):
    AttendanceFactory(event=training.ward_event, member=members.colleague)

    mine = member_training(user=users[Role.TEAM_MEMBER])

    assert members.colleague not in {attendance.member for attendance in mine}


def test_an_account_without_a_volunteer_record_reads_nothing(users, training):
    assert not member_training(user=users[Role.TEAM_LEADER]).exists()
    assert not member_training(user=users[Role.WARD]).exists()


def test_a_switched_off_account_reads_nothing(users, training):
    user = users[Role.TEAM_MEMBER]
    user.is_active = False
    user.save()

    assert not member_training(user=user).exists()


def test_team_users_see_the_provinces_events_and_their_wards(users, training):
    events = set(event_list(user=users[Role.TEAM_MEMBER]))

    assert events == {training.province_event, training.ward_event}


def test_a_team_user_of_another_ward_does_not_see_this_wards_events(area, training):
    user = UserFactory(role=Role.TEAM_MEMBER, team=area.neighbour_team)

    events = set(event_list(user=user))

    assert events == {training.province_event, training.neighbour_event}

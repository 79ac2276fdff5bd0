import datetime
import uuid

import pytest
from django.utils import timezone

from accounts.models import Role
from assistance.services import session_record
from tests.accounts.factories import UserFactory
from tests.assistance.factories import (
    MembershipFactory,
    ServicePointFactory,
    line,
)
from tests.households.factories import HouseholdFactory, ResidentFactory
from tests.teams.factories import TeamFactory


@pytest.fixture
def as_member(api, users, member):
    api.force_login(users[Role.TEAM_MEMBER])
    return api


@pytest.fixture
def member(area, users):
    """The volunteer behind ``users[TEAM_MEMBER]``, serving in ``area.team``."""
    return MembershipFactory(
        member__ward=area.ward,
        member__full_name="Nguyễn Văn An",
        member__user=users[Role.TEAM_MEMBER],
        team=area.team,
    ).member


@pytest.fixture
def leader(area, users):
    """The volunteer behind ``users[TEAM_LEADER]``, leading ``area.team``."""
    return MembershipFactory(
        member__ward=area.ward,
        member__full_name="Trần Thị Bình",
        member__user=users[Role.TEAM_LEADER],
        team=area.team,
        role="leader",
    ).member


@pytest.fixture
def sister_team(area):
    """A second team in ``area.ward``: same ward, other team."""
    return TeamFactory(ward=area.ward, name="Tổ thanh niên tình nguyện")


@pytest.fixture
def sister_user(sister_team):
    """A team member of ``sister_team``, with their volunteer record."""
    user = UserFactory(username="chidoan", role=Role.TEAM_MEMBER, team=sister_team)
    MembershipFactory(
        member__ward=sister_team.ward,
        member__full_name="Lý Văn Đoàn",
        member__user=user,
        team=sister_team,
    )
    return user


@pytest.fixture
def neighbour_official(area):
    """A ward official of ``area.neighbour_ward``, in the same province."""
    return UserFactory(username="hoankiem", role=Role.WARD, ward=area.neighbour_ward)


@pytest.fixture
def household(area):
    return HouseholdFactory(
        ward=area.ward, hamlet=area.hamlet, code="BD-0001", head_name="Hoàng Văn Bảy"
    )


@pytest.fixture
def resident(household):
    return ResidentFactory(household=household, full_name="Nguyễn Thị Hoa")


@pytest.fixture
def neighbour_household(area):
    return HouseholdFactory(
        ward=area.neighbour_ward,
        hamlet=area.neighbour_hamlet,
        code="HK-0001",
        head_name="Phạm Văn Bốn",
    )


@pytest.fixture
def service_point(area):
    return ServicePointFactory(ward=area.ward, name="Bộ phận một cửa phường")


@pytest.fixture
def neighbour_member(area):
    return MembershipFactory(
        member__ward=area.neighbour_ward, team=area.neighbour_team
    ).member


@pytest.fixture
def record(area, users, member, household):
    """``session_record`` with a valid home visit filled in; keywords override."""

    # One moment for every call, so that a resend is the same content.
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)

    def record(**changes):
        fields = {
            "client_uuid": uuid.uuid4(),
            "team": area.team,
            "members": [member],
            "started_at": an_hour_ago,
            "place": "home",
            "services": [line("online_safety")],
            "source": "field",
            "recorded_by": users[Role.TEAM_MEMBER],
            "household": household,
        }
        fields.update(changes)
        return session_record(**fields)

    return record

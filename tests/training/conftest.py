import datetime
from types import SimpleNamespace

import pytest

from accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.assistance.factories import MemberFactory, MembershipFactory
from tests.training.factories import (
    AttendanceFactory,
    CourseFactory,
    TrainingEventFactory,
    WorkshopFactory,
)
from training.models import Course


@pytest.fixture
def members(area, users):
    """A volunteer in each ward; ``mine`` signs in as the team member."""
    return SimpleNamespace(
        mine=MembershipFactory(
            member__ward=area.ward,
            member__full_name="Nguyễn Văn An",
            member__phone="0912345678",
            member__user=users[Role.TEAM_MEMBER],
            team=area.team,
        ).member,
        colleague=MemberFactory(
            ward=area.ward, full_name="Trần Thị Bình", phone="0912000111"
        ),
        neighbour=MemberFactory(
            ward=area.neighbour_ward, full_name="Phạm Thị Mai", phone="0987654321"
        ),
        far=MemberFactory(
            ward=area.other_ward, full_name="Võ Văn Tám", phone="0909123456"
        ),
    )


@pytest.fixture
def training(area, members):
    """Courses and events of the province, of each ward and of another province."""
    province_course = CourseFactory(
        title="Bồi dưỡng kỹ năng số trên OneTouch",
        provider=Course.Provider.ONETOUCH,
        mode=Course.Mode.ONLINE,
        province=area.province,
    )
    ward_course = CourseFactory(
        title="Hướng dẫn VNeID mức 2",
        provider=Course.Provider.WARD,
        mode=Course.Mode.COACHING,
        province=area.province,
        ward=area.ward,
    )
    neighbour_course = CourseFactory(
        title="An toàn trên không gian mạng",
        province=area.province,
        ward=area.neighbour_ward,
    )
    far_course = CourseFactory(
        title="Thanh toán không dùng tiền mặt", province=area.other_province
    )
    province_event = TrainingEventFactory(
        course=province_course,
        code="ONETOUCH-2026-01",
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 3, 20),
        place="",
        is_online=True,
    )
    ward_event = TrainingEventFactory(
        course=ward_course, code="BD-2026-01", starts_on=datetime.date(2026, 4, 6)
    )
    neighbour_event = TrainingEventFactory(course=neighbour_course, code="HK-2026-01")
    far_event = TrainingEventFactory(course=far_course, code="HCM-2026-01")
    return SimpleNamespace(
        province_course=province_course,
        ward_course=ward_course,
        neighbour_course=neighbour_course,
        far_course=far_course,
        province_event=province_event,
        ward_event=ward_event,
        neighbour_event=neighbour_event,
        far_event=far_event,
        mine_at_province=AttendanceFactory(
            event=province_event,
            member=members.mine,
            status="completed",
            score=92,
            certificate_date=datetime.date(2026, 3, 25),
        ),
        mine_at_ward=AttendanceFactory(
            event=ward_event, member=members.mine, status="attended"
        ),
        neighbour_at_province=AttendanceFactory(
            event=province_event, member=members.neighbour
        ),
        neighbour_at_neighbour=AttendanceFactory(
            event=neighbour_event, member=members.neighbour
        ),
        far_at_far=AttendanceFactory(event=far_event, member=members.far),
    )


@pytest.fixture
def workshops(area):
    return SimpleNamespace(
        mine=WorkshopFactory(team=area.team, place="Trường THCS Nguyễn Trãi"),
        neighbours=WorkshopFactory(team=area.neighbour_team, place="Chợ Hàng Bè"),
        far=WorkshopFactory(team=area.other_team, place="Chợ Bến Thành"),
    )


@pytest.fixture
def neighbour_official(area):
    """A ward official of ``area.neighbour_ward``, in the same province."""
    return UserFactory(username="hoankiem", role=Role.WARD, ward=area.neighbour_ward)

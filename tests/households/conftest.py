from types import SimpleNamespace

import pytest

from accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.households.factories import HouseholdFactory, ResidentFactory


@pytest.fixture
def registry(area):
    """A household with one resident in each ward of the area."""
    mine = HouseholdFactory(
        ward=area.ward,
        hamlet=area.hamlet,
        code="BD-0001",
        head_name="Hoàng Văn Bảy",
        phone="0912345678",
    )
    neighbours = HouseholdFactory(
        ward=area.neighbour_ward,
        hamlet=area.neighbour_hamlet,
        code="HK-0001",
        head_name="Phạm Văn Bốn",
        phone="0987654321",
    )
    far = HouseholdFactory(
        ward=area.other_ward,
        hamlet=area.other_hamlet,
        code="SG-0001",
        head_name="Võ Thị Sáu",
        phone="0909123456",
    )
    return SimpleNamespace(
        mine=mine,
        neighbours=neighbours,
        far=far,
        my_resident=ResidentFactory(household=mine, full_name="Nguyễn Thị Hoa"),
        neighbours_resident=ResidentFactory(
            household=neighbours, full_name="Phạm Thị Năm", phone="0977111222"
        ),
        far_resident=ResidentFactory(household=far, full_name="Võ Văn Tám"),
    )


@pytest.fixture
def neighbour_official(area):
    """A ward official of ``area.neighbour_ward``, in the same province."""
    return UserFactory(username="hoankiem", role=Role.WARD, ward=area.neighbour_ward)

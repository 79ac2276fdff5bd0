import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from reports.monthly import monthly_report_submit, previous_month
from tests.accounts.factories import UserFactory
from tests.areas.conftest import make_key, with_key  # noqa: F401 - shared fixtures


@pytest.fixture
def month():
    return previous_month(timezone.localdate())


@pytest.fixture
def day_in(month):
    """A moment in the middle of the reported month, local time."""
    return timezone.make_aware(
        datetime.datetime.combine(month.replace(day=15), datetime.time(9))
    )


@pytest.fixture
def official(users):
    return users[Role.WARD]


@pytest.fixture
def province_staff(users):
    return users[Role.PROVINCE]


@pytest.fixture
def other_province_staff(area):
    return UserFactory(
        username="tinhkhac", role=Role.PROVINCE, province=area.other_province
    )


@pytest.fixture
def submitted(area, official, month):
    return monthly_report_submit(user=official, ward=area.ward, month=month)

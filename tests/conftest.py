import datetime

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.models import Role
from reports.areas import areas_forget
from reports.monthly import (
    monthly_report_approve,
    monthly_report_submit,
    previous_month,
)
from tests.accounts.factories import UserFactory
from tests.areas.factories import HamletFactory, ProvinceFactory, WardFactory
from tests.teams.factories import TeamFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Production hashing takes a third of a second per password on purpose;
    # the suite creates and checks hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _two_factor_not_required(settings):
    # Production requires two-factor sign-in of national administrators and
    # province staff; the suite signs them in with a password alone, except
    # where tests/accounts/test_two_factor.py turns the requirement back on.
    settings.MFA_REQUIRED_ROLES = []


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits live in the cache: one test's failed logins must not lock
    # out the next test's user.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _platform_language():
    # A request in English (the language cookie) leaves its language active
    # in the test's thread; the next test starts in Vietnamese, as a new
    # request or command would.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_areas():
    # Areas found in scope are kept per process; each test makes its own.
    areas_forget()


class Area:
    """Two provinces, two wards in the first, one in the second, with teams."""

    def __init__(self):
        self.province = ProvinceFactory(code="01", name="Thành phố Hà Nội")
        self.ward = WardFactory(
            code="00004", province=self.province, name="Phường Ba Đình"
        )
        self.neighbour_ward = WardFactory(
            code="00070", province=self.province, name="Phường Hoàn Kiếm"
        )
        self.other_province = ProvinceFactory(code="79", name="Thành phố Hồ Chí Minh")
        self.other_ward = WardFactory(
            code="26734", province=self.other_province, name="Phường Sài Gòn"
        )
        self.hamlet = HamletFactory(ward=self.ward, name="Tổ dân phố số 1")
        self.neighbour_hamlet = HamletFactory(
            ward=self.neighbour_ward, name="Tổ dân phố Hàng Bạc"
        )
        self.other_hamlet = HamletFactory(ward=self.other_ward, name="Khu phố 1")
        self.team = TeamFactory(ward=self.ward, hamlet=self.hamlet)
        self.neighbour_team = TeamFactory(
            ward=self.neighbour_ward, hamlet=self.neighbour_hamlet
        )
        self.other_team = TeamFactory(ward=self.other_ward, hamlet=self.other_hamlet)


@pytest.fixture
def api():
    """An API client that reads messages in English (Vietnamese is the default)."""
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def area(db):
    return Area()


@pytest.fixture
def users(area):
    """One account per role, all inside ``area.ward`` (or its province)."""
    return {
        Role.NATIONAL: UserFactory(username="quantri", role=Role.NATIONAL),
        Role.PROVINCE: UserFactory(
            username="tinh", role=Role.PROVINCE, province=area.province
        ),
        Role.WARD: UserFactory(username="phuong", role=Role.WARD, ward=area.ward),
        Role.TEAM_LEADER: UserFactory(
            username="totruong", role=Role.TEAM_LEADER, team=area.team
        ),
        Role.TEAM_MEMBER: UserFactory(
            username="thanhvien", role=Role.TEAM_MEMBER, team=area.team
        ),
    }


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # The replica tests stop and start the one second PostgreSQL cluster of
    # the machine: under pytest-xdist (--dist loadgroup) they all go to one
    # worker, one after another. tryfirst: xdist reads the group after this.
    for item in items:
        if item.get_closest_marker("replica") or item.path.name.startswith(
            "test_replica"
        ):
            item.add_marker(pytest.mark.xdist_group("replica"))


def pytest_sessionfinish(session, exitstatus):
    # A run in which no test passed (nothing collected, everything skipped or
    # deselected) proves nothing: make it fail instead of reporting success.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if exitstatus == 0 and reporter is not None and not reporter.stats.get("passed"):
        session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED


@pytest.fixture
def approved_month(area, users):
    """Last month of ``area.ward``: submitted, approved, so its records are locked.

    Returns a moment in the middle of it (local time).
    """
    month = previous_month(timezone.localdate())
    report = monthly_report_submit(user=users[Role.WARD], ward=area.ward, month=month)
    monthly_report_approve(user=users[Role.PROVINCE], report=report)
    return timezone.make_aware(
        datetime.datetime.combine(month.replace(day=15), datetime.time(9))
    )

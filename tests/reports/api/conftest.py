"""A small, known set of sessions in three wards, recomputed into the tables."""

import datetime

import pytest
from django.utils import timezone

from reports.services import registry_recompute, stats_recompute
from tests.areas.conftest import make_key, with_key  # noqa: F401 - shared fixtures
from tests.assistance.factories import MembershipFactory, SessionFactory, local
from tests.households.factories import HouseholdFactory, ResidentFactory

STATS = "/api/v1/stats/"
SUMMARY = "/api/v1/stats/summary/"


class Figures:
    """Sessions over three days in the two wards of province 01 and one of 79.

    ``days`` are the last three days before today, oldest first.
    """

    def __init__(self, area):
        today = timezone.localdate()
        self.days = [today - datetime.timedelta(days=offset) for offset in (3, 2, 1)]
        self.elderly = HouseholdFactory(
            ward=area.ward, hamlet=area.hamlet, elderly_alone=True
        )
        self.plain = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
        self.poor = HouseholdFactory(
            ward=area.neighbour_ward, hamlet=area.neighbour_hamlet, poverty="poor"
        )
        self.far = HouseholdFactory(ward=area.other_ward, hamlet=area.other_hamlet)
        ResidentFactory(
            household=self.plain,
            vneid_level="level2",
            has_smartphone=True,
            is_focal_person=True,
        )
        ResidentFactory(household=self.elderly)
        self._sessions(area)
        stats_recompute()
        registry_recompute()

    def _sessions(self, area):
        helper = MembershipFactory(member__ward=area.ward, team=area.team).member
        first, second, third = self.days

        def session(team, day, services, household=None, hour=9, **fields):
            return SessionFactory(
                team=team,
                started_at=local(day.year, day.month, day.day, hour),
                household=household,
                services=services,
                **fields,
            )

        session(
            area.team,
            first,
            [("vneid_level2", "done"), ("bill_qr", "done")],
            self.elderly,
            members=[helper],
        )
        session(area.team, first, [("birth_registration", "done")], self.plain, 10)
        session(
            area.team,
            second,
            [("vneid_level2", "failed"), ("online_safety", "done")],
            self.elderly,
        )
        session(
            area.team,
            third,
            [("payment_app", "follow_up")],
            walk_in_age_group="60_plus",
        )
        session(area.neighbour_team, first, [("health_insurance", "done")], self.poor)
        session(
            area.neighbour_team,
            third,
            [("vneid_level2", "done"), ("other_filing", "done")],
            self.poor,
        )
        session(area.other_team, second, [("bill_qr", "done")], self.far)


@pytest.fixture
def figures(area):
    return Figures(area)

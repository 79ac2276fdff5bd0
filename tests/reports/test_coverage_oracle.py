"""Coverage read from the summary tables always equals a direct count.

Hypothesis draws a register (households of two wards and three hamlets, with
random priority groups, residents, focal persons and e-ID levels), sessions
on random days, households moving and changing their priority groups after
their sessions, before or after the figures were counted, and a random
period; the summary tables are rebuilt as the worker and the schedule do, and
each group's coverage must equal what plain Python counts over the
households, residents and sessions.
"""

import datetime
from collections import defaultdict

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistance.models import AssistanceSession
from households.models import Household, Resident
from reports.coverage import coverage
from reports.indicators import Area
from reports.services import registry_recompute, stats_recompute
from tests.areas.factories import HamletFactory
from tests.assistance.factories import SessionFactory, local
from tests.households.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db

DAYS = 8
TODAY = timezone.localdate()

resident = st.tuples(
    st.sampled_from(["none", "level1", "level2"]),
    st.booleans(),  # has a smartphone (a focal person must)
)
household = st.tuples(
    st.integers(0, 2),  # hamlet: two in the first ward, one in the second
    st.booleans(),  # elderly living alone
    st.booleans(),  # disability
    st.sampled_from(["", "poor", "near_poor"]),
    st.booleans(),  # ethnic minority
    st.booleans(),  # no smartphone
    st.lists(resident, max_size=2),
    st.booleans(),  # the first resident with a smartphone is the focal person
    st.integers(-1, 2),  # the hamlet it moves to after its sessions, if any
    st.booleans(),  # it gains or loses "no smartphone" after its sessions
)
visit = st.tuples(st.integers(0, 30), st.integers(0, DAYS - 1))


class Register:
    def __init__(self, area):
        self.area = area
        self.hamlets = [
            area.hamlet,
            HamletFactory(ward=area.ward, name="Thôn Đông"),
            area.neighbour_hamlet,
        ]
        self.teams = {
            area.ward.pk: area.team,
            area.neighbour_ward.pk: area.neighbour_team,
        }


@pytest.fixture
def register(area):
    return Register(area)


def day(offset: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=offset + 1)


def build(register, households, visits):
    stored, moves = [], []
    for (
        hamlet,
        elderly,
        disability,
        poverty,
        ethnic,
        basic,
        residents,
        focal,
        moved_to,
        flipped,
    ) in households:
        where = register.hamlets[hamlet]
        home = HouseholdFactory(
            ward=where.ward,
            hamlet=where,
            elderly_alone=elderly,
            disability=disability,
            poverty=poverty,
            ethnic_minority=ethnic,
            no_smartphone=basic,
        )
        focal_given = False
        for index, (level, smartphone) in enumerate(residents):
            is_focal = focal and smartphone and not focal_given
            focal_given |= is_focal
            ResidentFactory(
                household=home,
                full_name="Người %d" % index,
                vneid_level=level,
                has_smartphone=smartphone,
                is_focal_person=is_focal,
            )
        stored.append(home)
        moves.append((moved_to, flipped))
    for which, offset in visits:
        if not stored:
            break
        home = stored[which % len(stored)]
        on = day(offset)
        SessionFactory(
            team=register.teams[home.ward_id],
            started_at=local(on.year, on.month, on.day, 9),
            household=home,
        )
    return list(zip(stored, moves, strict=True))


def change(register, changes):
    """Households move and change their priority groups, as the register's
    officials record it."""
    for home, (moved_to, flipped) in changes:
        if moved_to >= 0:
            home.hamlet = register.hamlets[moved_to]
            home.ward = home.hamlet.ward
        if flipped:
            home.no_smartphone = not home.no_smartphone
        if moved_to >= 0 or flipped:
            home.save()


def expected(area_filter, group_of, start, end) -> dict:
    """Each group's figures, counted in plain Python over the raw rows."""
    rows = defaultdict(lambda: defaultdict(int))
    sessions = defaultdict(set)
    for session in AssistanceSession.objects.filter(household__isnull=False):
        sessions[session.household_id].add((session.ward_id, session.started_on))
    for home in Household.objects.select_related("ward"):
        if not area_filter(home):
            continue
        row = rows[group_of(home)]
        priority = (
            home.elderly_alone
            or home.disability
            or home.poverty in ("poor", "near_poor")
            or home.ethnic_minority
            or home.no_smartphone
        )
        reached = any(
            ward == home.ward_id and start <= on <= end
            for ward, on in sessions[home.pk]
        )
        residents = list(Resident.objects.filter(household=home))
        row["households"] += 1
        row["reached"] += reached
        row["priority_households"] += priority
        row["priority_reached"] += priority and reached
        row["focal_households"] += any(person.is_focal_person for person in residents)
        row["residents"] += len(residents)
        row["level2_residents"] += sum(
            person.vneid_level == "level2" for person in residents
        )
    return {key: dict(row) for key, row in rows.items()}


FIGURES = (
    "households",
    "reached",
    "priority_households",
    "priority_reached",
    "focal_households",
    "residents",
    "level2_residents",
)


def actual(area, start, end, group) -> dict:
    found = {}
    for row in coverage(area, start, end, group):
        figures = {name: row[name] for name in FIGURES}
        assert row["not_reached"] == row["households"] - row["reached"]
        if row["households"]:
            assert row["reached_share"] == round(row["reached"] / row["households"], 4)
        else:
            assert row["reached_share"] is None
        if any(figures.values()):
            found[row["group"]] = figures
    return found


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    households=st.lists(household, max_size=7),
    visits=st.lists(visit, max_size=10),
    first=st.integers(0, DAYS - 1),
    length=st.integers(1, DAYS),
    late=st.booleans(),
)
def test_coverage_equals_direct_counts(
    register, households, visits, first, length, late
):
    """With ``late``, the register changes after the figures were counted:
    the registry's recompute brings them up to it."""
    area = register.area
    end = day(first)
    start = end - datetime.timedelta(days=length - 1)
    savepoint = transaction.savepoint()
    try:
        changes = build(register, households, visits)
        if not late:
            change(register, changes)
        stats_recompute()
        if late:
            change(register, changes)
        registry_recompute()
        province = Area("province", area.province.pk)
        ward = Area("ward", area.ward.pk)

        def in_province(home):
            return home.ward.province_id == area.province.pk

        def in_ward(home):
            return home.ward_id == area.ward.pk

        whole = expected(in_province, lambda home: None, start, end)
        assert actual(province, start, end, "none") == whole
        assert actual(province, start, end, "ward") == expected(
            in_province, lambda home: home.ward_id, start, end
        )
        assert actual(ward, start, end, "hamlet") == expected(
            in_ward, lambda home: str(home.hamlet_id), start, end
        )
        assert actual(Area("national"), start, end, "province") == expected(
            lambda home: True, lambda home: home.ward.province_id, start, end
        )
    finally:
        transaction.savepoint_rollback(savepoint)

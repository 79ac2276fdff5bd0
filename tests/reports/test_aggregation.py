"""The summary tables always equal a direct count over the raw rows.

Hypothesis drives random creates, edits and deletes of sessions through the
assistance services. Each change queues its bucket's refresh after commit
through the real receivers; Celery runs the task eagerly here. The tables are
then compared with counts made in plain Python over the raw rows, after the
incremental refreshes and after a full rebuild, and a second refresh must
change nothing. The rollups above the ward (province by day, nation by day)
must equal the sums of their wards' rows after each of those, and after a
reconcile of the recent days. Households reached, counted from the rollups
and the household-day rows' previous days, must equal the distinct
households helped by each ward over every period of the days.
"""

import datetime
import uuid
from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistance.models import AssistanceSession, ServiceType, SessionService
from assistance.services import ServiceLine, session_record, session_update
from config.celery import app as celery_app
from reports.indicators import Area, activity
from reports.models import (
    DayHousehold,
    DayMemberStat,
    DayServiceStat,
    DayTeamStat,
    DayWorkshopStat,
    NationDayReach,
    NationDayServiceStat,
    NationDayStat,
    ProvinceDayReach,
    ProvinceDayServiceStat,
    ProvinceDayStat,
)
from reports.services import bucket_refresh, stats_recompute
from reports.tasks import stats_reconcile_task
from tests.assistance.factories import MembershipFactory
from tests.households.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db

SERVICES = ["vneid_level2", "birth_registration", "bill_qr", "online_safety"]
OUTCOMES = ["done", "follow_up", "failed"]
DAYS = 4


class World:
    def __init__(self, area):
        # Two wards of one province, and a ward of another.
        self.teams = [area.team, area.neighbour_team, area.other_team]
        self.members = {
            team.pk: [
                MembershipFactory(member__ward=team.ward, team=team).member
                for _ in range(2)
            ]
            for team in self.teams
        }
        self.households = {
            team.pk: [
                HouseholdFactory(
                    ward=team.ward,
                    hamlet=team.hamlet,
                    elderly_alone=index == 0,
                    poverty="poor" if index == 1 else "",
                )
                for index in range(3)
            ]
            for team in self.teams
        }
        self.residents = {
            household.pk: ResidentFactory(
                household=household, birth_year=1950, disability=True
            )
            for households in self.households.values()
            for household in households[:1]
        }
        self.services = [ServiceType.objects.get(code=code) for code in SERVICES]
        today = timezone.localdate()
        self.days = [today - datetime.timedelta(days=offset) for offset in range(1, 5)]


@pytest.fixture
def world(area):
    return World(area)


@pytest.fixture
def eager_celery():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


line_strategy = st.lists(
    st.tuples(st.integers(0, len(SERVICES) - 1), st.sampled_from(OUTCOMES)),
    min_size=1,
    max_size=3,
    unique_by=lambda pair: pair[0],
)
create = st.tuples(
    st.just("create"),
    st.integers(0, 2),  # team
    st.integers(0, DAYS - 1),  # day
    st.integers(-1, 2),  # household, or -1 for a walk-in
    line_strategy,
    st.booleans(),  # two members
    st.booleans(),  # the registered person, if any
)
edit = st.tuples(
    st.just("edit"), st.integers(0, 30), st.integers(0, DAYS - 1), line_strategy
)
delete = st.tuples(st.just("delete"), st.integers(0, 30))
operations = st.lists(st.one_of(create, create, edit, delete), min_size=1, max_size=12)


def lines(world, pairs):
    return [
        ServiceLine(
            world.services[index], outcome, "mất mạng" if outcome == "failed" else ""
        )
        for index, outcome in pairs
    ]


def apply(world, operation):
    kind = operation[0]
    stored = list(AssistanceSession.objects.order_by("pk"))
    if kind == "create":
        _kind, team_index, day, household_index, pairs, two, person = operation
        team = world.teams[team_index]
        household = (
            world.households[team.pk][household_index] if household_index >= 0 else None
        )
        resident = world.residents.get(household.pk) if household and person else None
        walk_in = (
            {"walk_in_gender": "female", "walk_in_age_group": "60_plus"}
            if household is None
            else {}
        )
        session_record(
            client_uuid=uuid.uuid4(),
            team=team,
            members=world.members[team.pk][: 2 if two else 1],
            started_at=at(world.days[day], 9 + len(stored) % 8),
            place="home",
            services=lines(world, pairs),
            source="field",
            household=household,
            resident=resident,
            duration_minutes=15,
            **walk_in,
        )
    elif stored and kind == "edit":
        _kind, which, day, pairs = operation
        session = stored[which % len(stored)]
        session_update(
            session=session,
            started_at=at(world.days[day], 15),
            services=lines(world, pairs),
        )
    elif stored and kind == "delete":
        stored[operation[1] % len(stored)].delete()


def expected():
    """The summary tables, counted in plain Python over the raw rows."""
    teams = defaultdict(Counter)
    services = defaultdict(Counter)
    members = Counter()
    households = set()
    for session in AssistanceSession.objects.select_related("household", "resident"):
        key = (session.ward_id, session.started_on, session.team_id)
        row = teams[key]
        row["sessions"] += 1
        row["walk_ins"] += session.household_id is None and session.resident_id is None
        row["minutes"] += session.duration_minutes or 0
        household, resident = session.household, session.resident
        row["elderly"] += (
            session.walk_in_age_group == "60_plus"
            or bool(household and household.elderly_alone)
            or bool(resident and resident.birth_year <= session.started_on.year - 60)
        )
        row["disability"] += bool(resident and resident.disability)
        row["poor"] += bool(household and household.poverty in ("poor", "near_poor"))
        for member in session.members.all():
            members[(session.ward_id, session.started_on, member.pk)] += 1
        if session.household_id:
            households.add((session.ward_id, session.household_id, session.started_on))
    for line in SessionService.objects.select_related("session"):
        row = services[
            (line.session.ward_id, line.session.started_on, line.service_type_id)
        ]
        row[line.outcome] += 1
        row["open"] += line.outcome == "follow_up" and line.closed_at is None
    # Each household's day before, in the same ward (None: its first).
    previous, reached = {}, set()
    for ward, household, day in sorted(households):
        earlier = previous.get((ward, household))
        reached.add((ward, day, household, earlier))
        previous[(ward, household)] = day
    return (
        {key: dict(+row) for key, row in teams.items()},
        {key: dict(+row) for key, row in services.items()},
        dict(members),
        reached,
    )


def actual():
    teams = {
        (row.ward_id, row.day, row.team_id): dict(
            +Counter(
                sessions=row.sessions,
                walk_ins=row.walk_ins,
                minutes=row.minutes,
                elderly=row.elderly,
                disability=row.disability,
                poor=row.poor,
            )
        )
        for row in DayTeamStat.objects.all()
    }
    services = {
        (row.ward_id, row.day, row.service_type_id): dict(
            +Counter(
                done=row.done,
                follow_up=row.follow_up,
                failed=row.failed,
                open=row.open_follow_up,
            )
        )
        for row in DayServiceStat.objects.all()
    }
    members = {
        (row.ward_id, row.day, row.member_id): row.sessions
        for row in DayMemberStat.objects.all()
    }
    households = set(
        DayHousehold.objects.values_list("ward_id", "day", "household_id", "previous")
    )
    return teams, services, members, households


FIGURES = (
    "sessions",
    "walk_ins",
    "minutes",
    "elderly",
    "disability",
    "poor",
    "priority",
    "member_days",
    "member_sessions",
    "workshops",
    "attendees",
)
SERVICE_FIGURES = ("done", "follow_up", "failed", "open_follow_up")
REACH_FIGURES = ("households", "registered", "priority")


def rollups_summed():
    """The rollups, summed in plain Python over the wards' rows."""
    provinces, nation = defaultdict(Counter), defaultdict(Counter)
    province_services, nation_services = defaultdict(Counter), defaultdict(Counter)

    def add(province, day, **figures):
        provinces[(province, day)].update(figures)
        nation[day].update(figures)

    for row in DayTeamStat.objects.select_related("ward"):
        add(
            row.ward.province_id,
            row.day,
            **{name: getattr(row, name) for name in FIGURES[:7]},
        )
    for row in DayMemberStat.objects.select_related("ward"):
        add(row.ward.province_id, row.day, member_days=1, member_sessions=row.sessions)
    for row in DayWorkshopStat.objects.select_related("ward"):
        add(
            row.ward.province_id,
            row.day,
            workshops=row.workshops,
            attendees=row.attendees,
        )
    for row in DayServiceStat.objects.select_related("ward"):
        figures = {name: getattr(row, name) for name in SERVICE_FIGURES}
        key = (row.day, row.service_type_id, row.category)
        province_services[(row.ward.province_id, *key)].update(figures)
        nation_services[key].update(figures)
    province_reach, nation_reach = defaultdict(Counter), defaultdict(Counter)
    for row in DayHousehold.objects.select_related("ward", "household"):
        # The register's flags, as the register says now.
        registered = row.household.ward_id == row.ward_id
        home = row.household
        priority = registered and (
            home.elderly_alone
            or home.disability
            or home.poverty in ("poor", "near_poor")
            or home.ethnic_minority
            or home.no_smartphone
        )
        counts = {"households": 1, "registered": registered, "priority": priority}
        province_reach[(row.ward.province_id, row.day, row.previous)].update(counts)
        nation_reach[(row.day, row.previous)].update(counts)
    return tuple(
        {key: dict(+row) for key, row in table.items()}
        for table in (
            provinces,
            nation,
            province_services,
            nation_services,
            province_reach,
            nation_reach,
        )
    )


def rollups_stored():
    def figures(row, names):
        return dict(+Counter({name: getattr(row, name) for name in names}))

    return (
        {
            (row.province_id, row.day): figures(row, FIGURES)
            for row in ProvinceDayStat.objects.all()
        },
        {row.day: figures(row, FIGURES) for row in NationDayStat.objects.all()},
        {
            (row.province_id, row.day, row.service_type_id, row.category): figures(
                row, SERVICE_FIGURES
            )
            for row in ProvinceDayServiceStat.objects.all()
        },
        {
            (row.day, row.service_type_id, row.category): figures(row, SERVICE_FIGURES)
            for row in NationDayServiceStat.objects.all()
        },
        {
            (row.province_id, row.day, row.previous): figures(row, REACH_FIGURES)
            for row in ProvinceDayReach.objects.all()
        },
        {
            (row.day, row.previous): figures(row, REACH_FIGURES)
            for row in NationDayReach.objects.all()
        },
    )


def reached_checked(world):
    """Households reached over every period of the days, for a ward, its
    province and the nation, against the distinct households each ward helped
    in the period, counted over the raw sessions."""
    team = world.teams[0]
    areas = [
        (Area("ward", team.ward_id), {"ward_id": team.ward_id}),
        (
            Area("province", team.ward.province_id),
            {"ward__province": team.ward.province_id},
        ),
        (Area("national"), {}),
    ]
    days = sorted(world.days)
    for index, start in enumerate(days):
        for end in days[index:]:
            for area, where in areas:
                helped = AssistanceSession.objects.filter(
                    household__isnull=False, started_on__range=(start, end), **where
                )
                distinct = set(helped.values_list("ward_id", "household_id"))
                figures = activity(area, start, end)
                assert figures["households_reached"] == len(distinct), (
                    area,
                    start,
                    end,
                )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=operations)
def test_summary_tables_equal_direct_counts(
    world, eager_celery, django_capture_on_commit_callbacks, steps
):
    savepoint = transaction.savepoint()
    try:
        for step in steps:
            with django_capture_on_commit_callbacks(execute=True):
                apply(world, step)
        assert actual() == expected()  # after the incremental refreshes
        assert rollups_stored() == rollups_summed()
        reached_checked(world)

        stats_reconcile_task(days=DAYS)
        assert actual() == expected()  # after a reconcile of the recent days
        assert rollups_stored() == rollups_summed()

        stats_recompute()
        assert actual() == expected()  # after a rebuild
        assert rollups_stored() == rollups_summed()
        reached_checked(world)

        before = actual(), rollups_stored()
        for ward_id, day in DayTeamStat.objects.values_list("ward_id", "day"):
            bucket_refresh(ward_id=ward_id, day=day)
        assert (actual(), rollups_stored()) == before  # a refresh again: no change
    finally:
        transaction.savepoint_rollback(savepoint)


def test_a_moved_session_leaves_its_old_bucket_empty(
    world, eager_celery, django_capture_on_commit_callbacks
):
    team = world.teams[0]
    with django_capture_on_commit_callbacks(execute=True):
        session, _created = session_record(
            client_uuid=uuid.uuid4(),
            team=team,
            members=world.members[team.pk][:1],
            started_at=at(world.days[0]),
            place="home",
            services=lines(world, [(0, "done")]),
            source="field",
            household=world.households[team.pk][2],
        )
    assert DayTeamStat.objects.get().day == world.days[0]

    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=session, started_at=at(world.days[2]))

    assert list(DayTeamStat.objects.values_list("day", "sessions")) == [
        (world.days[2], 1)
    ]


def test_a_late_session_moves_the_next_days_previous_day_and_its_rollups(
    world, eager_celery, django_capture_on_commit_callbacks
):
    """A phone syncs last week's visit after this week's: the household's
    later day now follows the late one, in the ward's rows and in the
    province's and the nation's households reached by previous day."""
    team = world.teams[0]
    household = world.households[team.pk][0]
    early, late = world.days[3], world.days[0]  # the oldest and newest days

    def visit(day):
        with django_capture_on_commit_callbacks(execute=True):
            return session_record(
                client_uuid=uuid.uuid4(),
                team=team,
                members=world.members[team.pk][:1],
                started_at=at(day),
                place="home",
                services=lines(world, [(0, "done")]),
                source="field",
                household=household,
            )[0]

    visit(late)
    earlier = visit(early)  # logged second, for the day before

    rows = dict(
        DayHousehold.objects.filter(household=household).values_list("day", "previous")
    )
    assert rows == {early: None, late: early}
    reach = ProvinceDayReach.objects.filter(province=team.ward.province_id, day=late)
    assert list(reach.values_list("previous", "households")) == [(early, 1)]
    province = Area("province", team.ward.province_id)
    assert activity(province, early, late)["households_reached"] == 1
    assert activity(province, late, late)["households_reached"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        earlier.delete()

    assert DayHousehold.objects.get(household=household).previous is None
    assert list(reach.values_list("previous", "households")) == [(None, 1)]
    assert activity(province, early, late)["households_reached"] == 1

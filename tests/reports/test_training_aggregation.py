"""Workshop and training figures always equal a direct count over the raw rows.

As in test_aggregation: Hypothesis drives random creates, edits and deletes
of workshops, each queuing its bucket's refresh after commit through the real
receivers (Celery eager here), and the workshop table is compared with a
count in plain Python, after the refreshes and after a full rebuild. The
registry's training counts are compared the same way.
"""

import datetime
from collections import Counter, defaultdict

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.celery import app as celery_app
from reports.models import DayWorkshopStat, WardRegistryStat
from reports.services import bucket_refresh, registry_recompute, stats_recompute
from teams.models import Membership
from tests.assistance.factories import MembershipFactory
from tests.training.factories import (
    AttendanceFactory,
    TrainingEventFactory,
    WorkshopFactory,
)
from training.models import Attendance, Workshop

pytestmark = pytest.mark.django_db

TOPICS = ["identity", "safety", "cashless"]
AUDIENCES = ["students", "elderly", "general"]
STATUSES = ["registered", "attended", "completed"]
DAYS = 3
HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def eager_celery():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def teams(area):
    return [area.team, area.neighbour_team, area.other_team]


def days():
    today = timezone.localdate()
    return [today - datetime.timedelta(days=offset) for offset in range(1, DAYS + 1)]


counts = st.integers(1, 40).flatmap(
    lambda attendees: st.tuples(
        st.just(attendees),
        *(st.integers(0, attendees) for _name in range(4)),
    )
)
create = st.tuples(
    st.just("create"),
    st.integers(0, 2),  # team
    st.integers(0, DAYS - 1),  # day
    st.sampled_from(TOPICS),
    st.sampled_from(AUDIENCES),
    counts,
)
edit = st.tuples(
    st.just("edit"),
    st.integers(0, 30),
    st.integers(0, 2),  # another team, so maybe another ward
    st.integers(0, DAYS - 1),
    st.sampled_from(AUDIENCES),
    counts,
)
delete = st.tuples(st.just("delete"), st.integers(0, 30))
operations = st.lists(st.one_of(create, create, edit, delete), min_size=1, max_size=12)


def apply(teams, operation):
    kind = operation[0]
    stored = list(Workshop.objects.order_by("pk"))
    if kind == "create":
        _kind, team, day, topic, audience, figures = operation
        attendees, women, elderly, disability, poor = figures
        WorkshopFactory(
            team=teams[team],
            held_on=days()[day],
            topic=topic,
            audience=audience,
            attendees=attendees,
            women=women,
            elderly=elderly,
            disability=disability,
            poor=poor,
        )
    elif stored and kind == "edit":
        _kind, which, team, day, audience, figures = operation
        workshop = stored[which % len(stored)]
        workshop.team = teams[team]
        workshop.held_on = days()[day]
        workshop.audience = audience
        (
            workshop.attendees,
            workshop.women,
            workshop.elderly,
            workshop.disability,
            workshop.poor,
        ) = figures
        workshop.save()
    elif stored and kind == "delete":
        stored[operation[1] % len(stored)].delete()


FIGURES = ("attendees", "women", "elderly", "disability", "poor")


def expected_workshops() -> dict:
    buckets = defaultdict(Counter)
    for workshop in Workshop.objects.select_related("team"):
        key = (workshop.team.ward_id, workshop.held_on, workshop.topic)
        row = buckets[key + (workshop.audience,)]
        row["workshops"] += 1
        for name in FIGURES:
            row[name] += getattr(workshop, name)
    return {key: dict(+row) for key, row in buckets.items()}


def actual_workshops() -> dict:
    return {
        (row.ward_id, row.day, row.topic, row.audience): dict(
            +Counter(
                workshops=row.workshops,
                **{name: getattr(row, name) for name in FIGURES},
            )
        )
        for row in DayWorkshopStat.objects.all()
    }


@HYPOTHESIS
@given(steps=operations)
def test_workshop_table_equals_direct_counts(
    teams, eager_celery, django_capture_on_commit_callbacks, steps
):
    savepoint = transaction.savepoint()
    try:
        for step in steps:
            with django_capture_on_commit_callbacks(execute=True):
                apply(teams, step)
        assert actual_workshops() == expected_workshops()  # after the refreshes

        stats_recompute()
        assert actual_workshops() == expected_workshops()  # after a rebuild

        before = actual_workshops()
        for ward_id, day in DayWorkshopStat.objects.values_list("ward_id", "day"):
            bucket_refresh(ward_id=ward_id, day=day)
        assert actual_workshops() == before  # a refresh run again changes nothing
    finally:
        transaction.savepoint_rollback(savepoint)


def test_a_workshop_moved_to_another_ward_leaves_its_old_bucket(
    area, eager_celery, django_capture_on_commit_callbacks
):
    day = days()[0]
    with django_capture_on_commit_callbacks(execute=True):
        workshop = WorkshopFactory(team=area.team, held_on=day)
    assert list(DayWorkshopStat.objects.values_list("ward_id", "workshops")) == [
        (area.ward.pk, 1)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        workshop.team = area.neighbour_team
        workshop.save()

    assert list(DayWorkshopStat.objects.values_list("ward_id", "workshops")) == [
        (area.neighbour_ward.pk, 1)
    ]


# Members trained this year, counted in the registry figures


class Training:
    """Members of two wards, events of this year and of last year."""

    def __init__(self, area):
        today = timezone.localdate()
        long_ago = today - datetime.timedelta(days=800)
        self.members = [
            MembershipFactory(member__ward=team.ward, team=team, joined_on=long_ago)
            for team in (area.team, area.team, area.neighbour_team, area.other_team)
        ]
        # One member left their team yesterday: no longer a current member.
        self.members.append(
            MembershipFactory(
                member__ward=area.ward,
                team=area.team,
                joined_on=long_ago,
                left_on=today - datetime.timedelta(days=1),
            )
        )
        this_year, last_year = today.replace(month=1, day=1), date_last_year(today)
        self.events = [
            TrainingEventFactory(course__province=area.province, starts_on=this_year),
            TrainingEventFactory(course__province=area.province, starts_on=today),
            TrainingEventFactory(course__province=area.province, starts_on=last_year),
            TrainingEventFactory(
                course__province=area.other_province, starts_on=this_year
            ),
        ]


def date_last_year(today):
    return today.replace(year=today.year - 1, month=12, day=31)


@pytest.fixture
def training(area):
    return Training(area)


def expected_training() -> dict:
    today = timezone.localdate()
    current = {
        membership.member_id
        for membership in Membership.objects.select_related("team")
        if membership.team.is_active
        and membership.joined_on <= today
        and (membership.left_on is None or membership.left_on >= today)
    }
    trained, completed = defaultdict(set), Counter()
    for row in Attendance.objects.select_related("event", "member"):
        if row.event.starts_on.year != today.year:
            continue
        if row.status in ("attended", "completed") and row.member_id in current:
            trained[row.member.ward_id].add(row.member_id)
        if row.status == "completed":
            completed[row.member.ward_id] += 1
    wards = set(trained) | set(completed)
    return {
        ward: (len(trained.get(ward, ())), completed.get(ward, 0)) for ward in wards
    }


def actual_training() -> dict:
    return {
        row.ward_id: (row.members_trained_this_year, row.courses_completed_this_year)
        for row in WardRegistryStat.objects.all()
        if row.members_trained_this_year or row.courses_completed_this_year
    }


attendance = st.lists(
    st.tuples(
        st.integers(0, 4),  # member
        st.integers(0, 3),  # event
        st.sampled_from(STATUSES),
    ),
    max_size=14,
    unique_by=lambda row: row[:2],
)


@HYPOTHESIS
@given(rows=attendance)
def test_trained_members_and_completions_equal_direct_counts(training, rows):
    savepoint = transaction.savepoint()
    try:
        for member, event, status in rows:
            AttendanceFactory(
                member=training.members[member].member,
                event=training.events[event],
                status=status,
            )
        registry_recompute()
        assert actual_training() == expected_training()
    finally:
        transaction.savepoint_rollback(savepoint)


def test_a_member_counts_once_however_many_courses(area, training):
    member = training.members[0].member
    for event in training.events[:2]:
        AttendanceFactory(member=member, event=event, status="completed")

    registry_recompute()

    stat = WardRegistryStat.objects.get(ward=area.ward)
    assert (stat.members, stat.members_trained_this_year) == (2, 1)
    assert stat.courses_completed_this_year == 2


def test_last_years_training_and_mere_registration_do_not_count(area, training):
    member = training.members[0].member
    AttendanceFactory(member=member, event=training.events[2], status="completed")
    AttendanceFactory(member=member, event=training.events[0], status="registered")

    registry_recompute()

    stat = WardRegistryStat.objects.get(ward=area.ward)
    assert (stat.members_trained_this_year, stat.courses_completed_this_year) == (0, 0)


def test_saved_attendance_refreshes_its_wards_registry(
    area, training, eager_celery, django_capture_on_commit_callbacks
):
    registry_recompute()
    with django_capture_on_commit_callbacks(execute=True):
        row = AttendanceFactory(
            member=training.members[2].member,
            event=training.events[0],
            status="attended",
        )

    stat = WardRegistryStat.objects.get(ward=area.neighbour_ward)
    assert stat.members_trained_this_year == 1

    with django_capture_on_commit_callbacks(execute=True):
        row.delete()

    stat = WardRegistryStat.objects.get(ward=area.neighbour_ward)
    assert stat.members_trained_this_year == 0


def test_a_moved_event_refreshes_its_attendees_wards(
    area, training, eager_celery, django_capture_on_commit_callbacks
):
    event = training.events[0]
    AttendanceFactory(member=training.members[0].member, event=event, status="attended")
    registry_recompute()
    assert WardRegistryStat.objects.get(ward=area.ward).members_trained_this_year == 1

    with django_capture_on_commit_callbacks(execute=True):
        event.starts_on = date_last_year(event.starts_on)
        event.save()

    assert WardRegistryStat.objects.get(ward=area.ward).members_trained_this_year == 0

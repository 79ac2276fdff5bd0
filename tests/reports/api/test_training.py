"""GET /api/v1/stats/training/: members trained and workshops, within the scope."""

import csv
import datetime
import io
from collections import Counter

import pytest
from django.utils import timezone

from reports.services import registry_recompute, stats_recompute
from tests.assistance.factories import MembershipFactory
from tests.reports.api.conftest import SUMMARY
from tests.training.factories import (
    AttendanceFactory,
    TrainingEventFactory,
    WorkshopFactory,
)
from training.models import Workshop

pytestmark = pytest.mark.django_db

TRAINING = "/api/v1/stats/training/"
FIGURES = ("attendees", "women", "elderly", "disability", "poor")


@pytest.fixture
def reached(area):
    """Workshops over the last days in the three wards; two members trained
    of three in province 01, and one of one in province 79."""
    today = timezone.localdate()
    for offset, team, topic, audience, attendees in (
        (1, area.team, "safety", "elderly", 30),
        (2, area.team, "safety", "students", 45),
        (3, area.team, "cashless", "traders", 12),
        (40, area.team, "cashless", "traders", 20),  # before the period
        (1, area.neighbour_team, "identity", "elderly", 25),
        (2, area.other_team, "safety", "general", 60),
    ):
        WorkshopFactory(
            team=team,
            held_on=today - datetime.timedelta(days=offset),
            topic=topic,
            audience=audience,
            attendees=attendees,
            women=attendees // 2,
            elderly=attendees if audience == "elderly" else 1,
            disability=2,
            poor=3,
        )
    members = [
        MembershipFactory(member__ward=team.ward, team=team).member
        for team in (area.team, area.team, area.neighbour_team, area.other_team)
    ]
    event = TrainingEventFactory(course__province=area.province, starts_on=today)
    far_event = TrainingEventFactory(
        course__province=area.other_province, starts_on=today
    )
    AttendanceFactory(event=event, member=members[0], status="completed")
    AttendanceFactory(event=event, member=members[2], status="attended")
    AttendanceFactory(event=far_event, member=members[3], status="completed")
    stats_recompute()
    registry_recompute()


def direct(wards, start, end, group):
    """The workshop rows counted straight from the workshops."""
    rows = {}
    for workshop in Workshop.objects.filter(
        ward__in=wards, held_on__gte=start, held_on__lte=end
    ):
        key = None if group == "none" else getattr(workshop, group)
        row = rows.setdefault(key, Counter())
        row["workshops"] += 1
        for name in FIGURES:
            row[name] += getattr(workshop, name)
    return {key: dict(row) for key, row in rows.items()}


def answered(rows):
    return {
        row["group"]: {name: row[name] for name in ("workshops", *FIGURES)}
        for row in rows
    }


def period():
    today = timezone.localdate()
    return today - datetime.timedelta(days=29), today


@pytest.mark.parametrize("group", ["none", "topic", "audience"])
def test_workshops_equal_the_count_over_the_workshops(with_key, area, reached, group):
    client = with_key("province", province=area.province)
    start, end = period()

    answer = client.get(TRAINING, {"group": group}).json()

    wards = [area.ward, area.neighbour_ward]
    assert answered(answer["results"]) == direct(wards, start, end, group)
    assert answer["group"] == group


def test_members_trained_this_year_and_courses_completed(with_key, area, reached):
    client = with_key("province", province=area.province)

    answer = client.get(TRAINING).json()

    assert answer["area"]["code"] == "01"
    assert (answer["members"], answer["members_trained"]) == (3, 2)
    assert answer["members_trained_share"] == 0.6667
    assert answer["courses_completed"] == 1


def test_a_ward_reads_its_own_workshops(with_key, area, reached):
    client = with_key("ward", ward=area.ward)

    answer = client.get(TRAINING, {"group": "topic"}).json()

    by_topic = {row["group"]: row for row in answer["results"]}
    assert set(by_topic) == {"safety", "cashless"}
    assert by_topic["safety"]["attendees"] == 75
    assert by_topic["cashless"]["workshops"] == 1  # the older one is outside
    assert answer["members_trained_share"] == 0.5


def test_a_period_without_workshops_has_one_row_of_zeros(with_key, area, reached):
    client = with_key("ward", ward=area.neighbour_ward)

    answer = client.get(
        TRAINING, {"date_from": "2025-01-01", "date_to": "2025-01-31"}
    ).json()

    assert answered(answer["results"]) == {
        None: {"workshops": 0, **dict.fromkeys(FIGURES, 0)}
    }


def test_training_as_csv_rows(with_key, area, reached):
    client = with_key("ward", ward=area.ward)

    response = client.get(TRAINING, {"group": "audience", "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["group"]: int(row["attendees"]) for row in rows} == {
        "elderly": 30,
        "students": 45,
        "traders": 12,
    }


def test_an_unchanged_pull_is_a_304(with_key, area, reached):
    client = with_key("ward", ward=area.ward)
    etag = client.get(TRAINING)["ETag"]

    assert client.get(TRAINING, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert (
        client.get(TRAINING, {"group": "topic"}, HTTP_IF_NONE_MATCH=etag).status_code
        == 200
    )


def test_the_summary_carries_the_training_figures(with_key, area, reached):
    client = with_key("province", province=area.province)

    answer = client.get(SUMMARY).json()

    assert answer["members_trained_share"] == 0.6667
    assert answer["courses_completed"] == 1
    assert (answer["workshops"], answer["workshop_attendees"]) == (4, 112)


@pytest.mark.parametrize(
    "params, name",
    [
        ({"group": "hamlet"}, "group"),
        ({"level": "district"}, "level"),
        ({"level": "province", "code": "1"}, "code"),
        ({"date_from": "2026-13-01"}, "date_from"),
        ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_from"),
        ({"format": "xml"}, "format"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(with_key, area, params, name):
    client = with_key("national")

    response = client.get(TRAINING, params)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [name]


@pytest.mark.parametrize(
    "params",
    [
        {"level": "province", "code": "79"},
        {"level": "ward", "code": "26734"},
        {"level": "national"},
    ],
)
def test_a_province_key_gets_404_outside_its_province(with_key, area, params):
    client = with_key("province", province=area.province)

    response = client.get(TRAINING, params)

    assert response.status_code == 404


def test_a_ward_key_gets_404_for_its_neighbour(with_key, area):
    client = with_key("ward", ward=area.ward)

    response = client.get(TRAINING, {"level": "ward", "code": "00070"})

    assert response.status_code == 404

"""Dashboards: workshops for residents and members trained, within the scope."""

import datetime
import io

import pytest
from django.utils import timezone, translation
from django.utils.text import capfirst
from openpyxl import load_workbook

from accounts.models import Role
from assistance.models import ServiceType
from reports.services import registry_recompute, stats_recompute
from tests.assistance.factories import MembershipFactory
from tests.training.factories import (
    AttendanceFactory,
    TrainingEventFactory,
    WorkshopFactory,
)
from training.models import Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def reached(area):
    """Ba Đình: two workshops and one of two members trained; Hoàn Kiếm: one
    workshop, no one trained; Sài Gòn: one workshop."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for audience, attendees, women in (("elderly", 30, 18), ("students", 40, 25)):
        WorkshopFactory(
            team=area.team,
            held_on=yesterday,
            topic="safety",
            audience=audience,
            attendees=attendees,
            women=women,
            elderly=30 if audience == "elderly" else 0,
        )
    WorkshopFactory(team=area.neighbour_team, held_on=yesterday, attendees=12, women=6)
    WorkshopFactory(team=area.other_team, held_on=yesterday, attendees=50)
    trained, _untrained = (
        MembershipFactory(member__ward=area.ward, team=area.team).member
        for _ in range(2)
    )
    MembershipFactory(member__ward=area.neighbour_ward, team=area.neighbour_team)
    event = TrainingEventFactory(
        course__province=area.province, starts_on=yesterday.replace(month=1, day=1)
    )
    AttendanceFactory(event=event, member=trained, status="completed")
    stats_recompute()
    registry_recompute()


def tile(response, code):
    return next(t for t in response.context["tiles"] if t["code"] == code)


def test_ward_dashboard_shows_its_own_workshops_by_topic_and_audience(
    client, users, reached
):
    client.force_login(users[Role.WARD])

    response = client.get("/dashboard/")

    rows = response.context["workshops"].rows
    assert [
        (row["workshops"], row["attendees"], row["women"], row["elderly"])
        for row in rows
    ] == [(1, 40, 25, 0), (1, 30, 18, 30)]
    with translation.override("vi"):
        assert [(str(row["topic"]), str(row["audience"])) for row in rows] == [
            (str(capfirst(safety)), str(capfirst(audience)))
            for safety, audience in (
                (ServiceType.Category.SAFETY.label, Workshop.Audience.STUDENTS.label),
                (ServiceType.Category.SAFETY.label, Workshop.Audience.ELDERLY.label),
            )
        ]
    assert 'id="table-workshops"' in response.text
    assert tile(response, "workshops")["value"] == 2
    assert tile(response, "workshop_attendees")["value"] == 70


def test_ward_dashboard_shows_the_share_of_members_trained(client, users, reached):
    client.force_login(users[Role.WARD])

    response = client.get("/dashboard/")

    assert tile(response, "members_trained_share")["value"] == 0.5
    assert tile(response, "courses_completed")["value"] == 1
    assert "50\xa0%" in response.text


def test_province_dashboard_sums_its_wards_workshops_only(client, users, reached):
    client.force_login(users[Role.PROVINCE])

    response = client.get("/dashboard/")

    rows = response.context["workshops"].rows
    assert sum(row["workshops"] for row in rows) == 3
    assert sum(row["attendees"] for row in rows) == 82  # not Sài Gòn's 50
    assert tile(response, "workshop_attendees")["value"] == 82


def test_ranking_has_the_trained_share_of_each_ward(client, users, area, reached):
    client.force_login(users[Role.PROVINCE])

    response = client.get("/dashboard/")

    ranking = {row["code"]: row for row in response.context["ranking"].rows}
    assert ranking[area.ward.pk]["members_trained_share"] == 0.5
    assert ranking[area.neighbour_ward.pk]["members_trained_share"] == 0
    assert "members_trained_share" in [
        column.key for column in response.context["ranking"].columns
    ]


def test_national_ranking_has_the_trained_share_of_each_province(
    client, users, area, reached
):
    client.force_login(users[Role.NATIONAL])

    ranking = client.get("/dashboard/").context["ranking"].rows

    shares = {row["code"]: row["members_trained_share"] for row in ranking}
    assert shares[area.province.pk] == round(1 / 3, 4)
    assert shares[area.other_province.pk] is None  # no members


def test_workshop_table_exports_to_excel(client, users, reached):
    client.force_login(users[Role.WARD])

    response = client.get("/dashboard/", {"export": "workshops"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert sorted(row[3] for row in rows[1:]) == [30, 40]


def test_another_wards_workshop_export_is_a_404(client, users, area, reached):
    client.force_login(users[Role.WARD])

    response = client.get(
        "/dashboard/ward/%s/" % area.neighbour_ward.pk, {"export": "workshops"}
    )

    assert response.status_code == 404

"""Workshops and training records of an approved month: refused on every path."""

import datetime
import uuid

import pytest
from django.conf import settings

from accounts.models import Role
from areas.locks import month_lock_set
from core.locks import MonthLocked
from tests.training.factories import WorkshopFactory
from tests.training.test_import import error_table, row, upload, xlsx
from tests.training.test_workshop_capture import body, post
from training.models import Attendance, Workshop
from training.services import workshop_record, workshop_update

pytestmark = pytest.mark.django_db

ADMIN_WORKSHOPS = "/admin/training/workshop/"


def locked_message(day) -> str:
    return (
        "Month %s of Phường Ba Đình has been approved: its records can no longer "
        "be added, changed or deleted." % day.strftime("%m/%Y")
    )


@pytest.fixture
def held(approved_month):
    return approved_month.date()


@pytest.fixture
def stored(area, held):
    return WorkshopFactory(team=area.team, held_on=held, attendees=30)


def test_the_service_refuses_a_workshop_of_a_locked_month(area, users, held):
    with pytest.raises(MonthLocked):
        workshop_record(
            client_uuid=uuid.uuid4(),
            team=area.team,
            held_on=held,
            place="Nhà văn hóa",
            topic="safety",
            audience=Workshop.Audience.ELDERLY,
            attendees=20,
        )
    assert not Workshop.objects.exists()


def test_the_service_refuses_to_change_or_move_a_locked_months_workshop(stored):
    with pytest.raises(MonthLocked):
        workshop_update(workshop=stored, attendees=31)
    with pytest.raises(MonthLocked):
        workshop_update(workshop=stored, held_on=datetime.date.today())
    stored.refresh_from_db()
    assert stored.attendees == 30


def test_the_api_refuses_a_workshop_of_a_locked_month_with_409(api, users, held):
    api.force_login(users[Role.TEAM_LEADER])

    response = post(api, body(held_on=held.isoformat()))

    assert response.status_code == 409
    assert response.json()["code"] == "month_locked"
    assert response.json()["detail"] == locked_message(held)
    assert not Workshop.objects.exists()


@pytest.fixture
def official(client, users):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(users[Role.WARD])
    return client


def test_the_admin_refuses_to_delete_a_locked_months_workshop(official, stored, held):
    response = official.post(
        "%s%d/delete/" % (ADMIN_WORKSHOPS, stored.pk), {"post": "yes"}, follow=True
    )

    assert locked_message(held) in response.content.decode()
    assert Workshop.objects.filter(pk=stored.pk).exists()


def test_the_admin_refuses_to_change_a_locked_months_workshop(
    official, area, stored, held
):
    response = official.post(
        "%s%d/change/" % (ADMIN_WORKSHOPS, stored.pk),
        {
            "team": area.team.pk,
            "held_on": held.strftime("%d/%m/%Y"),
            "place": "Nơi khác",
            "topic": stored.topic,
            "audience": stored.audience,
            "attendees": 30,
            "women": 0,
            "elderly": 0,
            "disability": 0,
            "poor": 0,
        },
    )

    assert response.status_code == 200
    assert locked_message(held) in response.content.decode()
    stored.refresh_from_db()
    assert stored.place != "Nơi khác"


def test_an_attendance_import_for_a_locked_month_is_refused_by_row(
    official, area, training, members
):
    # The ward event starts on 6 April 2026: lock that month of the ward.
    month_lock_set(ward=area.ward, month=training.ward_event.starts_on)
    before = Attendance.objects.count()

    preview = upload(
        official,
        xlsx(
            row(
                **{
                    "Mã lớp": "BD-2026-01",
                    "Họ tên": "Trần Thị Bình",
                    "Trạng thái": "tham dự",
                    "Điểm": None,
                    "Ngày cấp chứng chỉ": None,
                }
            )
        ),
    )

    assert preview.context.get("confirm_form") is None
    problems = [problem for _row, _column, problem in error_table(preview)]
    assert locked_message(training.ward_event.starts_on) in problems
    assert Attendance.objects.count() == before


def test_the_admin_refuses_to_delete_an_attendance_of_a_locked_month(
    official, area, training
):
    month_lock_set(ward=area.ward, month=training.ward_event.starts_on)
    attendance = training.mine_at_ward

    response = official.post(
        "/admin/training/attendance/%d/delete/" % attendance.pk,
        {"post": "yes"},
        follow=True,
    )

    assert locked_message(training.ward_event.starts_on) in response.content.decode()
    assert Attendance.objects.filter(pk=attendance.pk).exists()

"""Workshops and training records of an approved month: refused on every path."""

import datetime
import uuid

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from accounts.models import Role
from areas.locks import month_lock_set
from core.locks import MonthLocked, month_locked_in
from tests.training.factories import WorkshopFactory
from tests.training.helpers import EVENTS, event_form, new_event_form
from tests.training.test_import import error_table, row, upload, xlsx
from tests.training.test_workshop_capture import body, post
from training.models import Attendance, TrainingEvent, Workshop
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


# Training events: their date or ward moved into or out of a locked month,
# an event added or deleted there, and its list's rows deleted from its page.

APRIL = datetime.date(2026, 4, 6)  # the ward event's first day (conftest)
MAY = datetime.date(2026, 5, 11)


def event_change(official, event, attendances=(), **changes):
    data = event_form(event, **changes)
    for index, attendance in enumerate(attendances):
        data.update(
            {
                "attendances-%d-id" % index: attendance.pk,
                "attendances-%d-event" % index: event.pk,
                "attendances-%d-member" % index: attendance.member_id,
                "attendances-%d-status" % index: attendance.status,
            }
        )
    data["attendances-TOTAL_FORMS"] = len(attendances)
    data["attendances-INITIAL_FORMS"] = len(attendances)
    return official.post("%s%d/change/" % (EVENTS, event.pk), data)


def test_an_event_cannot_be_moved_into_a_locked_month(official, area, training):
    month_lock_set(ward=area.ward, month=MAY)
    event = training.ward_event

    response = event_change(
        official,
        event,
        [training.mine_at_ward],
        starts_on=MAY.strftime("%d/%m/%Y"),
    )

    assert response.status_code == 200
    assert locked_message(MAY) in response.content.decode()
    event.refresh_from_db()
    assert event.starts_on == APRIL


def test_an_event_cannot_be_moved_out_of_a_locked_month(official, area, training):
    month_lock_set(ward=area.ward, month=APRIL)
    event = training.ward_event

    response = event_change(
        official,
        event,
        [training.mine_at_ward],
        starts_on=MAY.strftime("%d/%m/%Y"),
    )

    assert response.status_code == 200
    assert locked_message(APRIL) in response.content.decode()
    event.refresh_from_db()
    assert event.starts_on == APRIL


def test_a_province_event_cannot_leave_a_members_locked_month(area, training):
    # The province's event has no ward: its list's members' wards count.
    event = training.province_event
    month_lock_set(ward=area.ward, month=event.starts_on)
    event.starts_on, event.ends_on = MAY, None

    with pytest.raises(ValidationError) as refusal:
        event.full_clean()

    assert "03/2026" in month_locked_in(refusal.value)
    assert "Phường Ba Đình" in month_locked_in(refusal.value)


def test_an_event_cannot_be_given_to_a_ward_in_its_locked_month(
    area, training, members
):
    # A province-wide course's event given to the ward in a month it is locked.
    event = training.province_event
    month_lock_set(ward=area.neighbour_ward, month=event.starts_on)
    Attendance.objects.filter(event=event, member=members.neighbour).delete()
    event.ward = area.neighbour_ward

    with pytest.raises(ValidationError) as refusal:
        event.full_clean()

    assert "Phường Hoàn Kiếm" in month_locked_in(refusal.value)


def test_an_event_of_an_open_month_still_moves(official, area, training):
    month_lock_set(ward=area.ward, month=datetime.date(2026, 6, 1))
    event = training.ward_event

    response = event_change(
        official,
        event,
        [training.mine_at_ward],
        starts_on=MAY.strftime("%d/%m/%Y"),
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.starts_on == MAY


def test_a_wards_event_cannot_be_added_in_its_locked_month(official, area, training):
    month_lock_set(ward=area.ward, month=MAY)
    form = new_event_form(area, training.ward_course, [])

    response = official.post(EVENTS + "add/", form)

    assert response.status_code == 200
    assert locked_message(MAY) in response.content.decode()
    assert not TrainingEvent.objects.filter(code="BD-2026-02").exists()


def test_the_admin_refuses_to_delete_an_event_of_a_locked_month(
    official, area, training
):
    month_lock_set(ward=area.ward, month=APRIL)
    event = training.ward_event

    response = official.post(
        "%s%d/delete/" % (EVENTS, event.pk), {"post": "yes"}, follow=True
    )

    assert locked_message(APRIL) in response.content.decode()
    assert TrainingEvent.objects.filter(pk=event.pk).exists()
    assert Attendance.objects.filter(pk=training.mine_at_ward.pk).exists()


def test_the_admin_bulk_delete_keeps_an_event_of_a_locked_month(
    official, area, training
):
    month_lock_set(ward=area.ward, month=APRIL)
    event = training.ward_event

    response = official.post(
        EVENTS,
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
        follow=True,
    )

    assert locked_message(APRIL) in response.content.decode()
    assert TrainingEvent.objects.filter(pk=event.pk).exists()


def test_the_events_list_refuses_to_delete_a_row_of_a_locked_month(
    official, area, training
):
    month_lock_set(ward=area.ward, month=APRIL)
    event = training.ward_event
    attendance = training.mine_at_ward
    data = event_form(event)
    data.update(
        {
            "attendances-TOTAL_FORMS": 1,
            "attendances-INITIAL_FORMS": 1,
            "attendances-0-id": attendance.pk,
            "attendances-0-event": event.pk,
            "attendances-0-member": attendance.member_id,
            "attendances-0-status": attendance.status,
            "attendances-0-DELETE": "on",
        }
    )

    response = official.post("%s%d/change/" % (EVENTS, event.pk), data)

    assert response.status_code == 200
    assert locked_message(APRIL) in response.content.decode()
    assert Attendance.objects.filter(pk=attendance.pk).exists()


def test_an_attendance_cannot_be_moved_off_a_locked_months_event(
    official, area, training, members
):
    month_lock_set(ward=area.ward, month=APRIL)
    attendance = training.mine_at_ward

    response = official.post(
        "/admin/training/attendance/%d/change/" % attendance.pk,
        {
            "event": training.province_event.pk,
            "member": members.colleague.pk,
            "status": "registered",
        },
    )

    assert response.status_code == 200
    assert locked_message(APRIL) in response.content.decode()
    attendance.refresh_from_db()
    assert attendance.event_id == training.ward_event.pk


# The rest of the matrix: a workshop changed through the API, and a workshop
# or a place on a list added in the admin, in a locked month.


def test_the_api_refuses_to_change_a_locked_months_workshop_with_409(
    api, users, stored, held
):
    api.force_login(users[Role.WARD])

    response = api.patch(
        "/api/v1/workshops/%d/" % stored.pk, {"attendees": 31}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "month_locked"
    assert response.json()["detail"] == locked_message(held)
    stored.refresh_from_db()
    assert stored.attendees == 30


def test_the_admin_refuses_to_add_a_workshop_of_a_locked_month(official, area, held):
    response = official.post(
        ADMIN_WORKSHOPS + "add/",
        {
            "team": area.team.pk,
            "held_on": held.strftime("%d/%m/%Y"),
            "place": "Nhà văn hóa",
            "topic": "safety",
            "audience": "elderly",
            "attendees": 30,
            "women": 0,
            "elderly": 0,
            "disability": 0,
            "poor": 0,
        },
    )

    assert response.status_code == 200
    assert locked_message(held) in response.content.decode()
    assert not Workshop.objects.exists()


def test_the_admin_refuses_to_add_an_attendance_of_a_locked_month(
    official, area, training, members
):
    month_lock_set(ward=area.ward, month=APRIL)

    response = official.post(
        "/admin/training/attendance/add/",
        {
            "event": training.ward_event.pk,
            "member": members.colleague.pk,
            "status": "attended",
        },
    )

    assert response.status_code == 200
    assert locked_message(APRIL) in response.content.decode()
    assert not Attendance.objects.filter(member=members.colleague).exists()

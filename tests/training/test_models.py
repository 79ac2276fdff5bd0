"""Courses, events, attendance and workshops refuse what cannot be true."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from accounts.scope import scope
from tests.training.factories import (
    AttendanceFactory,
    CourseFactory,
    TrainingEventFactory,
    WorkshopFactory,
)
from training.models import Attendance, TrainingEvent, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    # Messages are compared as written in the code, not as translated.
    with translation.override("en"):
        yield


def messages_of(error: ValidationError) -> dict[str, list[str]]:
    return error.value.message_dict


@pytest.fixture
def course(area):
    return CourseFactory(province=area.province)


def event_of(course, **fields):
    values = {
        "course": course,
        "code": "TH-2026-01",
        "starts_on": datetime.date(2026, 3, 10),
        "place": "Hội trường phường",
        "province": course.province,
        "ward": course.ward,
    }
    values.update(fields)
    return TrainingEvent(**values)


def test_event_cannot_end_before_it_starts(course):
    event = event_of(course, ends_on=datetime.date(2026, 3, 9))

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert messages_of(error) == {"__all__": ["The event cannot end before it starts."]}


def test_event_ending_before_it_starts_is_refused_by_the_database(course):
    with pytest.raises(IntegrityError), transaction.atomic():
        event_of(course, ends_on=datetime.date(2026, 3, 9)).save()


def test_event_needs_a_place_unless_online(course):
    with pytest.raises(ValidationError) as error:
        event_of(course, place="").full_clean()

    assert messages_of(error) == {
        "__all__": ["Give the place of the event, or tick “online”."]
    }
    event_of(course, place="", is_online=True).full_clean()


def test_event_code_is_stored_upper_case_and_unique_in_the_province(area, course):
    TrainingEventFactory(course=course, code=" onetouch-2026-01 ")
    assert TrainingEvent.objects.get().code == "ONETOUCH-2026-01"

    with pytest.raises(ValidationError) as error:
        event_of(course, code="OneTouch-2026-01").full_clean()

    assert messages_of(error) == {
        "__all__": ["Another training event of the province has this code."]
    }


def test_event_code_is_reused_in_another_province(area, course):
    TrainingEventFactory(course=course, code="ONETOUCH-2026-01")
    elsewhere = CourseFactory(province=area.other_province)

    event_of(elsewhere, code="ONETOUCH-2026-01").full_clean()


def test_event_code_has_no_accents_or_spaces(course):
    with pytest.raises(ValidationError) as error:
        event_of(course, code="LỚP 1").full_clean()

    assert list(messages_of(error)) == ["code"]


def test_event_is_in_its_courses_province(area, course):
    with pytest.raises(ValidationError) as error:
        event_of(course, province=area.other_province).full_clean()

    assert messages_of(error) == {
        "course": ["The course is offered in another province."]
    }


def test_event_ward_must_be_in_the_province(area, course):
    with pytest.raises(ValidationError) as error:
        event_of(course, ward=area.other_ward).full_clean()

    assert messages_of(error) == {"ward": ["The ward must be in the province."]}


def test_a_wards_course_runs_for_that_ward(area):
    course = CourseFactory(province=area.province, ward=area.ward)

    with pytest.raises(ValidationError) as error:
        event_of(course, ward=None).full_clean()

    assert messages_of(error) == {
        "ward": ["A ward's course runs for that ward: choose Phường Ba Đình."]
    }


def test_course_ward_must_be_in_the_province(area):
    course = CourseFactory.build(province=area.province, ward=area.other_ward)

    with pytest.raises(ValidationError) as error:
        course.full_clean()

    assert messages_of(error) == {"ward": ["The ward must be in the province."]}


@pytest.fixture
def event(area):
    return TrainingEventFactory(
        course=CourseFactory(province=area.province, ward=area.ward),
        starts_on=datetime.date(2026, 3, 10),
    )


def test_certificate_only_when_completed(event, members):
    attendance = Attendance(
        event=event,
        member=members.mine,
        status="attended",
        certificate_date=datetime.date(2026, 3, 12),
    )

    with pytest.raises(ValidationError) as error:
        attendance.full_clean()

    assert messages_of(error) == {
        "certificate_date": [
            "A certificate is only given to members who completed the course."
        ]
    }
    attendance.status = "completed"
    attendance.full_clean()


def test_certificate_without_completion_is_refused_by_the_database(event, members):
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(
            event=event,
            member=members.mine,
            status="registered",
            certificate_date=datetime.date(2026, 3, 12),
        )


def test_certificate_cannot_predate_the_event(event, members):
    attendance = Attendance(
        event=event,
        member=members.mine,
        status="completed",
        certificate_date=datetime.date(2026, 3, 9),
    )

    with pytest.raises(ValidationError) as error:
        attendance.full_clean()

    assert messages_of(error) == {
        "certificate_date": ["The certificate cannot be dated before the event starts."]
    }


@pytest.mark.parametrize("score", ["-1", "100.5"])
def test_score_is_from_0_to_100(event, members, score):
    attendance = Attendance(event=event, member=members.mine, score=Decimal(score))

    with pytest.raises(ValidationError) as error:
        attendance.full_clean()

    assert list(messages_of(error)) == ["score"]


def test_score_out_of_range_is_refused_by_the_database(event, members):
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(event=event, member=members.mine, score=Decimal("101"))


def test_member_of_another_ward_is_not_on_a_wards_list(event, members):
    attendance = Attendance(event=event, member=members.neighbour)

    with pytest.raises(ValidationError) as error:
        attendance.full_clean()

    assert messages_of(error) == {
        "member": [
            "Phạm Thị Mai is not a member of Phường Ba Đình, which the event is for."
        ]
    }


def test_member_of_another_province_is_not_on_a_provinces_list(area, members):
    event = TrainingEventFactory(course=CourseFactory(province=area.province))
    attendance = Attendance(event=event, member=members.far)

    with pytest.raises(ValidationError) as error:
        attendance.full_clean()

    assert messages_of(error) == {
        "member": ["Võ Văn Tám is not a member of a ward of Thành phố Hà Nội."]
    }
    Attendance(event=event, member=members.neighbour).full_clean()


def test_a_member_is_on_an_events_list_once(event, members):
    AttendanceFactory(event=event, member=members.mine)

    with pytest.raises(ValidationError) as error:
        Attendance(event=event, member=members.mine).full_clean()

    assert messages_of(error) == {
        "__all__": ["This member is already on the event's list."]
    }


def test_attendance_changes_are_audited_inside_the_members_ward(
    area, users, event, members, neighbour_official
):
    attendance = AttendanceFactory(event=event, member=members.mine)
    attendance.status = "completed"
    attendance.save()

    records = Attendance.history.filter(id=attendance.pk)

    assert [record.status for record in records] == ["completed", "registered"]
    assert scope(records, users["ward"]).count() == 2
    assert scope(records, neighbour_official).count() == 0


def workshop_of(area, **fields):
    values = {
        "team": area.team,
        "held_on": datetime.date(2026, 3, 12),
        "place": "Nhà văn hóa",
        "topic": "safety",
        "audience": "elderly",
        "attendees": 20,
    }
    values.update(fields)
    return Workshop(**values)


def test_workshop_takes_its_teams_ward(area):
    workshop = WorkshopFactory(team=area.team)

    assert workshop.ward == area.ward


def test_workshop_men_are_the_attendees_who_are_not_women(area):
    assert workshop_of(area, attendees=20, women=12).men == 8


@pytest.mark.parametrize(
    ("group", "message"),
    [
        ("women", "There cannot be more women than attendees."),
        ("elderly", "There cannot be more elderly people than attendees."),
        ("disability", "There cannot be more people with disability than attendees."),
        (
            "poor",
            "There cannot be more people from poor households than attendees.",
        ),
    ],
)
def test_workshop_groups_are_within_the_attendees(area, group, message):
    with pytest.raises(ValidationError) as error:
        workshop_of(area, attendees=20, **{group: 21}).full_clean()

    assert messages_of(error) == {"__all__": [message]}


def test_workshop_groups_beyond_the_attendees_are_refused_by_the_database(area):
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkshopFactory(team=area.team, attendees=10, women=11)


def test_workshop_counts_are_not_negative(area):
    with pytest.raises(ValidationError) as error:
        workshop_of(area, poor=-1).full_clean()

    assert list(messages_of(error)) == ["poor"]


def test_workshop_needs_an_attendee(area):
    with pytest.raises(ValidationError) as error:
        workshop_of(area, attendees=0).full_clean()

    assert list(messages_of(error)) == ["attendees"]
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkshopFactory(team=area.team, attendees=0, women=0)


def test_workshop_is_logged_once_held(area):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        workshop_of(area, held_on=tomorrow).full_clean()

    assert messages_of(error) == {
        "held_on": ["Log a workshop once it is held: the date is ahead."]
    }


def test_workshop_client_uuid_is_stored_once(area):
    first = WorkshopFactory(
        team=area.team, client_uuid="8d9f8a52-0b8e-4f7c-9a51-1d2e3f4a5b6c"
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        WorkshopFactory(team=area.team, client_uuid=first.client_uuid)

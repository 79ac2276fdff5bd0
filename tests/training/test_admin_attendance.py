"""Attendance lists in the admin: on the event, on their own, on the member's page."""

import pytest
from django.contrib import admin

from accounts.models import Role
from teams.admin import MemberAdmin, MemberMembershipInline
from teams.models import Member
from tests.training.helpers import (
    ATTENDANCE,
    EVENTS,
    MEMBERS,
    event_form,
    new_event_form,
)
from training.admin import MemberAttendanceInline
from training.models import Attendance, TrainingEvent

pytestmark = pytest.mark.django_db


def test_ward_official_lists_attendance_on_their_wards_event(
    client, users, training, members
):
    client.force_login(users[Role.WARD])
    event = training.ward_event

    response = client.post(
        "%s%d/change/" % (EVENTS, event.pk),
        event_form(event, attendances=[(members.colleague, "registered")]),
    )

    assert response.status_code == 302
    assert set(event.attendances.values_list("member__full_name", flat=True)) == {
        "Nguyễn Văn An",
        "Trần Thị Bình",
    }


def test_a_member_of_another_ward_cannot_be_put_on_the_wards_list(
    client, users, training, members
):
    client.force_login(users[Role.WARD])
    event = training.ward_event

    response = client.post(
        "%s%d/change/" % (EVENTS, event.pk),
        event_form(event, attendances=[(members.neighbour, "registered")]),
    )

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["member"]
    assert not event.attendances.filter(member=members.neighbour).exists()


def test_province_staff_only_read_a_wards_event_and_its_list(
    client, users, training, members
):
    client.force_login(users[Role.PROVINCE])
    event = training.ward_event

    response = client.post(
        "%s%d/change/" % (EVENTS, event.pk),
        event_form(event, attendances=[(members.colleague, "registered")]),
    )

    assert response.status_code == 403
    assert not event.attendances.filter(member=members.colleague).exists()


def test_ward_official_records_their_member_at_a_province_event(
    client, users, training, members
):
    client.force_login(users[Role.WARD])

    response = client.post(
        ATTENDANCE + "add/",
        {
            "event": training.province_event.pk,
            "member": members.colleague.pk,
            "status": "attended",
        },
    )

    assert response.status_code == 302
    attendance = Attendance.objects.get(member=members.colleague)
    assert attendance.event == training.province_event
    assert attendance.history.get().history_user == users[Role.WARD]


def test_ward_official_cannot_record_a_member_of_another_ward(
    client, users, training, members
):
    client.force_login(users[Role.WARD])

    response = client.post(
        ATTENDANCE + "add/",
        {
            "event": training.province_event.pk,
            "member": members.far.pk,
            "status": "attended",
        },
    )

    assert "member" in response.context["adminform"].form.errors
    assert not training.province_event.attendances.filter(member=members.far).exists()


def test_province_staff_only_read_attendance_at_a_wards_event(client, users, training):
    client.force_login(users[Role.PROVINCE])
    attendance = training.mine_at_ward

    response = client.post(
        "%s%d/change/" % (ATTENDANCE, attendance.pk),
        {
            "event": attendance.event_id,
            "member": attendance.member_id,
            "status": "completed",
        },
    )

    assert response.status_code == 403
    attendance.refresh_from_db()
    assert attendance.status == "attended"


@pytest.mark.parametrize("score", ["88,5", "88.5"])
def test_province_staff_edit_attendance_at_the_provinces_event(
    client, users, training, score
):
    client.force_login(users[Role.PROVINCE])
    attendance = training.neighbour_at_province

    response = client.post(
        "%s%d/change/" % (ATTENDANCE, attendance.pk),
        {
            "event": attendance.event_id,
            "member": attendance.member_id,
            "status": "completed",
            "score": score,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    attendance.refresh_from_db()
    assert (attendance.status, str(attendance.score)) == ("completed", "88.50")


# The member's page -------------------------------------------------------


def test_members_page_shows_their_training_history(client, users, training, members):
    client.force_login(users[Role.WARD])

    response = client.get("%s%d/change/" % (MEMBERS, members.mine.pk))

    history = [
        formset
        for formset in response.context["inline_admin_formsets"]
        if formset.opts.model is Attendance
    ]
    assert len(history) == 1
    shown = [form.original for form in history[0]]
    assert shown == [training.mine_at_ward, training.mine_at_province]
    assert "ONETOUCH-2026-01" in response.text
    assert "Hướng dẫn VNeID mức 2" in response.text
    assert history[0].has_change_permission is False


def test_training_fills_the_member_page_without_changing_teams_admin_class():
    assert MemberAdmin.inlines == [MemberMembershipInline]
    assert admin.site.get_model_admin(Member).inlines == [
        MemberMembershipInline,
        MemberAttendanceInline,
    ]


def test_a_new_members_form_has_no_training_history(client, users, area):
    client.force_login(users[Role.WARD])

    response = client.post(
        MEMBERS + "add/",
        {
            "ward": area.ward.pk,
            "full_name": "Đỗ Thị Lan",
            "phone": "0912000333",
            "affiliation": "youth_union",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    assert Member.objects.filter(phone="0912000333").exists()


def test_training_history_cannot_be_changed_from_the_members_page(
    client, users, training, members
):
    client.force_login(users[Role.WARD])
    member, attendance = members.mine, training.mine_at_ward
    membership = member.memberships.get()
    url = "%s%d/change/" % (MEMBERS, member.pk)

    page = client.get(url)
    response = client.post(
        url,
        {
            "ward": member.ward_id,
            "full_name": member.full_name,
            "phone": member.phone,
            "affiliation": member.affiliation,
            "memberships-TOTAL_FORMS": 1,
            "memberships-INITIAL_FORMS": 1,
            "memberships-0-id": membership.pk,
            "memberships-0-member": member.pk,
            "memberships-0-team": membership.team_id,
            "memberships-0-role": membership.role,
            "memberships-0-joined_on": membership.joined_on.strftime("%d/%m/%Y"),
            "attendances-TOTAL_FORMS": 1,
            "attendances-INITIAL_FORMS": 1,
            "attendances-0-id": attendance.pk,
            "attendances-0-member": member.pk,
            "attendances-0-status": "completed",
            "attendances-0-score": "99",
        },
    )

    assert 'name="attendances-0-status"' not in page.text
    assert response.status_code == 302
    attendance.refresh_from_db()
    assert (attendance.status, attendance.score) == ("attended", None)


def test_province_staff_cannot_put_a_member_on_a_wards_event_list(
    client, users, training, members
):
    client.force_login(users[Role.PROVINCE])

    response = client.post(
        ATTENDANCE + "add/",
        {
            "event": training.ward_event.pk,
            "member": members.colleague.pk,
            "status": "registered",
        },
    )

    (message,) = response.context["adminform"].form.errors["event"]
    assert "Phường Ba Đình" in message
    assert not training.ward_event.attendances.filter(member=members.colleague).exists()


def test_ward_official_adds_an_event_with_its_list(
    client, users, area, training, members
):
    client.force_login(users[Role.WARD])

    response = client.post(
        EVENTS + "add/",
        new_event_form(
            area,
            training.ward_course,
            [{"member": members.colleague.pk, "status": "registered"}],
        ),
    )

    assert response.status_code == 302
    event = TrainingEvent.objects.get(code="BD-2026-02")
    assert [a.member for a in event.attendances.all()] == [members.colleague]


def test_a_certificate_before_a_new_event_starts_is_refused(
    client, users, area, training, members
):
    client.force_login(users[Role.WARD])

    response = client.post(
        EVENTS + "add/",
        new_event_form(
            area,
            training.ward_course,
            [
                {
                    "member": members.colleague.pk,
                    "status": "completed",
                    "certificate_date": "01/05/2026",
                }
            ],
        ),
    )

    formset = response.context["inline_admin_formsets"][0].formset
    assert "certificate_date" in formset.errors[0]
    assert not TrainingEvent.objects.filter(code="BD-2026-02").exists()

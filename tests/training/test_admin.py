"""Training in the admin: each level keeps its own courses and lists, reads the rest."""

import pytest

from accounts.models import Role
from tests.training.factories import CourseFactory
from tests.training.helpers import (
    ATTENDANCE,
    COURSES,
    EVENTS,
    WORKSHOPS,
    course_form,
    listed,
)
from training.models import Course, Workshop

pytestmark = pytest.mark.django_db

# Lists -------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.WARD, Role.PROVINCE, Role.NATIONAL])
def test_course_list_shows_the_province_and_the_users_ward(
    client, users, training, role
):
    client.force_login(users[role])

    expected = {
        Role.WARD: {training.province_course, training.ward_course},
        Role.PROVINCE: {
            training.province_course,
            training.ward_course,
            training.neighbour_course,
        },
        Role.NATIONAL: {
            training.province_course,
            training.ward_course,
            training.neighbour_course,
            training.far_course,
        },
    }[role]
    assert listed(client, COURSES) == expected


@pytest.mark.parametrize("role", [Role.WARD, Role.PROVINCE, Role.NATIONAL])
def test_event_list_shows_the_province_and_the_users_ward(
    client, users, training, role
):
    client.force_login(users[role])

    expected = {
        Role.WARD: {training.province_event, training.ward_event},
        Role.PROVINCE: {
            training.province_event,
            training.ward_event,
            training.neighbour_event,
        },
        Role.NATIONAL: {
            training.province_event,
            training.ward_event,
            training.neighbour_event,
            training.far_event,
        },
    }[role]
    assert listed(client, EVENTS) == expected


@pytest.mark.parametrize("role", [Role.WARD, Role.PROVINCE, Role.NATIONAL])
def test_attendance_list_shows_the_members_of_the_users_area(
    client, users, training, role
):
    client.force_login(users[role])

    mine = {training.mine_at_province, training.mine_at_ward}
    province = mine | {
        training.neighbour_at_province,
        training.neighbour_at_neighbour,
    }
    expected = {
        Role.WARD: mine,
        Role.PROVINCE: province,
        Role.NATIONAL: province | {training.far_at_far},
    }[role]
    assert listed(client, ATTENDANCE) == expected


@pytest.mark.parametrize("role", [Role.WARD, Role.PROVINCE, Role.NATIONAL])
def test_workshop_list_shows_the_users_area(client, users, workshops, role):
    client.force_login(users[role])

    expected = {
        Role.WARD: {workshops.mine},
        Role.PROVINCE: {workshops.mine, workshops.neighbours},
        Role.NATIONAL: {workshops.mine, workshops.neighbours, workshops.far},
    }[role]
    assert listed(client, WORKSHOPS) == expected


@pytest.mark.parametrize("url", [COURSES, EVENTS, ATTENDANCE, WORKSHOPS])
@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.TEAM_MEMBER])
def test_team_roles_do_not_reach_the_training_admin(client, users, training, role, url):
    client.force_login(users[role])

    response = client.get(url, follow=True)

    assert response.redirect_chain[0] == ("/admin/login/?next=%s" % url, 302)
    assert "cl" not in response.context
    assert "Bồi dưỡng kỹ năng số trên OneTouch" not in response.text


# Another ward's rows -----------------------------------------------------


@pytest.mark.parametrize(
    ("changelist", "fixture", "row", "hidden"),
    [
        (
            ATTENDANCE,
            "training",
            "neighbour_at_province",
            ["Phạm Thị Mai", "0987654321"],
        ),
        (EVENTS, "training", "neighbour_event", ["HK-2026-01"]),
        (WORKSHOPS, "workshops", "neighbours", ["Chợ Hàng Bè"]),
    ],
)
def test_another_wards_row_cannot_be_opened_by_url(
    client, users, request, changelist, fixture, row, hidden
):
    client.force_login(users[Role.WARD])
    pk = getattr(request.getfixturevalue(fixture), row).pk

    response = client.get("%s%d/change/" % (changelist, pk), follow=True)

    assert response.redirect_chain == [("/admin/", 302)]
    for text in hidden:
        assert text not in response.text


def test_another_wards_attendance_history_is_not_found(client, users, training):
    client.force_login(users[Role.WARD])

    response = client.get(
        "%s%d/history/" % (ATTENDANCE, training.neighbour_at_province.pk)
    )

    assert response.status_code == 404
    assert "Phạm Thị Mai" not in response.text


def test_own_attendance_history_is_shown(client, users, training):
    client.force_login(users[Role.WARD])

    response = client.get("%s%d/history/" % (ATTENDANCE, training.mine_at_ward.pk))

    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 1


def test_another_wards_workshop_cannot_be_deleted_by_url(client, users, workshops):
    client.force_login(users[Role.WARD])

    response = client.post(
        "%s%d/delete/" % (WORKSHOPS, workshops.neighbours.pk), {"post": "yes"}
    )

    assert response["Location"] == "/admin/"
    assert Workshop.objects.filter(pk=workshops.neighbours.pk).exists()


# Who edits what ----------------------------------------------------------


def test_province_staff_edit_the_provinces_course(client, users, training):
    client.force_login(users[Role.PROVINCE])
    course = training.province_course

    response = client.post(
        "%s%d/change/" % (COURSES, course.pk),
        course_form(course, title="Kỹ năng số 2026"),
    )

    assert response.status_code == 302
    course.refresh_from_db()
    assert course.title == "Kỹ năng số 2026"


def test_province_staff_only_read_a_wards_course(client, users, training):
    client.force_login(users[Role.PROVINCE])
    course = training.ward_course

    page = client.get("%s%d/change/" % (COURSES, course.pk))
    response = client.post(
        "%s%d/change/" % (COURSES, course.pk), course_form(course, title="Đổi tên")
    )

    assert page.status_code == 200 and "Hướng dẫn VNeID mức 2" in page.text
    assert page.context["has_change_permission"] is False
    assert response.status_code == 403
    course.refresh_from_db()
    assert course.title == "Hướng dẫn VNeID mức 2"


def test_ward_official_only_reads_the_provinces_course(client, users, training):
    client.force_login(users[Role.WARD])
    course = training.province_course

    response = client.post(
        "%s%d/change/" % (COURSES, course.pk), course_form(course, title="Đổi tên")
    )

    assert response.status_code == 403
    course.refresh_from_db()
    assert course.title == "Bồi dưỡng kỹ năng số trên OneTouch"


def test_ward_official_adds_a_course_for_their_ward(client, users, area):
    client.force_login(users[Role.WARD])
    course = CourseFactory.build(
        title="Bán hàng trực tuyến", province=area.province, ward=area.ward
    )

    response = client.post(COURSES + "add/", course_form(course))

    assert response.status_code == 302
    assert Course.objects.get().ward == area.ward


def test_ward_official_cannot_add_a_province_wide_course(client, users, area):
    client.force_login(users[Role.WARD])
    course = CourseFactory.build(title="Bán hàng trực tuyến", province=area.province)

    response = client.post(COURSES + "add/", course_form(course))

    assert "ward" in response.context["adminform"].form.errors
    assert not Course.objects.exists()


def test_province_staff_cannot_add_a_wards_course(client, users, area):
    client.force_login(users[Role.PROVINCE])
    course = CourseFactory.build(
        title="Bán hàng trực tuyến", province=area.province, ward=area.ward
    )

    response = client.post(COURSES + "add/", course_form(course))

    assert "ward" in response.context["adminform"].form.errors
    assert not Course.objects.exists()


def test_ward_official_logs_a_workshop_with_the_teams_ward(client, users, area):
    client.force_login(users[Role.WARD])

    response = client.post(
        WORKSHOPS + "add/",
        {
            "team": area.team.pk,
            "held_on": "12/03/2026",
            "place": "Trường THCS Nguyễn Trãi",
            "topic": "safety",
            "audience": "students",
            "attendees": 45,
            "women": 20,
            "elderly": 0,
            "disability": 1,
            "poor": 3,
        },
    )

    assert response.status_code == 302
    workshop = Workshop.objects.get()
    assert (workshop.ward, workshop.recorded_by) == (area.ward, users[Role.WARD])


def test_ward_official_cannot_log_a_workshop_for_another_wards_team(
    client, users, area
):
    client.force_login(users[Role.WARD])

    response = client.post(
        WORKSHOPS + "add/",
        {
            "team": area.neighbour_team.pk,
            "held_on": "12/03/2026",
            "place": "Chợ Hàng Bè",
            "topic": "commerce",
            "audience": "traders",
            "attendees": 12,
            "women": 8,
            "elderly": 0,
            "disability": 0,
            "poor": 0,
        },
    )

    assert "team" in response.context["adminform"].form.errors
    assert not Workshop.objects.exists()


def test_province_staff_only_read_workshops(client, users, workshops):
    client.force_login(users[Role.PROVINCE])

    page = client.get("%s%d/change/" % (WORKSHOPS, workshops.mine.pk))

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert client.get(WORKSHOPS + "add/").status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        COURSES + "add/",
        EVENTS + "add/",
        ATTENDANCE + "add/",
        ATTENDANCE + "import/",
        WORKSHOPS + "add/",
    ],
)
@pytest.mark.parametrize("role", [Role.WARD, Role.NATIONAL])
def test_forms_open_for_those_who_edit(client, users, role, url):
    client.force_login(users[role])

    assert client.get(url).status_code == 200

"""Sessions dated in an approved month: refused on every write path, by name."""

import datetime

import pytest
from django.conf import settings

from accounts.models import Role
from assistance.models import AssistanceSession
from assistance.services import session_update
from core.locks import MonthLocked
from reports.models import MonthlyReport
from reports.monthly import monthly_report_reopen
from tests.assistance.factories import SessionFactory
from tests.assistance.test_admin_sessions import SESSIONS as ADMIN_SESSIONS
from tests.assistance.test_admin_sessions import session_form
from tests.assistance.test_api import body, detail, post
from tests.assistance.test_api_batch import send

pytestmark = pytest.mark.django_db


def locked_message(moment) -> str:
    return (
        "Month %s of Phường Ba Đình has been approved: its records can no longer "
        "be added, changed or deleted." % moment.strftime("%m/%Y")
    )


@pytest.fixture
def stored(area, member, household, approved_month):
    """A session of the approved month, stored before the approval."""
    return SessionFactory(
        team=area.team,
        household=household,
        members=[member],
        started_at=approved_month,
        services=[("online_safety", "done")],
    )


def test_the_api_refuses_a_new_session_of_a_locked_month_with_409(
    as_member, household, approved_month
):
    response = post(as_member, body(household, started_at=approved_month.isoformat()))

    assert response.status_code == 409
    assert response.json()["code"] == "month_locked"
    assert response.json()["detail"] == locked_message(approved_month)
    assert not AssistanceSession.objects.exists()


def test_the_refusal_is_in_vietnamese_for_a_vietnamese_phone(
    as_member, household, approved_month
):
    as_member.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = post(as_member, body(household, started_at=approved_month.isoformat()))

    assert response.json()["detail"] == (
        "Tháng %s của Phường Ba Đình đã được phê duyệt: không thể thêm, sửa hay "
        "xóa hồ sơ của tháng này nữa." % approved_month.strftime("%m/%Y")
    )


def test_a_queued_session_of_a_locked_month_is_refused_by_name_in_the_batch(
    as_member, household, approved_month
):
    locked = body(household, started_at=approved_month.isoformat())
    today = body(household)

    results = send(as_member, [locked, today]).json()["results"]

    assert [item["status"] for item in results] == [409, 201]
    assert results[0]["client_uuid"] == locked["client_uuid"]
    assert results[0]["body"]["code"] == "month_locked"
    assert results[0]["body"]["detail"] == locked_message(approved_month)
    assert AssistanceSession.objects.get().client_uuid.hex == today[
        "client_uuid"
    ].replace("-", "")


def test_the_same_month_of_another_ward_is_not_locked(api, users, area, approved_month):
    from tests.assistance.factories import MembershipFactory
    from tests.households.factories import HouseholdFactory

    official = users[Role.WARD].__class__.objects.create(
        username="hk", role=Role.TEAM_MEMBER, team=area.neighbour_team
    )
    MembershipFactory(
        member__ward=area.neighbour_ward,
        member__user=official,
        team=area.neighbour_team,
    )
    household = HouseholdFactory(ward=area.neighbour_ward, hamlet=area.neighbour_hamlet)
    api.force_login(official)

    response = post(api, body(household, started_at=approved_month.isoformat()))

    assert response.status_code == 201


def test_the_service_refuses_to_change_a_session_of_a_locked_month(stored):
    with pytest.raises(MonthLocked):
        session_update(session=stored, notes="Sửa sau khi duyệt")
    stored.refresh_from_db()
    assert stored.notes != "Sửa sau khi duyệt"


def test_a_session_cannot_be_moved_into_a_locked_month(
    area, member, household, approved_month
):
    session = SessionFactory(team=area.team, household=household, members=[member])
    with pytest.raises(MonthLocked):
        session_update(session=session, started_at=approved_month)


def test_the_api_refuses_to_change_a_session_of_a_locked_month(
    api, users, stored, approved_month
):
    api.force_login(users[Role.WARD])  # officials may edit any time, but not this

    response = api.patch(detail(stored), {"notes": "x"}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "month_locked"
    assert response.json()["detail"] == locked_message(approved_month)
    stored.refresh_from_db()
    assert stored.notes != "x"


@pytest.fixture
def official(client, users):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(users[Role.WARD])
    return client


def test_the_admin_refuses_to_add_a_session_of_a_locked_month(
    official, area, member, household, approved_month
):
    data = session_form(
        area.team,
        [member],
        household,
        lines=[("online_safety", "done")],
        started_at_0=approved_month.strftime("%d/%m/%Y"),
    )

    response = official.post(ADMIN_SESSIONS + "add/", data)

    assert response.status_code == 200
    assert locked_message(approved_month) in response.content.decode()
    assert not AssistanceSession.objects.exists()


def test_the_admin_refuses_to_change_a_session_of_a_locked_month(
    official, area, member, household, stored
):
    line = stored.services.get()
    data = session_form(
        area.team,
        [member],
        household,
        lines=[("online_safety", "done")],
        notes="Sửa",
        **{
            "services-INITIAL_FORMS": "1",
            "services-0-id": line.pk,
            "services-0-session": stored.pk,
        },
    )

    response = official.post("%s%d/change/" % (ADMIN_SESSIONS, stored.pk), data)

    assert response.status_code == 200
    assert "has been approved" in response.content.decode()
    stored.refresh_from_db()
    assert stored.notes != "Sửa"


def test_the_admin_refuses_to_delete_a_session_of_a_locked_month(
    official, stored, approved_month
):
    response = official.post(
        "%s%d/delete/" % (ADMIN_SESSIONS, stored.pk), {"post": "yes"}, follow=True
    )

    assert locked_message(approved_month) in response.content.decode()
    assert AssistanceSession.objects.filter(pk=stored.pk).exists()


def test_the_admin_bulk_delete_keeps_a_locked_months_sessions(
    official, area, member, household, stored, approved_month
):
    other = SessionFactory(team=area.team, household=household, members=[member])
    response = official.post(
        ADMIN_SESSIONS,
        {
            "action": "delete_selected",
            "_selected_action": [stored.pk, other.pk],
            "post": "yes",
        },
        follow=True,
    )

    assert locked_message(approved_month) in response.content.decode()
    assert list(AssistanceSession.objects.all()) == [stored]


def test_after_a_reopen_the_month_takes_sessions_again(
    as_member, users, area, household, approved_month
):
    report = MonthlyReport.objects.get(ward=area.ward)
    monthly_report_reopen(
        user=users[Role.PROVINCE], report=report, reason="Bổ sung buổi còn thiếu"
    )

    response = post(as_member, body(household, started_at=approved_month.isoformat()))

    assert response.status_code == 201
    assert AssistanceSession.objects.get().started_on == datetime.date(
        approved_month.year, approved_month.month, 15
    )

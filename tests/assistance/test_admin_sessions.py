"""Sessions in the admin: ward officials see and log their own ward's."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Role
from assistance.models import AssistanceSession, SessionService
from tests.assistance.factories import MembershipFactory, SessionFactory, service

pytestmark = pytest.mark.django_db

SESSIONS = "/admin/assistance/assistancesession/"


@pytest.fixture
def official(client, users):
    """The ward official, signed in, reading the admin in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(users[Role.WARD])
    return client


def session_form(team, members, household=None, lines=(), **changes) -> dict:
    """The add form as a browser posts it; ``lines`` are (code, outcome) pairs."""
    yesterday = timezone.localtime() - datetime.timedelta(days=1)
    data = {
        "team": team.pk,
        "members": [member.pk for member in members],
        "started_at_0": yesterday.strftime("%d/%m/%Y"),
        "started_at_1": "09:30",
        "place": "home",
        "service_point": "",
        "household": household.pk if household else "",
        "resident": "",
        "walk_in_gender": "",
        "walk_in_age_group": "",
        "duration_minutes": "20",
        "notes": "Nhập bù từ sổ giấy",
        "services-TOTAL_FORMS": str(len(lines) or 1),
        "services-INITIAL_FORMS": "0",
        "services-MIN_NUM_FORMS": "0",
        "services-MAX_NUM_FORMS": "1000",
    }
    for index, (code, outcome) in enumerate(lines):
        data["services-%d-service_type" % index] = service(code).pk
        data["services-%d-outcome" % index] = outcome
    data.update(changes)
    return data


def test_the_changelist_shows_the_wards_sessions_only(official, area, sister_team):
    mine = SessionFactory(team=area.team)
    sisters = SessionFactory(team=sister_team)
    SessionFactory(team=area.neighbour_team)
    SessionFactory(team=area.other_team)

    response = official.get(SESSIONS)

    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {mine, sisters}


def test_province_staff_see_the_provinces_sessions(client, users, area):
    mine = SessionFactory(team=area.team)
    neighbours = SessionFactory(team=area.neighbour_team)
    SessionFactory(team=area.other_team)
    client.force_login(users[Role.PROVINCE])

    listed = set(client.get(SESSIONS).context["cl"].result_list)

    assert listed == {mine, neighbours}


def test_another_wards_session_cannot_be_opened_by_url(official, area):
    hidden = SessionFactory(team=area.neighbour_team, notes="Ghi chú phường bên")

    response = official.get("%s%d/change/" % (SESSIONS, hidden.pk), follow=True)

    assert response.redirect_chain == [("/admin/", 302)]
    assert "Ghi chú phường bên" not in response.text


def test_another_wards_session_history_cannot_be_opened(official, area):
    hidden = SessionFactory(team=area.neighbour_team)

    response = official.get("%s%d/history/" % (SESSIONS, hidden.pk))

    assert response.status_code == 404


def test_a_ward_official_adds_a_session_with_one_service(
    official, users, area, member, household
):
    response = official.post(
        SESSIONS + "add/",
        session_form(
            area.team, [member], household, lines=[("payment_app", "follow_up")]
        ),
    )

    assert response.status_code == 302
    session = AssistanceSession.objects.get()
    assert session.source == AssistanceSession.Source.ADMIN
    assert session.recorded_by == users[Role.WARD]
    assert (session.ward, session.team, session.household) == (
        area.ward,
        area.team,
        household,
    )
    assert session.started_on == timezone.localdate() - datetime.timedelta(days=1)
    assert list(session.members.all()) == [member]
    line = SessionService.objects.get()
    assert (line.session, line.service_type.code, line.outcome) == (
        session,
        "payment_app",
        "follow_up",
    )


def test_a_session_added_in_the_admin_closes_the_households_follow_up(
    official, area, member, household
):
    earlier = SessionFactory(
        team=area.team,
        household=household,
        started_at=timezone.now() - datetime.timedelta(days=3),
        services=[("payment_app", "follow_up")],
    )

    official.post(
        SESSIONS + "add/",
        session_form(area.team, [member], household, lines=[("payment_app", "done")]),
    )

    assert earlier.services.get().closed_at is not None


def test_a_session_without_services_is_refused(official, area, member, household):
    response = official.post(
        SESSIONS + "add/", session_form(area.team, [member], household)
    )

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == ["Choose at least one service that was given."]
    assert not AssistanceSession.objects.exists()
    assert not SessionService.objects.exists()


def test_a_member_of_another_team_is_refused_on_members(
    official, area, sister_team, household
):
    stranger = MembershipFactory(
        member__ward=area.ward, member__full_name="Lý Văn Đoàn", team=sister_team
    ).member

    response = official.post(
        SESSIONS + "add/",
        session_form(
            area.team, [stranger], household, lines=[("online_safety", "done")]
        ),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["members"]
    assert errors["members"][0].startswith("Lý Văn Đoàn is not a member of the team")
    assert not AssistanceSession.objects.exists()


def test_another_wards_team_is_not_a_choice(official, area, household):
    outsider = MembershipFactory(
        member__ward=area.neighbour_ward, team=area.neighbour_team
    ).member

    response = official.post(
        SESSIONS + "add/",
        session_form(
            area.neighbour_team, [outsider], lines=[("online_safety", "done")]
        ),
    )

    assert response.status_code == 200
    assert {"team", "members"} <= set(response.context["adminform"].form.errors)
    assert not AssistanceSession.objects.exists()


def test_a_service_failed_without_reason_is_refused(official, area, member, household):
    response = official.post(
        SESSIONS + "add/",
        session_form(area.team, [member], household, lines=[("bill_qr", "failed")]),
    )

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [
        "Say why Electricity and water bills by QR code could not be done."
    ]
    assert not AssistanceSession.objects.exists()


def test_province_staff_cannot_add_a_session(client, users, area, member, household):
    client.force_login(users[Role.PROVINCE])

    response = client.post(
        SESSIONS + "add/",
        session_form(area.team, [member], household, lines=[("bill_qr", "done")]),
    )

    assert response.status_code == 403
    assert not AssistanceSession.objects.exists()


def test_a_resident_alone_is_stored_with_their_household(
    official, area, member, resident
):
    response = official.post(
        SESSIONS + "add/",
        session_form(
            area.team, [member], resident=resident.pk, lines=[("vneid_level2", "done")]
        ),
    )

    assert response.status_code == 302
    session = AssistanceSession.objects.get()
    assert (session.resident, session.household) == (resident, resident.household)
    resident.refresh_from_db()
    assert resident.vneid_level == "level2"


def test_a_session_added_in_the_admin_is_stored_by_the_session_service(
    official, area, member, household
):
    official.post(
        SESSIONS + "add/",
        session_form(area.team, [member], household, lines=[("bill_qr", "done")]),
    )

    session = AssistanceSession.objects.get()
    assert len(session.content_digest) == 64  # the service fingerprints content
    assert session.history.get().history_type == "+"


def test_a_change_in_the_admin_is_stored_by_the_session_service(
    official, area, member, household, sister_team
):
    session = SessionFactory(
        team=area.team,
        household=household,
        members=[member],
        services=[("payment_app", "follow_up")],
    )
    line = session.services.get()
    other = MembershipFactory(member__ward=area.ward, team=sister_team).member
    data = session_form(
        sister_team,
        [other],
        household,
        lines=[("payment_app", "done")],
        **{
            "services-INITIAL_FORMS": "1",
            "services-0-id": line.pk,
            "services-0-session": session.pk,
        },
    )

    response = official.post("%s%d/change/" % (SESSIONS, session.pk), data)

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.team, session.ward) == (sister_team, area.ward)
    assert list(session.members.all()) == [other]
    line.refresh_from_db()
    assert line.outcome == "done"
    assert session.started_on == timezone.localdate() - datetime.timedelta(days=1)


def test_a_session_before_2000_is_refused_on_its_moment(
    official, area, member, household
):
    response = official.post(
        SESSIONS + "add/",
        session_form(
            area.team,
            [member],
            household,
            lines=[("bill_qr", "done")],
            started_at_0="01/01/0001",
        ),
    )

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["started_at"]
    assert not AssistanceSession.objects.exists()

"""The capture API: sessions once per UUID, read and changed within scope."""

import datetime
import uuid

import pytest
from django.utils import timezone

from accounts.models import Role
from assistance.models import AssistanceSession, SessionService
from assistance.services import session_update
from households.models import Household
from tests.assistance.factories import MembershipFactory, SessionFactory, line

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/sessions/"


def detail(session) -> str:
    return "%s%d/" % (SESSIONS, session.pk)


def detail_of(answer) -> str:
    return "%s%d/" % (SESSIONS, answer.json()["id"])


def body(of, **changes) -> dict:
    """A valid home visit to household ``of``; keywords override."""
    data = {
        "client_uuid": str(uuid.uuid4()),
        "started_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "place": "home",
        "household": of.pk,
        "services": [{"service": "online_safety", "outcome": "done"}],
        "notes": "Hướng dẫn nhận biết tin nhắn lừa đảo",
    }
    data.update(changes)
    return data


def post(client, data):
    return client.post(SESSIONS, data, format="json")


# Creating


def test_a_team_member_logs_a_session_with_their_team_and_self(
    as_member, area, users, member, household
):
    data = body(household)

    response = post(as_member, data)

    assert response.status_code == 201
    answer = response.json()
    session = AssistanceSession.objects.get()
    assert answer["id"] == session.pk
    assert answer["client_uuid"] == data["client_uuid"]
    assert (answer["team"], answer["members"]) == (area.team.pk, [member.pk])
    assert (answer["ward"], answer["household"]) == (area.ward.pk, household.pk)
    assert answer["source"] == "api"
    assert answer["notes"] == data["notes"]
    assert answer["started_on"] == str(timezone.localdate(session.started_at))
    assert answer["may_edit"] is True
    assert [(s["service"], s["outcome"]) for s in answer["services"]] == [
        ("online_safety", "done")
    ]
    assert answer["services"][0]["service_name"] == "Scams and online safety"
    assert session.recorded_by == users[Role.TEAM_MEMBER]
    assert session.source == AssistanceSession.Source.API


def test_the_answer_to_a_new_session_is_the_session_as_stored(
    as_member, household, member
):
    services = [
        {"service": "payment_app", "outcome": "follow_up"},
        {"service": "vneid_level2", "outcome": "failed", "reason": " Chip hỏng "},
        {"service": "birth_registration", "outcome": "done", "dossier_ref": " G1 "},
    ]

    answer = post(as_member, body(household, services=services, duration_minutes=20))

    assert answer.status_code == 201
    assert answer.json() == as_member.get(detail_of(answer)).json()
    assert [line["service"] for line in answer.json()["services"]] == [
        "vneid_level2",
        "birth_registration",
        "payment_app",
    ]


def test_the_answer_names_several_members_as_a_read_does(
    as_member, area, household, member
):
    others = [
        MembershipFactory(
            member__ward=area.ward, member__full_name=name, team=area.team
        )
        for name in ("Đỗ Thị Chi", "Bùi Văn Dũng")
    ]
    members = [others[0].member.pk, others[1].member.pk, member.pk]

    answer = post(as_member, body(household, members=members))

    assert answer.status_code == 201
    assert answer.json() == as_member.get(detail_of(answer)).json()
    assert sorted(answer.json()["members"]) == sorted(members)


def test_a_follow_up_finished_before_it_arrived_is_answered_closed(
    as_member, household
):
    now = timezone.now()
    done = [{"service": "payment_app", "outcome": "done"}]
    post(as_member, body(household, services=done, started_at=now.isoformat()))
    earlier = (now - datetime.timedelta(hours=3)).isoformat()
    waiting = [{"service": "payment_app", "outcome": "follow_up"}]

    answer = post(as_member, body(household, services=waiting, started_at=earlier))

    assert answer.status_code == 201
    assert answer.json()["services"][0]["closed_at"] is not None
    assert answer.json() == as_member.get(detail_of(answer)).json()


def test_a_resend_answers_200_with_the_stored_session(as_member, household):
    data = body(household)
    first = post(as_member, data)

    again = post(as_member, data)

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert AssistanceSession.objects.count() == 1
    assert SessionService.objects.count() == 1


def test_a_resend_is_answered_with_the_session_as_an_official_changed_it(
    as_member, household
):
    data = body(household)
    stored = post(as_member, data).json()
    session = AssistanceSession.objects.get(pk=stored["id"])
    session_update(session=session, notes="Phường sửa", services=[line("bill_qr")])

    again = post(as_member, data)

    assert again.status_code == 200
    assert again.json()["notes"] == "Phường sửa"
    assert [s["service"] for s in again.json()["services"]] == ["bill_qr"]


def test_a_resend_is_answered_even_if_its_household_has_since_moved_away(
    as_member, household, area
):
    """What a resend names was checked when it was first stored."""
    data = body(household)
    stored = post(as_member, data).json()
    Household.objects.filter(pk=household.pk).update(ward=area.neighbour_ward)

    again = post(as_member, data)

    assert again.status_code == 200
    assert again.json()["id"] == stored["id"]


def test_a_resend_with_other_content_is_checked_like_a_new_session(
    as_member, household
):
    data = body(household)
    post(as_member, data)

    response = post(as_member, {**data, "place": "on the moon"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["place"]


def test_the_same_uuid_with_other_notes_is_a_409_naming_the_stored_session(
    as_member, household
):
    data = body(household)
    stored = post(as_member, data).json()

    response = post(as_member, {**data, "notes": "Nội dung khác"})

    assert response.status_code == 409
    answer = response.json()
    assert answer["code"] == "conflict"
    assert answer["id"] == stored["id"]
    assert data["client_uuid"] in answer["errors"]["client_uuid"][0]
    assert AssistanceSession.objects.get().notes == data["notes"]


def test_a_resend_after_an_official_moved_the_session_is_answered_for_good(
    as_member, household, sister_team
):
    data = body(household)
    stored = post(as_member, data).json()
    session = AssistanceSession.objects.get(pk=stored["id"])
    session.team = sister_team
    session.save()  # as the admin's form saves it

    response = post(as_member, data)

    assert response.status_code == 409
    assert "another team" in response.json()["errors"]["client_uuid"][0]
    assert "id" not in response.json()
    assert AssistanceSession.objects.count() == 1


def test_a_session_without_services_is_a_400_on_services(as_member, household):
    data = body(household)
    del data["services"]

    response = post(as_member, data)

    assert response.status_code == 400
    assert response.json()["errors"] == {"services": ["This field is required."]}
    assert not AssistanceSession.objects.exists()


def test_an_empty_list_of_services_is_a_400_on_services(as_member, household):
    response = post(as_member, body(household, services=[]))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["services"]


def test_an_unknown_service_code_is_a_400_on_that_line(as_member, household):
    services = [
        {"service": "online_safety", "outcome": "done"},
        {"service": "teleport", "outcome": "done"},
    ]

    response = post(as_member, body(household, services=services))

    assert response.status_code == 400
    errors = response.json()["errors"]["services"]
    assert list(errors) == ["1"]  # only the refused line, by its index
    assert list(errors["1"]) == ["service"]
    assert "teleport" in errors["1"]["service"][0]


def test_a_service_check_failure_is_a_400_on_services(as_member, household):
    services = [{"service": "online_safety", "outcome": "failed", "reason": ""}]

    response = post(as_member, body(household, services=services))

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "services": ["Say why Scams and online safety could not be done."]
    }


def test_a_walk_in_without_details_is_a_400_naming_both_fields(as_member, household):
    response = post(as_member, body(household, household=None))

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"walk_in_gender", "walk_in_age_group"}


def test_a_future_session_is_a_400_on_started_at(as_member, household):
    later = (timezone.now() + datetime.timedelta(hours=2)).isoformat()

    response = post(as_member, body(household, started_at=later))

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "started_at": ["A session cannot be in the future."]
    }


def test_another_wards_household_does_not_exist_for_the_caller(
    as_member, household, neighbour_household
):
    response = post(as_member, body(household, household=neighbour_household.pk))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["household"]
    assert "does not exist" in response.json()["errors"]["household"][0]
    assert not AssistanceSession.objects.exists()


def test_a_member_cannot_log_for_another_team(
    as_member, household, sister_team, sister_user
):
    response = post(as_member, body(household, team=sister_team.pk))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["team"]
    assert not AssistanceSession.objects.exists()


def test_a_member_of_another_team_is_refused_on_members(
    as_member, household, sister_user
):
    stranger = sister_user.member

    response = post(as_member, body(household, members=[stranger.pk]))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["members"]


def test_a_ward_official_must_say_which_team(api, users, household):
    api.force_login(users[Role.WARD])

    response = post(api, body(household))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["team"]


def test_a_ward_official_logs_for_a_team_of_the_ward(
    api, users, area, member, household
):
    api.force_login(users[Role.WARD])

    response = post(
        api, body(household, team=area.team.pk, members=[member.pk], source="field")
    )

    assert response.status_code == 201
    session = AssistanceSession.objects.get()
    assert (session.team, session.recorded_by) == (area.team, users[Role.WARD])
    assert session.source == AssistanceSession.Source.FIELD


def test_province_staff_cannot_log_sessions(api, users, area, member, household):
    api.force_login(users[Role.PROVINCE])

    response = post(api, body(household, team=area.team.pk, members=[member.pk]))

    assert response.status_code == 403
    assert not AssistanceSession.objects.exists()


def test_anonymous_callers_are_asked_to_sign_in(api, household):
    for response in (api.get(SESSIONS), post(api, body(household))):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Session realm="api"'
    assert not AssistanceSession.objects.exists()


# Reading


@pytest.fixture
def sessions(area, sister_team, household, member):
    day = timezone.make_aware(datetime.datetime(2026, 11, 2, 9))
    return {
        "mine": SessionFactory(
            team=area.team, household=household, members=[member], started_at=day
        ),
        "later": SessionFactory(
            team=area.team, started_at=day + datetime.timedelta(days=7)
        ),
        "sister": SessionFactory(team=sister_team, started_at=day),
        "neighbour": SessionFactory(team=area.neighbour_team, started_at=day),
        "far": SessionFactory(team=area.other_team, started_at=day),
    }


def listed(client, **query) -> set[int]:
    response = client.get(SESSIONS, query)
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def ids(sessions, *names) -> set[int]:
    return {sessions[name].pk for name in names}


def test_a_member_lists_their_teams_sessions_only(as_member, sessions):
    assert listed(as_member) == ids(sessions, "mine", "later")


def test_a_ward_official_lists_the_wards_sessions(api, users, sessions):
    api.force_login(users[Role.WARD])

    assert listed(api) == ids(sessions, "mine", "later", "sister")


def test_province_staff_list_the_provinces_sessions(api, users, sessions):
    api.force_login(users[Role.PROVINCE])

    assert listed(api) == ids(sessions, "mine", "later", "sister", "neighbour")


def test_the_list_filters_by_day(api, users, sessions):
    api.force_login(users[Role.WARD])

    assert listed(api, date_from="2026-11-05") == ids(sessions, "later")
    assert listed(api, date_to="2026-11-05") == ids(sessions, "mine", "sister")
    assert listed(api, date_from="2026-11-02", date_to="2026-11-02") == ids(
        sessions, "mine", "sister"
    )


def test_the_list_filters_by_team_and_household(
    api, users, sessions, sister_team, household
):
    api.force_login(users[Role.WARD])

    assert listed(api, team=sister_team.pk) == ids(sessions, "sister")
    assert listed(api, household=household.pk) == ids(sessions, "mine")


def test_the_list_filters_by_change_time(api, users, sessions):
    api.force_login(users[Role.WARD])
    AssistanceSession.objects.update(
        updated_at=timezone.now() - datetime.timedelta(days=2)
    )
    AssistanceSession.objects.filter(pk=sessions["sister"].pk).update(
        updated_at=timezone.now()
    )
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()

    assert listed(api, updated_after=since) == ids(sessions, "sister")


def test_a_bad_day_is_a_400_naming_the_filter(api, users, sessions):
    api.force_login(users[Role.WARD])

    response = api.get(SESSIONS, {"date_from": "hôm qua"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["date_from"]


def test_the_list_is_paged_by_cursor_without_gaps(api, users, sessions):
    api.force_login(users[Role.WARD])

    first = api.get(SESSIONS, {"page_size": 2}).json()
    second = api.get(first["next"]).json()

    seen = [row["id"] for row in first["results"] + second["results"]]
    assert seen == sorted(ids(sessions, "mine", "later", "sister"), reverse=True)
    assert second["next"] is None


def test_a_member_reads_a_session_of_their_team(as_member, sessions, member):
    response = as_member.get(detail(sessions["mine"]))

    assert response.status_code == 200
    assert response.json()["members"] == [member.pk]


def test_another_teams_session_does_not_exist_for_a_member(as_member, sessions):
    assert as_member.get(detail(sessions["sister"])).status_code == 404


def test_another_wards_session_does_not_exist_for_a_ward_official(api, users, sessions):
    api.force_login(users[Role.WARD])

    assert api.get(detail(sessions["neighbour"])).status_code == 404


# Changing


@pytest.fixture
def logged(as_member, household):
    """A session logged through the API a moment ago by the team member."""
    response = post(as_member, body(household, notes="Ghi chú ban đầu"))
    assert response.status_code == 201
    return AssistanceSession.objects.get(pk=response.json()["id"])


def test_the_author_changes_the_notes_within_a_day(as_member, logged):
    response = as_member.patch(detail(logged), {"notes": "Đã sửa"}, format="json")

    assert response.status_code == 200
    assert response.json()["notes"] == "Đã sửa"
    logged.refresh_from_db()
    assert logged.notes == "Đã sửa"
    assert list(logged.services.values_list("service_type__code", flat=True)) == [
        "online_safety"
    ]


def test_the_author_replaces_the_services(as_member, logged):
    services = [{"service": "payment_app", "outcome": "follow_up"}]

    response = as_member.patch(detail(logged), {"services": services}, format="json")

    assert response.status_code == 200
    assert [(s["service"], s["outcome"]) for s in response.json()["services"]] == [
        ("payment_app", "follow_up")
    ]
    codes = SessionService.objects.values_list("service_type__code", flat=True)
    assert list(codes) == ["payment_app"]


def test_a_partial_change_still_needs_whole_service_lines(as_member, logged):
    services = [{"service": "bill_qr"}]

    response = as_member.patch(detail(logged), {"services": services}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "services": {"0": {"outcome": ["This field is required."]}}
    }
    codes = SessionService.objects.values_list("service_type__code", flat=True)
    assert list(codes) == ["online_safety"]


def test_a_change_is_checked_like_a_new_session(as_member, logged):
    response = as_member.patch(
        detail(logged), {"walk_in_gender": "male"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["walk_in_gender"]
    logged.refresh_from_db()
    assert logged.walk_in_gender == ""


def test_the_author_cannot_change_after_a_day(as_member, logged):
    AssistanceSession.objects.filter(pk=logged.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )

    response = as_member.patch(detail(logged), {"notes": "Quá hạn"}, format="json")

    assert response.status_code == 403
    logged.refresh_from_db()
    assert logged.notes == "Ghi chú ban đầu"


def test_another_member_of_the_team_cannot_change_it(api, users, leader, logged):
    api.force_login(users[Role.TEAM_LEADER])

    response = api.patch(detail(logged), {"notes": "Tổ trưởng sửa"}, format="json")

    assert response.status_code == 403
    logged.refresh_from_db()
    assert logged.notes == "Ghi chú ban đầu"


def test_a_member_of_another_team_cannot_change_it(api, sister_user, logged):
    api.force_login(sister_user)

    response = api.patch(detail(logged), {"notes": "Tổ khác sửa"}, format="json")

    assert response.status_code == 404
    logged.refresh_from_db()
    assert logged.notes == "Ghi chú ban đầu"


def test_the_ward_official_replaces_a_session_any_time(
    api, users, area, logged, member, household
):
    AssistanceSession.objects.filter(pk=logged.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    api.force_login(users[Role.WARD])
    data = body(household, members=[member.pk], place="centre", notes="Phường sửa")
    del data["client_uuid"]

    response = api.put(detail(logged), data, format="json")

    assert response.status_code == 200
    logged.refresh_from_db()
    assert (logged.place, logged.notes) == ("centre", "Phường sửa")
    assert logged.team == area.team


def test_another_wards_official_cannot_change_it(api, neighbour_official, logged):
    api.force_login(neighbour_official)

    response = api.patch(detail(logged), {"notes": "Phường khác"}, format="json")

    assert response.status_code == 404
    logged.refresh_from_db()
    assert logged.notes == "Ghi chú ban đầu"


def test_province_staff_cannot_change_a_session(api, users, logged):
    api.force_login(users[Role.PROVINCE])

    response = api.patch(detail(logged), {"notes": "Tỉnh sửa"}, format="json")

    assert response.status_code == 403
    logged.refresh_from_db()
    assert logged.notes == "Ghi chú ban đầu"


def test_a_member_cannot_move_a_session_to_another_team(
    as_member, logged, sister_team, area
):
    response = as_member.patch(detail(logged), {"team": sister_team.pk}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["team"]
    logged.refresh_from_db()
    assert logged.team == area.team


# Schema


def test_the_schema_describes_the_sessions_api(api):
    response = api.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"get", "post"} <= set(schema["paths"]["/api/v1/sessions/"])
    assert {"get", "put", "patch"} <= set(schema["paths"]["/api/v1/sessions/{id}/"])


def test_the_sessions_api_accepts_the_membership_of_a_second_team(
    as_member, area, sister_team, household, member
):
    """A member serving in two teams logs for the team of their account."""
    MembershipFactory(member=member, team=sister_team)

    response = post(as_member, body(household))

    assert response.status_code == 201
    assert response.json()["team"] == area.team.pk

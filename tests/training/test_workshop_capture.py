"""Workshops logged once per UUID, by the service and through the capture API."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Role
from core.capture import CaptureConflict
from tests.teams.factories import TeamFactory
from tests.training.factories import WorkshopFactory
from training.models import Workshop
from training.services import workshop_record

pytestmark = pytest.mark.django_db

WORKSHOPS = "/api/v1/workshops/"


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def record(area, users):
    """``workshop_record`` with a valid workshop filled in; keywords override."""

    def record(**changes):
        fields = {
            "client_uuid": uuid.uuid4(),
            "team": area.team,
            "held_on": yesterday(),
            "place": "Nhà văn hóa tổ dân phố số 1",
            "topic": "safety",
            "audience": Workshop.Audience.ELDERLY,
            "attendees": 30,
            "women": 18,
            "elderly": 25,
            "recorded_by": users[Role.TEAM_LEADER],
        }
        fields.update(changes)
        return workshop_record(**fields)

    return record


# The service


def test_a_new_workshop_is_stored_with_its_teams_ward(record, area, users):
    workshop, created = record()

    assert created is True
    stored = Workshop.objects.get()
    assert stored == workshop
    assert (stored.team, stored.ward) == (area.team, area.ward)
    assert (stored.attendees, stored.women, stored.elderly) == (30, 18, 25)
    assert stored.recorded_by == users[Role.TEAM_LEADER]


def test_a_resend_with_the_same_content_is_stored_once(record):
    uid = uuid.uuid4()
    first, _created = record(client_uuid=uid)

    again, created = record(client_uuid=uid, place="  Nhà văn hóa tổ dân phố số 1 ")

    assert created is False
    assert again == first
    assert Workshop.objects.count() == 1


def test_a_resend_after_an_official_corrected_it_is_still_a_replay(record):
    uid = uuid.uuid4()
    first, _created = record(client_uuid=uid)
    Workshop.objects.filter(pk=first.pk).update(attendees=32)  # fixed in the admin

    again, created = record(client_uuid=uid)

    assert (again, created) == (first, False)
    assert Workshop.objects.get().attendees == 32


def test_a_resend_with_other_content_is_a_conflict(record):
    uid = uuid.uuid4()
    first, _created = record(client_uuid=uid)

    with pytest.raises(CaptureConflict) as conflict:
        record(client_uuid=uid, attendees=31)

    assert conflict.value.stored == first
    assert Workshop.objects.get().attendees == 30


def test_more_women_than_attendees_is_refused_naming_the_field(record):
    with pytest.raises(ValidationError) as refused:
        record(attendees=26, women=27, poor=28)

    assert set(refused.value.message_dict) == {"women", "poor"}
    assert not Workshop.objects.exists()


def test_a_workshop_ahead_of_today_is_refused(record):
    with pytest.raises(ValidationError) as refused:
        record(held_on=timezone.localdate() + datetime.timedelta(days=2))

    assert list(refused.value.message_dict) == ["held_on"]


def test_a_workshop_without_attendees_or_place_is_refused(record):
    with pytest.raises(ValidationError) as refused:
        record(attendees=0, women=0, elderly=0, place="")

    assert set(refused.value.message_dict) == {"attendees", "place"}


# The API


@pytest.fixture
def as_leader(api, users):
    api.force_login(users[Role.TEAM_LEADER])
    return api


def body(**changes) -> dict:
    data = {
        "client_uuid": str(uuid.uuid4()),
        "held_on": yesterday().isoformat(),
        "place": "Trường THCS Nguyễn Trãi",
        "topic": "safety",
        "audience": "students",
        "attendees": 42,
        "women": 20,
    }
    data.update(changes)
    return data


def post(client, data):
    return client.post(WORKSHOPS, data, format="json")


def test_a_team_leader_logs_a_workshop_for_their_team(as_leader, area, users):
    data = body()

    response = post(as_leader, data)

    assert response.status_code == 201
    answer = response.json()
    workshop = Workshop.objects.get()
    assert answer["id"] == workshop.pk
    assert answer["client_uuid"] == data["client_uuid"]
    assert (answer["team"], answer["ward"]) == (area.team.pk, area.ward.pk)
    assert (answer["attendees"], answer["women"], answer["poor"]) == (42, 20, 0)
    assert workshop.recorded_by == users[Role.TEAM_LEADER]


def test_a_resent_workshop_answers_200_with_the_stored_one(as_leader):
    data = body()
    first = post(as_leader, data).json()

    response = post(as_leader, data)

    assert response.status_code == 200
    assert response.json()["id"] == first["id"]
    assert Workshop.objects.count() == 1


def test_a_uuid_resent_with_other_content_is_a_named_conflict(as_leader):
    data = body()
    first = post(as_leader, data).json()

    response = post(as_leader, {**data, "attendees": 43})

    assert response.status_code == 409
    answer = response.json()
    assert data["client_uuid"] in answer["errors"]["client_uuid"][0]
    assert answer["id"] == first["id"]
    assert Workshop.objects.get().attendees == 42


def test_refused_fields_are_named(as_leader):
    response = post(as_leader, body(attendees=5, elderly=6, topic="cooking"))

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"topic"}

    response = post(as_leader, body(attendees=25, elderly=26))

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"elderly"}
    assert not Workshop.objects.exists()


def test_a_team_member_may_not_log_a_workshop(api, users):
    api.force_login(users[Role.TEAM_MEMBER])

    response = post(api, body())

    assert response.status_code == 403
    assert not Workshop.objects.exists()


def test_province_staff_may_not_log_a_workshop(api, users, area):
    api.force_login(users[Role.PROVINCE])

    response = post(api, body(team=area.team.pk))

    assert response.status_code == 403


def test_a_team_leader_may_not_log_for_another_team(as_leader, area):
    sister = TeamFactory(ward=area.ward)

    response = post(as_leader, body(team=sister.pk))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["team"]


def test_a_ward_official_logs_for_a_team_of_their_ward(api, users, area):
    api.force_login(users[Role.WARD])

    response = post(api, body(team=area.team.pk))

    assert response.status_code == 201
    assert Workshop.objects.get().team == area.team


def test_a_ward_official_must_name_the_team(api, users):
    api.force_login(users[Role.WARD])

    response = post(api, body())

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["team"]


def test_a_ward_official_may_not_log_for_another_wards_team(api, users, area):
    api.force_login(users[Role.WARD])

    response = post(api, body(team=area.neighbour_team.pk))

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["team"]
    assert not Workshop.objects.exists()


def test_a_conflict_with_another_wards_workshop_does_not_show_its_id(api, users, area):
    theirs = WorkshopFactory(team=area.neighbour_team, client_uuid=uuid.uuid4())
    api.force_login(users[Role.WARD])

    response = post(api, body(team=area.team.pk, client_uuid=str(theirs.client_uuid)))

    assert response.status_code == 409
    assert "id" not in response.json()


def listed(client) -> set:
    response = client.get(WORKSHOPS)
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_team_users_list_their_own_teams_workshops(api, users, area, workshops):
    sister = WorkshopFactory(team=TeamFactory(ward=area.ward))
    api.force_login(users[Role.TEAM_MEMBER])

    assert listed(api) == {workshops.mine.pk}
    assert sister.pk not in listed(api)


def test_ward_officials_list_their_wards_workshops(api, users, area, workshops):
    sister = WorkshopFactory(team=TeamFactory(ward=area.ward))
    api.force_login(users[Role.WARD])

    assert listed(api) == {workshops.mine.pk, sister.pk}


def test_province_staff_list_their_provinces_workshops(api, users, workshops):
    api.force_login(users[Role.PROVINCE])

    assert listed(api) == {workshops.mine.pk, workshops.neighbours.pk}


def test_the_list_is_closed_to_anonymous_callers(api, workshops):
    response = api.get(WORKSHOPS)

    assert response.status_code == 401
    assert "WWW-Authenticate" in response


def test_a_resend_of_a_workshop_moved_to_another_team_does_not_show_it(as_leader, area):
    data = body()
    stored = post(as_leader, data).json()
    Workshop.objects.filter(pk=stored["id"]).update(team=TeamFactory(ward=area.ward))

    response = post(as_leader, data)

    assert response.status_code == 409
    assert "another team" in response.json()["errors"]["client_uuid"][0]
    assert "id" not in response.json()


def test_a_workshops_answer_carries_its_version(as_leader):
    data = body()

    created = post(as_leader, data)
    resent = post(as_leader, data)

    assert created["ETag"].startswith('"%d.' % created.json()["id"])
    assert resent["ETag"] == created["ETag"]


def test_a_workshop_corrected_by_an_official_has_a_new_version(as_leader):
    data = body()
    created = post(as_leader, data)
    workshop = Workshop.objects.get(pk=created.json()["id"])
    workshop.place = "Nhà văn hoá tổ 2"
    workshop.save()

    resent = post(as_leader, data)

    assert resent.status_code == 200
    assert resent["ETag"] != created["ETag"]

"""Training's field pages: a member's own record, the leader's workshop form."""

import pytest
from django.conf import settings

from accounts.models import Role
from tests.training.factories import AttendanceFactory

pytestmark = pytest.mark.django_db

MY_TRAINING = "/field/training/"
WORKSHOP = "/field/training/workshop/"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_my_training_shows_only_my_own_attendance(english, users, training, members):
    AttendanceFactory(event=training.ward_event, member=members.colleague)
    english.force_login(users[Role.TEAM_MEMBER])

    response = english.get(MY_TRAINING)

    assert response.status_code == 200
    assert response.context["attendances"] == [
        training.mine_at_ward,
        training.mine_at_province,
    ]
    assert training.ward_course.title in response.text
    assert training.neighbour_course.title not in response.text


def test_my_training_shows_the_score_and_the_certificate(english, users, training):
    english.force_login(users[Role.TEAM_MEMBER])

    response = english.get(MY_TRAINING)

    assert "score 92/100" in response.text
    assert "Certificate of 25/03/2026" in response.text
    assert response.context["certificates"] == 1


def test_my_training_says_so_when_there_is_none(english, users, training):
    english.force_login(users[Role.TEAM_LEADER])  # no volunteer record

    response = english.get(MY_TRAINING)

    assert response.status_code == 200
    assert "No training recorded for you yet." in response.text


def test_ids_are_not_written_with_thousand_separators(client, users, training):
    training.mine_at_ward.delete()
    AttendanceFactory(
        pk=12345, event=training.ward_event, member=training.mine_at_province.member
    )
    client.force_login(users[Role.TEAM_MEMBER])  # Vietnamese, with separators

    response = client.get(MY_TRAINING)

    assert 'data-attendance="12345"' in response.text


def test_field_training_pages_are_closed_to_ward_officials(client, users):
    client.force_login(users[Role.WARD])

    assert client.get(MY_TRAINING).status_code == 403
    assert client.get(WORKSHOP).status_code == 403


def test_the_workshop_form_is_closed_to_team_members(client, users):
    client.force_login(users[Role.TEAM_MEMBER])

    assert client.get(WORKSHOP).status_code == 403


def test_the_workshop_form_sends_to_the_workshops_api(english, users):
    english.force_login(users[Role.TEAM_LEADER])

    response = english.get(WORKSHOP)

    assert response.status_code == 200
    assert 'id="workshop-form"' in response.text
    assert 'data-api="/api/v1/workshops/"' in response.text
    assert 'name="topic" value="safety"' in response.text
    assert 'name="audience" value="elderly"' in response.text
    for name in ("attendees", "women", "elderly", "disability", "poor"):
        assert 'name="%s"' % name in response.text


def test_the_field_home_links_the_workshop_form_for_leaders_only(client, users):
    client.force_login(users[Role.TEAM_LEADER])
    assert WORKSHOP in client.get("/field/").text
    assert MY_TRAINING in client.get("/field/").text

    client.force_login(users[Role.TEAM_MEMBER])
    home = client.get("/field/").text
    assert WORKSHOP not in home
    assert MY_TRAINING in home


def test_the_service_worker_keeps_the_training_pages(client, users):
    client.force_login(users[Role.TEAM_LEADER])

    response = client.get("/field/sw.js")

    assert '"%s"' % MY_TRAINING in response.text
    assert '"%s"' % WORKSHOP in response.text

    # A member may not open the workshop page: their phone does not ask for it.
    client.force_login(users[Role.TEAM_MEMBER])
    response = client.get("/field/sw.js")

    assert '"%s"' % MY_TRAINING in response.text
    assert '"%s"' % WORKSHOP not in response.text

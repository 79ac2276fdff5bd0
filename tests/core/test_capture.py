"""The idempotent-capture helper and its one mapping to API answers."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from rest_framework.exceptions import ValidationError as ApiValidationError

from core.api_errors import Conflict
from core.capture import CaptureAnswers, CaptureConflict, capture, capture_response
from tests.teams.factories import TeamFactory
from training.models import Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(db):
    return TeamFactory()


def captured(team, client_uuid, place="Nhà văn hóa", refuse=False):
    """Capture a workshop whose content is its place."""

    def store():
        if refuse:
            raise ValidationError({"place": ["Không hợp lệ."]})
        return Workshop.objects.create(
            client_uuid=client_uuid,
            team=team,
            held_on="2026-03-12",
            place=place,
            topic="safety",
            audience=Workshop.Audience.ELDERLY,
            attendees=10,
        )

    return capture(
        Workshop,
        client_uuid=client_uuid,
        store=store,
        same=lambda stored: stored.place == place,
    )


def test_a_new_record_is_stored_and_said_new(team):
    row, created = captured(team, uuid.uuid4())

    assert created is True
    assert Workshop.objects.get() == row


def test_a_resend_with_the_same_content_answers_the_stored_row(team):
    uid = uuid.uuid4()
    first, _created = captured(team, uid)

    again, created = captured(team, uid)

    assert (again, created) == (first, False)
    assert Workshop.objects.count() == 1


def test_a_resend_with_other_content_is_a_conflict_naming_the_stored_row(team):
    uid = uuid.uuid4()
    first, _created = captured(team, uid)

    with pytest.raises(CaptureConflict) as conflict:
        captured(team, uid, place="Trường học")

    assert conflict.value.stored == first
    assert Workshop.objects.get().place == "Nhà văn hóa"


def test_a_refused_resend_is_still_a_resend(team):
    """What a resend names may have changed since: it is not checked again."""
    uid = uuid.uuid4()
    first, _created = captured(team, uid)

    assert captured(team, uid, refuse=True) == (first, False)


def test_a_refusal_of_a_new_record_is_raised(team):
    with pytest.raises(ValidationError):
        captured(team, uuid.uuid4(), refuse=True)

    assert not Workshop.objects.exists()


def test_an_integrity_error_of_another_cause_is_raised():
    def store():
        raise IntegrityError("another constraint")

    with pytest.raises(IntegrityError):
        capture(Workshop, client_uuid=uuid.uuid4(), store=store, same=bool)


class Row:
    def __init__(self, pk):
        self.pk = pk
        self.client_uuid = uuid.UUID(int=pk)


def answers(visible=True) -> CaptureAnswers:
    return CaptureAnswers(
        show=lambda row, created: {"id": row.pk, "new": created},
        visible=lambda pk: Row(pk) if visible else None,
        conflict="%(uuid)s: other content",
        moved="%(uuid)s: moved",
    )


def test_the_answers_are_201_new_and_200_resent():
    assert capture_response(lambda: (Row(1), True), answers()).status_code == 201
    resent = capture_response(lambda: (Row(1), False), answers())

    assert (resent.status_code, resent.data) == (200, {"id": 1, "new": False})


def test_a_conflict_is_a_409_naming_the_uuid_and_the_visible_row():
    def record():
        raise CaptureConflict(Row(7))

    with pytest.raises(Conflict) as shown:
        capture_response(record, answers())
    with pytest.raises(Conflict) as hidden:
        capture_response(record, answers(visible=False))

    assert (shown.value.status_code, shown.value.extra) == (409, {"id": 7})
    assert str(Row(7).client_uuid) in shown.value.errors["client_uuid"][0]
    assert (hidden.value.status_code, hidden.value.extra) == (409, {})


def test_a_resend_of_a_row_moved_out_of_scope_is_a_409_without_it():
    with pytest.raises(Conflict) as conflict:
        capture_response(lambda: (Row(3), False), answers(visible=False))

    assert conflict.value.status_code == 409
    assert conflict.value.errors == {"client_uuid": ["%s: moved" % Row(3).client_uuid]}
    assert conflict.value.extra == {}


@pytest.mark.parametrize(
    "error, body",
    [
        (ValidationError({"place": ["Sai."]}), {"place": ["Sai."]}),
        (ValidationError("Sai."), {"non_field_errors": ["Sai."]}),
    ],
)
def test_a_refusal_is_a_400_by_field(error, body):
    def record():
        raise error

    with pytest.raises(ApiValidationError) as refused:
        capture_response(record, answers())

    assert refused.value.detail == body

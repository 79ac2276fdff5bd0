"""Recording and changing workshops: the one write path for the field page,
the API and the admin's edits."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Collection
from uuid import UUID

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from areas.locks import month_lock_check
from core.capture import capture, version_of
from teams.models import Team

from .models import Workshop

# What a workshop says; a resend must say the same to be the same workshop.
CONTENT_FIELDS = (
    "team_id",
    "held_on",
    "place",
    "topic",
    "audience",
    "attendees",
    "women",
    "elderly",
    "disability",
    "poor",
)
# The field each of the model's checks is about, so that a refusal names it.
CONSTRAINT_FIELDS = {
    "workshop_has_attendees": "attendees",
    "workshop_women_within_attendees": "women",
    "workshop_elderly_within_attendees": "elderly",
    "workshop_disability_within_attendees": "disability",
    "workshop_poor_within_attendees": "poor",
}


def workshop_record(
    *,
    client_uuid: UUID,
    team: Team,
    held_on: datetime.date,
    place: str,
    topic: str,
    audience: str,
    attendees: int,
    women: int = 0,
    elderly: int = 0,
    disability: int = 0,
    poor: int = 0,
    recorded_by=None,
) -> tuple[Workshop, bool]:
    """Store a workshop once per ``client_uuid``; return it and whether it is new.

    A resend with the same content returns the stored workshop; a resend with
    other content raises :class:`core.capture.CaptureConflict`.
    """
    workshop = Workshop(
        client_uuid=client_uuid,
        team=team,
        held_on=held_on,
        place=place,
        topic=topic,
        audience=audience,
        attendees=attendees,
        women=women,
        elderly=elderly,
        disability=disability,
        poor=poor,
        recorded_by=recorded_by,
    )
    workshop.prepare()
    workshop.content_digest = _digest(workshop)

    def store() -> Workshop:
        workshop_check(workshop)
        workshop.save()
        return workshop

    return capture(
        Workshop,
        client_uuid=client_uuid,
        store=store,
        same=lambda stored: _same(stored, workshop),
    )


class WorkshopChanged(Exception):
    """The workshop is no longer at the version the edit was made on."""

    def __init__(self, workshop: Workshop):
        super().__init__(workshop_version(workshop))
        self.workshop = workshop


def workshop_version(workshop: Workshop) -> str:
    """Which saved state of the workshop this is: its id and last change."""
    return version_of(workshop.pk, workshop.updated_at)


@transaction.atomic
def workshop_update(
    *,
    workshop: Workshop,
    expected_versions: Collection[str] | None = None,
    **changes,
) -> Workshop:
    """Apply an explicit edit of the content; the same checks as a new workshop.

    The row is locked and read again first, so two edits at the same moment
    are applied one after the other. With ``expected_versions`` (If-Match),
    an edit made on a version no longer stored raises
    :class:`WorkshopChanged` instead of overwriting the newer one.
    """
    unknown = set(changes).difference(
        name.removesuffix("_id") for name in CONTENT_FIELDS
    )
    if unknown:
        raise TypeError("Not a workshop's content: %s" % ", ".join(sorted(unknown)))
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if expected_versions is not None and (
        workshop_version(workshop) not in expected_versions
    ):
        raise WorkshopChanged(workshop)
    # A workshop held in an approved month stays there, as it is.
    month_lock_check(ward_id=workshop.ward_id, day=workshop.held_on)
    for name, value in changes.items():
        setattr(workshop, name, value)
    workshop.prepare()
    workshop_check(workshop)
    workshop.save()
    return workshop


def workshop_check(workshop: Workshop) -> None:
    """Refuse a workshop that cannot be true, naming each field and problem."""
    # First, and alone: the API answers a locked month as a conflict.
    month_lock_check(ward_id=workshop.team.ward_id, day=workshop.held_on)
    errors: dict[str, list[str]] = {}
    try:
        # The unique UUID is the capture's: a resend is no refusal.
        workshop.full_clean(validate_constraints=False, validate_unique=False)
    except ValidationError as error:
        errors = error.message_dict
    for constraint in Workshop._meta.constraints:
        try:
            constraint.validate(Workshop, workshop, exclude=set(errors))
        except ValidationError as error:
            field = CONSTRAINT_FIELDS.get(constraint.name, NON_FIELD_ERRORS)
            errors.setdefault(field, []).extend(error.messages)
    if errors:
        raise ValidationError(errors)


def _same(stored: Workshop, workshop: Workshop) -> bool:
    if stored.content_digest:
        return stored.content_digest == workshop.content_digest
    # Entered in the admin, never sent by a phone: compare what it says now.
    return all(
        getattr(stored, name) == getattr(workshop, name) for name in CONTENT_FIELDS
    )


def _digest(workshop: Workshop) -> str:
    content = {name: getattr(workshop, name) for name in CONTENT_FIELDS}
    encoded = json.dumps(content, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()

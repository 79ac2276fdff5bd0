"""Storing a household: the one write path for the admin's form and the phone.

The admin saves the household its form checked; the API checks it here, then
saves it the same way (:func:`household_save`: normalised by the model, with
its history record naming who changed it). A household added on a phone
carries a UUID made there, so an offline resend is stored once
(:func:`core.capture.capture`); the spreadsheet import stores many rows at
once through the same model's ``prepare()``.
"""

from __future__ import annotations

import hashlib
import json
from uuid import UUID

from core.capture import capture

from .duplicates import Duplicate, household_duplicates
from .models import Household

# What a household sent by a phone says; a resend must say the same.
CONTENT_FIELDS = ("ward_id", "hamlet_id", *Household.PROFILE_FIELDS)
# A phone's household is coded from its UUID: the same code on every resend.
PHONE_CODE_PREFIX = "DT-"


class LikelyDuplicates(Exception):
    """The household may repeat one already registered, and was not confirmed."""

    def __init__(self, duplicates: list[Duplicate]):
        super().__init__(len(duplicates))
        self.duplicates = duplicates


def household_save(*, household: Household, user=None) -> Household:
    """Store a checked household, new or changed, with its history record."""
    if user is not None and user.is_authenticated:
        household._history_user = user
    household.save()
    return household


def household_record(
    *,
    client_uuid: UUID,
    user,
    ward_id: int,
    hamlet_id: int,
    head_name: str,
    address: str = "",
    phone: str = "",
    size: int = 1,
    elderly_alone: bool = False,
    disability: bool = False,
    poverty: str = Household.Poverty.NONE,
    ethnic_minority: bool = False,
    no_smartphone: bool = False,
    confirm_duplicate: bool = False,
) -> tuple[Household, bool]:
    """Store a household added on a phone once per ``client_uuid``.

    Unless ``confirm_duplicate``, a household that may repeat one ``user``
    sees in the ward raises :class:`LikelyDuplicates`; a refused field raises
    ``ValidationError``; a resend with other content raises
    :class:`core.capture.CaptureConflict`.
    """
    household = Household(
        client_uuid=client_uuid,
        code=PHONE_CODE_PREFIX + client_uuid.hex[:8].upper(),
        ward_id=ward_id,
        hamlet_id=hamlet_id,
        head_name=head_name,
        address=address,
        phone=phone,
        size=size,
        elderly_alone=elderly_alone,
        disability=disability,
        poverty=poverty,
        ethnic_minority=ethnic_minority,
        no_smartphone=no_smartphone,
    )
    # The unique code and UUID are left to the database: a resend repeats both.
    household.full_clean(validate_unique=False, validate_constraints=False)
    household.content_digest = _digest(household)

    return capture(
        Household,
        client_uuid=client_uuid,
        store=lambda: _household_new(household, user, confirm_duplicate),
        same=lambda stored: _same(stored, household),
    )


def _household_new(household: Household, user, confirm_duplicate: bool) -> Household:
    # A resend of a stored household is answered, not checked again: the
    # stored one would be its own likely duplicate.
    if (
        not confirm_duplicate
        and not Household.objects.filter(client_uuid=household.client_uuid).exists()
    ):
        duplicates = household_duplicates(
            user=user,
            ward_id=household.ward_id,
            hamlet_id=household.hamlet_id,
            head_name=household.head_name,
            phone=household.phone,
            address=household.address,
        )
        if duplicates:
            raise LikelyDuplicates(duplicates)
    return household_save(household=household, user=user)


def _same(stored: Household, household: Household) -> bool:
    if stored.content_digest:
        return stored.content_digest == household.content_digest
    return all(
        getattr(stored, name) == getattr(household, name) for name in CONTENT_FIELDS
    )


def _digest(household: Household) -> str:
    content = {name: getattr(household, name) for name in CONTENT_FIELDS}
    encoded = json.dumps(content, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()

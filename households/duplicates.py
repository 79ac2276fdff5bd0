"""Likely duplicate households: the same family registered twice in a ward.

Three reasons, each compared on the folded text (case, accents, đ/Đ and the
Unicode form set aside, :func:`core.text.text_fold`):

* the same head's name in the same hamlet;
* the same phone (normalised, so "+84 912.345.678" is "0912345678");
* a head's name a typing slip away (Damerau–Levenshtein distance, scaled to
  the name's length) at the same address.

The database narrows first, on the ward and the folded ``search_text`` copy
every household keeps; Python compares the few rows left. An import checks
its rows with :class:`DuplicateIndex`: one query per ward, then every row
against the ward's households and against the rows before it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scope import scope
from core.phones import phone_normalise
from core.text import text_fold

from .models import Household

SAME_NAME = "same_name"
SAME_PHONE = "same_phone"
CLOSE_NAME = "close_name"
REASONS = {
    SAME_NAME: _("same head of household in the same hamlet"),
    SAME_PHONE: _("same phone"),
    CLOSE_NAME: _("similar head's name at the same address"),
}
CANDIDATE_COLUMNS = ("pk", "code", "hamlet_id", "head_name", "address", "phone")


def name_distance_allowed(folded_name: str) -> int:
    """How many slips a name may differ by: none for very short names (one
    letter changes "an" into "anh", another person), one up to a dozen
    letters, two for longer names."""
    letters = len(folded_name.replace(" ", ""))
    if letters <= 5:
        return 0
    if letters <= 12:
        return 1
    return 2


def edit_distance(left: str, right: str, limit: int) -> int:
    """Damerau–Levenshtein distance (adjacent swaps count one), or
    ``limit + 1`` as soon as it must exceed ``limit``."""
    if abs(len(left) - len(right)) > limit:
        return limit + 1
    previous_row = None
    row = list(range(len(right) + 1))
    for i in range(1, len(left) + 1):
        before, previous_row = previous_row, row
        row = [i] + [0] * len(right)
        for j in range(1, len(right) + 1):
            cost = 0 if left[i - 1] == right[j - 1] else 1
            row[j] = min(
                previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + cost
            )
            if (
                before is not None
                and j > 1
                and left[i - 1] == right[j - 2]
                and left[i - 2] == right[j - 1]
            ):
                row[j] = min(row[j], before[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
    return row[-1]


def names_close(left: str, right: str) -> bool:
    """Two folded names that differ by a slip or two, not the same name."""
    if left == right or not left or not right:
        return False
    limit = min(name_distance_allowed(left), name_distance_allowed(right))
    return limit > 0 and edit_distance(left, right, limit) <= limit


def phone_key(phone: str | None) -> str:
    try:
        return phone_normalise(phone or "")
    except ValidationError:
        return ""  # a number that is not one matches nothing


@dataclass
class Duplicate:
    """A household the candidate may repeat, and why."""

    household: Household
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[reason]) for reason in self.reasons]


@dataclass(frozen=True)
class Candidate:
    """A household as typed, folded for comparison."""

    hamlet_id: int | None
    name: str
    phone: str
    address: str

    @classmethod
    def of(cls, *, hamlet_id, head_name, phone, address) -> Candidate:
        return cls(
            hamlet_id, text_fold(head_name), phone_key(phone), text_fold(address)
        )

    def reasons(self, other: Candidate) -> list[str]:
        found = []
        if self.name and self.hamlet_id == other.hamlet_id and self.name == other.name:
            found.append(SAME_NAME)
        if self.phone and self.phone == other.phone:
            found.append(SAME_PHONE)
        if (
            self.address
            and self.address == other.address
            and names_close(self.name, other.name)
        ):
            found.append(CLOSE_NAME)
        return found


def household_duplicates(
    *,
    user,
    ward_id,
    hamlet_id,
    head_name: str,
    phone: str = "",
    address: str = "",
    exclude_pk: int | None = None,
) -> list[Duplicate]:
    """The households of the ward, as ``user`` may see them, that a household
    with these details may repeat: most reasons first, then by code."""
    candidate = Candidate.of(
        hamlet_id=hamlet_id, head_name=head_name, phone=phone, address=address
    )
    narrow = Q()
    if candidate.name:
        narrow |= Q(hamlet_id=hamlet_id, search_text__contains=candidate.name)
    if candidate.phone:
        narrow |= Q(phone=candidate.phone)
    if candidate.address and name_distance_allowed(candidate.name):
        narrow |= Q(search_text__contains=candidate.address)
    if not ward_id or not narrow:
        return []
    households = scope(Household.objects.filter(ward_id=ward_id), user).filter(narrow)
    if exclude_pk is not None:
        households = households.exclude(pk=exclude_pk)
    found = []
    for household in households.select_related("hamlet").order_by("code"):
        reasons = candidate.reasons(
            Candidate.of(
                hamlet_id=household.hamlet_id,
                head_name=household.head_name,
                phone=household.phone,
                address=household.address,
            )
        )
        if reasons:
            found.append(Duplicate(household, reasons))
    found.sort(key=lambda duplicate: -len(duplicate.reasons))
    return found


class DuplicateIndex:
    """Many rows checked against their wards' households and each other.

    Each ward's households are read once (the columns compared, not whole
    rows); each row checked is then added, so a later row of the same file
    finds an earlier one. ``check`` returns ``[(code, reasons), …]``.
    """

    def __init__(self, *, user):
        self.user = user
        self._wards: dict = {}

    def _ward(self, ward_id):
        index = self._wards.get(ward_id)
        if index is None:
            index = self._wards[ward_id] = {
                "name": defaultdict(list),
                "phone": defaultdict(list),
                "address": defaultdict(list),
            }
            rows = scope(Household.objects.filter(ward_id=ward_id), self.user)
            for _pk, code, hamlet_id, head_name, address, phone in rows.values_list(
                *CANDIDATE_COLUMNS
            ).order_by("code"):
                self._add(
                    index,
                    code,
                    Candidate(
                        hamlet_id, text_fold(head_name), phone, text_fold(address)
                    ),
                )
        return index

    @staticmethod
    def _add(index, code, candidate: Candidate) -> None:
        if candidate.name:
            index["name"][(candidate.hamlet_id, candidate.name)].append(
                (code, candidate)
            )
        if candidate.phone:
            index["phone"][candidate.phone].append((code, candidate))
        if candidate.address:
            index["address"][candidate.address].append((code, candidate))

    def check(
        self, *, ward_id, code, hamlet_id, head_name, phone, address
    ) -> list[tuple[str, list[str]]]:
        index = self._ward(ward_id)
        candidate = Candidate.of(
            hamlet_id=hamlet_id, head_name=head_name, phone=phone, address=address
        )
        others = {}
        for bucket in (
            index["name"].get((candidate.hamlet_id, candidate.name), ()),
            index["phone"].get(candidate.phone, ()),
            index["address"].get(candidate.address, ()),
        ):
            for other_code, other in bucket:
                if other_code != code:
                    others.setdefault(other_code, other)
        found = []
        for other_code, other in others.items():
            reasons = candidate.reasons(other)
            if reasons:
                found.append((other_code, reasons))
        self._add(index, code, candidate)
        return found

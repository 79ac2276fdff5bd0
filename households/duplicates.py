"""Likely duplicate households: the same family registered twice in a ward.

Three reasons, each compared on the folded text (case, accents, đ/Đ and the
Unicode form set aside, :func:`core.text.text_fold`):

* the same head's name in the same hamlet;
* the same phone (normalised, so "+84 912.345.678" is "0912345678");
* a head's name the same or a typing slip away (Damerau–Levenshtein
  distance, scaled to the name's length) at the same address.

The database narrows first, on the ward and the folded ``search_text`` copy
every household keeps; Python compares the few rows left. An import checks
its rows with :class:`DuplicateIndex`: one query per ward, then every row
against the ward's households and against the rows before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.scope import scope
from core.phones import phone_normalise
from core.text import search_key, text_fold

from .models import Household

SAME_NAME = "same_name"
SAME_PHONE = "same_phone"
CLOSE_NAME = "close_name"
REASONS = {
    SAME_NAME: _("same head of household in the same hamlet"),
    SAME_PHONE: _("same phone"),
    CLOSE_NAME: _("similar head's name at the same address"),
}
CANDIDATE_COLUMNS = ("code", "hamlet_id", "head_name", "address", "phone")


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
    """Damerau–Levenshtein distance (its optimal string alignment form:
    adjacent swaps count one), or ``limit + 1`` as soon as it must exceed
    ``limit``."""
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
    """Two folded names that are the same or differ by a slip or two."""
    if not left or not right:
        return False
    if left == right:
        return True
    limit = min(name_distance_allowed(left), name_distance_allowed(right))
    # An edit changes at most two letters of the names' sets of letters: most
    # pairs are told apart here, without the distance's table.
    if limit == 0 or len(set(left).symmetric_difference(right)) > 2 * limit:
        return False
    return edit_distance(left, right, limit) <= limit


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
            and SAME_NAME not in found
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
    if candidate.address:
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


class Match(NamedTuple):
    """A household, or an earlier row of the same file, a row may repeat."""

    code: str
    head_name: str
    in_file: bool
    reasons: list[str]


class DuplicateIndex:
    """Many rows checked against their wards' households and each other.

    Each ward's households are read once (the columns compared, not whole
    rows); each row checked is then added, so a later row of the same file
    finds an earlier one. Rows come as stored (normalised text and phone), so
    each costs a folding and a few dictionary look-ups: a province's file is
    checked in seconds.
    """

    #: More households than this at one address: a building or a street, not
    #: a home; their names are not compared (a file of thousands at "Thôn 3"
    #: would otherwise compare every pair).
    HOME_LIMIT = 20

    def __init__(self, *, user):
        self.user = user
        self._wards: dict = {}

    def _ward(self, ward_id) -> tuple[dict, dict, dict]:
        index = self._wards.get(ward_id)
        if index is None:
            index = self._wards[ward_id] = ({}, {}, {})
            rows = scope(Household.objects.filter(ward_id=ward_id), self.user)
            for code, hamlet_id, head_name, address, phone in rows.values_list(
                *CANDIDATE_COLUMNS
            ).order_by("code"):
                # search_key() folds as text_fold() does, through a cached table.
                entry = (code, head_name, False, search_key(head_name))
                self._add(index, entry, hamlet_id, phone, search_key(address))
        return index

    @staticmethod
    def _add(index, entry, hamlet_id, phone, address) -> None:
        """Remember ``entry`` (code, head, in file, folded head) under its keys."""
        name = entry[3]
        names, phones, addresses = index
        if name:
            names.setdefault((hamlet_id, name), []).append(entry)
        if phone:
            phones.setdefault(phone, []).append(entry)
        if address:
            addresses.setdefault(address, []).append(entry)

    def check(
        self, *, ward_id, code, hamlet_id, head_name, phone, address
    ) -> list[Match]:
        """What the row may repeat; the row is then remembered for the next.
        ``phone`` is normalised (as stored)."""
        index = self._ward(ward_id)
        names, phones, addresses = index
        name, folded_address = search_key(head_name), search_key(address)
        found: dict[tuple, list[str]] = {}
        for entry in names.get((hamlet_id, name), ()) if name else ():
            if entry[0] != code:
                found.setdefault(entry, []).append(SAME_NAME)
        for entry in phones.get(phone, ()) if phone else ():
            if entry[0] != code:
                found.setdefault(entry, []).append(SAME_PHONE)
        at_address = addresses.get(folded_address, ()) if folded_address else ()
        limit = name_distance_allowed(name) if at_address else 0
        if len(at_address) <= self.HOME_LIMIT:
            # names_close(), with its cheapest refusals first: most names met
            # at an address are another person's.
            letters, length = set(name), len(name)
            for entry in at_address:
                other = entry[3]
                if entry[0] == code or abs(len(other) - length) > limit:
                    continue
                reasons = found.get(entry, ())
                if SAME_NAME in reasons:
                    continue
                if other == name or (
                    len(letters.symmetric_difference(other)) <= 2 * limit
                    and names_close(name, other)
                ):
                    found.setdefault(entry, []).append(CLOSE_NAME)
        self._add(
            index, (code, head_name, True, name), hamlet_id, phone, folded_address
        )
        return [Match(*entry[:3], reasons) for entry, reasons in found.items()]

# ruff: noqa: S608 - SQL built from model metadata; values are parameters
"""The big tables of the scale seed: how they are written, and the households.

Rows are generated as plain tuples from one seeded ``random.Random`` and
written in chunks: COPY from an in-memory CSV buffer on PostgreSQL,
``executemany`` on SQLite. Primary keys are allocated here, so residents and
session lines name their parents without a round-trip; the sequences are set
past them afterwards. Nothing goes through ``save()``: the fields it would
fill (search keys, the local day, the content digest) are computed the same
way here, and no history rows are written. The sessions are made by
``demo.scale_sessions``.
"""

import csv
import io
from array import array
from bisect import bisect
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate

from django.db import connection

from core.checks import sql_columns
from core.text import text_fold
from demo.registry import (
    ETHNIC_FAMILY_NAMES,
    FAMILY_NAMES,
    GIVEN,
    HOUSEHOLD_SIZES,
    MIDDLE,
    MOBILE_PREFIXES,
)
from households.models import Household, Resident

CHUNK = 100_000  # rows per COPY: a few tens of MB of text at most
ELDERLY_ALONE = 0.08
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung",
           "Lý Thường Kiệt", "Nguyễn Huệ", "Lê Văn Sỹ", "Cách Mạng Tháng Tám",
           "Phan Đình Phùng", "Võ Văn Tần", "Nguyễn Đình Chiểu", "Điện Biên Phủ",
           "Trần Phú", "Hoàng Văn Thụ", "Lạc Long Quân"]  # fmt: skip


@dataclass
class HouseholdIndex:
    """Where each household's residents are: ids are allocated in order."""

    first_household: int = 0
    first_resident: array = field(default_factory=lambda: array("q"))
    size: array = field(default_factory=lambda: array("B"))


class TableWriter:
    """Writes batches of tuples into one model's table, in ``fields`` order."""

    def __init__(self, model, fields: list[str]):
        quote = connection.ops.quote_name
        columns = [model._meta.get_field(name) for name in fields]
        table = quote(model._meta.db_table)
        names = ", ".join(quote(column.column) for column in columns)
        self.model = model
        self.postgres = connection.vendor == "postgresql"
        if self.postgres:
            # In CSV an unquoted empty field is NULL: not for NOT NULL columns.
            not_null = ", ".join(quote(c.column) for c in columns if not c.null)
            self.sql = "COPY %s (%s) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (%s))"
            self.sql %= (table, names, not_null)
        else:
            marks = ", ".join(["%s"] * len(columns))
            self.sql = "INSERT INTO %s (%s) VALUES (%s)" % (table, names, marks)
        self.count = 0

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                buffer = io.StringIO()
                csv.writer(buffer).writerows(rows)
                buffer.seek(0)
                cursor.copy_expert(self.sql, buffer)
            else:
                cursor.executemany(self.sql, rows)
        self.count += len(rows)


@contextmanager
def references_trusted():
    """On PostgreSQL as a superuser, skip the foreign-key triggers while loading.

    The generator makes every reference itself from the ids it allocated;
    checking ten million of them one by one at commit takes longer than the
    load. Other roles keep the checks (slower, same result).
    """
    trusted = False
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            trusted = cursor.fetchone()[0]
            if trusted:
                cursor.execute("SET LOCAL session_replication_role = replica")
    yield
    if trusted:  # an error rolls the setting back with the transaction
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


@contextmanager
def indexes_deferred(*models):
    """On PostgreSQL, drop the tables' plain indexes and build them again after.

    One sort per index is far cheaper than millions of random inserts into
    it. Indexes that back a constraint (keys, unique fields) stay. Inside the
    transaction, so an error brings every index back untouched.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) "
            "FROM pg_index WHERE indrelid = ANY(%s::regclass[]) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute("DROP INDEX %s" % name)
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)


def ids_next(model) -> int:
    """The first free primary key, past both the rows and the sequence."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM %s" % table)
        last = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute("SELECT last_value FROM %s" % sequence)
            last = max(last, cursor.fetchone()[0])
    return last + 1


def ids_sync(model) -> None:
    """Move the sequence past the keys allocated here (SQLite does it itself)."""
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), MAX(id)) FROM " + table,
            [table],
        )


def split(total: int, weights: list[float]) -> list[int]:
    """``total`` shared in proportion to ``weights``, summing exactly."""
    scale = total / sum(weights)
    shares = [weight * scale for weight in weights]
    counts = [int(share) for share in shares]
    by_remainder = sorted(
        range(len(shares)), key=lambda i: counts[i] - shares[i]
    )  # largest remainder first
    for index in by_remainder[: total - sum(counts)]:
        counts[index] += 1
    return counts


class Names:
    """Vietnamese names and mobiles drawn like the demo's, but from plain
    ``random()`` calls: the seed draws millions of them."""

    def __init__(self, rng):
        self.random = rng.random
        self.families = list(FAMILY_NAMES)
        self.family_cum = list(accumulate(FAMILY_NAMES.values()))

    def pick(self, choices):
        return choices[int(self.random() * len(choices))]

    def family(self, ethnic_minority: bool = False) -> str:
        if ethnic_minority:
            return self.pick(ETHNIC_FAMILY_NAMES)
        cum = self.family_cum
        return self.families[bisect(cum, self.random() * cum[-1])]

    def full(self, family: str, gender: str, old: bool) -> str:
        """A name with no syllable twice ("Hoàng Hoàng Dương")."""
        middles, givens = MIDDLE[(gender, old)], GIVEN[(gender, old)]
        while True:
            middle, given = self.pick(middles), self.pick(givens)
            if middle != family and given not in (family, middle):
                return "%s %s %s" % (family, middle, given)

    def mobile(self) -> str:
        return self.pick(MOBILE_PREFIXES) + "%07d" % int(self.random() * 10**7)


@lru_cache(maxsize=100_000)
def _fold(text: str) -> str:
    return text_fold(text)


# Declared: manage.py check fails when a new column is missing (core.checks).
HOUSEHOLD_FIELDS = sql_columns(Household, [
    "id", "ward", "hamlet", "code", "address", "head_name", "phone", "size",
    "elderly_alone", "disability", "poverty", "ethnic_minority", "no_smartphone",
    "search_text", "registered_on",
], writer=__name__)  # fmt: skip
RESIDENT_FIELDS = sql_columns(Resident, [
    "id", "household", "ward", "full_name", "birth_year", "gender", "phone",
    "has_smartphone", "vneid_level", "digital_skill", "is_focal_person",
    "disability", "ethnic_minority", "search_text",
], writer=__name__)  # fmt: skip


def households_load(*, rng, hamlets, households: int, residents: int, today: date):
    """Households and residents of every hamlet, ``residents`` in all.

    ``hamlets`` lists (ward code, hamlet id, hamlet name, is a village, code
    prefix, share of the households). Returns the index the session
    generator uses, the range of household ids of each hamlet id, and the
    numbers of households and residents written.
    """
    per_hamlet = split(households, [hamlet[-1] for hamlet in hamlets])
    sizes, alone = _household_sizes(rng.random, households, residents)
    maker = _HouseholdMaker(rng, today)
    index = HouseholdIndex(first_household=ids_next(Household))
    writers = (
        TableWriter(Household, HOUSEHOLD_FIELDS),
        TableWriter(Resident, RESIDENT_FIELDS),
    )
    household_id, resident_id = index.first_household, ids_next(Resident)
    ranges, household_rows, resident_rows = {}, [], []
    number_in_ward, position = {}, 0
    for (ward, hamlet_id, hamlet_name, village, prefix, _share), count in zip(
        hamlets, per_hamlet, strict=True
    ):
        ranges[hamlet_id] = range(household_id, household_id + count)
        place = (hamlet_name[:1].lower() + hamlet_name[1:], village)
        for _number in range(count):
            number = number_in_ward[ward] = number_in_ward.get(ward, 0) + 1
            household, people = maker.make(
                ward, hamlet_id, place, "%s-%05d" % (prefix, number),
                sizes[position], alone[position],
            )  # fmt: skip
            position += 1
            household_rows.append((household_id, *household))
            index.first_resident.append(resident_id)
            index.size.append(len(people))
            for person in people:
                resident_rows.append((resident_id, household_id, ward, *person))
                resident_id += 1
            household_id += 1
            if len(resident_rows) >= CHUNK:
                writers[0].write(household_rows)
                writers[1].write(resident_rows)
                household_rows, resident_rows = [], []
    writers[0].write(household_rows)
    writers[1].write(resident_rows)
    ids_sync(Household)
    ids_sync(Resident)
    return index, ranges, writers[0].count, writers[1].count


def _household_sizes(random, households: int, residents: int):
    """How many live in each household, and whether it is an elderly person
    alone; the sizes add up to ``residents``."""
    sizes, alone = array("B"), array("B")
    size_values = list(HOUSEHOLD_SIZES)
    size_cum = list(accumulate(HOUSEHOLD_SIZES.values()))
    for _number in range(households):
        is_alone = random() < ELDERLY_ALONE
        alone.append(is_alone)
        size = size_values[bisect(size_cum, random() * size_cum[-1])]
        sizes.append(1 if is_alone else size)
    # Trim or grow random families until the residents add up exactly.
    missing = residents - sum(sizes)
    while missing and households:
        position = int(random() * households)
        step = 1 if missing > 0 else -1
        if not alone[position] and 1 <= sizes[position] + step <= 9:
            sizes[position] += step
            missing -= step
    return sizes, alone


class _HouseholdMaker:
    """One household and its people, with the demo's proportions: elderly
    alone, disability, poverty, ethnic minorities, no smartphone."""

    def __init__(self, rng, today: date):
        self.random = rng.random
        self.names = Names(rng)
        self.year = today.year
        self.registered = [
            (today - timedelta(days=400 + days)).isoformat() for days in range(120)
        ]

    def between(self, low: int, high: int) -> int:
        return low + int(self.random() * (high - low + 1))

    def make(self, ward, hamlet_id, place, code, size, alone):
        """The household's row (without id) and its residents' rows."""
        random, names = self.random, self.names
        disability = random() < 0.05
        roll = random()
        poverty = "poor" if roll < 0.02 else "near_poor" if roll < 0.06 else ""
        ethnic = random() < (0.06 if place[1] else 0.03)
        no_smartphone = random() < (0.45 if alone else 0.06)
        people = self._people(size, alone, ethnic)
        rows = [self._person(*person, no_smartphone, ethnic) for person in people]
        owners = self._smartphone_owners(rows, no_smartphone)
        self._names_unique(rows)
        self._focal_person_choose(rows, owners)
        if disability:
            (rows[0] if random() < 0.6 else names.pick(rows))[8] = True
        head_name = rows[0][0]
        contact = next((row[3] for row in rows if row[7] and row[3]), rows[0][3])
        phone = contact if random() < 0.85 else ""
        address, address_key = self.address(place)
        search = " ".join(
            filter(None, (code.lower(), _fold(head_name), address_key, phone))
        )
        household = (
            ward, hamlet_id, code, address, head_name, phone, size, bool(alone),
            disability, poverty, ethnic, not owners, search,
            self.registered[int(random() * 120)],
        )  # fmt: skip
        for row in rows:
            row.append(" ".join(filter(None, (_fold(row[0]), row[3]))))
        return household, rows

    def _people(self, size, alone, ethnic) -> list[tuple]:
        """(family name, gender, born) of the head, a spouse, perhaps a widowed
        parent, and children up to ``size``."""
        random, names, year = self.random, self.names, self.year
        family = names.family(ethnic)
        if alone:  # more often a widow than a widower
            gender, age = "female" if random() < 0.67 else "male", self.between(66, 92)
        elif size == 1:
            gender, age = names.pick(("male", "female")), self.between(24, 60)
        else:  # big households have grown-up children or grandparents
            gender = "male" if random() < 0.75 else "female"
            age = self.between(26 if size < 4 else 34, 80)
        people = [(family, gender, year - age)]
        parents_born = year - age
        if size >= 2 and random() < 0.88:
            spouse = "female" if gender == "male" else "male"
            gap = self.between(-2, 6) if spouse == "female" else self.between(-6, 2)
            born = min(parents_born + gap, year - 22)
            people.append((names.family(ethnic), spouse, born))
            parents_born = max(parents_born, born)
        if size - len(people) >= 3 and age < 60 and random() < 0.5:
            # A widowed parent of the head lives with the family.
            parent = names.pick(("female", "female", "male"))
            born = max(year - 98, year - age - self.between(22, 32))
            parent_family = family if parent == "male" else names.family()
            people.append((parent_family, parent, born))
        while len(people) < size:
            latest = min(parents_born + 42, year)
            born = self.between(min(parents_born + 20, latest), latest)
            people.append((family, names.pick(("male", "female")), born))
        return people

    def _smartphone_owners(self, rows, no_smartphone) -> list[int]:
        owners = [number for number, row in enumerate(rows) if row[4]]
        if not no_smartphone and not owners:
            # A household not known to lack one has at least the head's phone.
            rows[0][3] = rows[0][3] or self.names.mobile()
            rows[0][4], rows[0][6] = True, "basic"
            owners = [0]
        return owners

    def _names_unique(self, rows) -> None:
        taken = set()
        for row in rows:  # one name and birth year once per household
            while (row[0], row[1]) in taken:
                row[0] = self.names.full(row[0].split()[0], row[2], row[1] < 1980)
            taken.add((row[0], row[1]))

    def _focal_person_choose(self, rows, owners) -> None:
        if owners and self.random() < 0.9:
            focal = rows[max(owners, key=lambda i: (rows[i][6] != "basic", -i))]
            focal[7] = True
            if focal[6] == "basic":
                focal[6] = "independent"

    def _person(self, family, gender, born, no_smartphone, ethnic) -> list:
        """[name, born, gender, phone, smartphone, e-ID, skill, focal, disability,
        ethnic minority]; age drives the smartphone, the skills and the e-ID."""
        random, names = self.random, self.names
        age = self.year - born
        if age < 12 or no_smartphone:
            chance = 0.0
        else:
            chance = (
                0.7 if age < 18 else 0.95 if age < 60 else 0.65 if age < 75 else 0.3
            )
        smartphone = random() < chance
        roll = random()
        if smartphone:
            phone = names.mobile() if random() < 0.9 else ""
            basic, independent = (0.6, 0.95) if age >= 60 else (0.2, 0.75)
            skill = (
                "basic"
                if roll < basic
                else "independent"
                if roll < independent
                else "advanced"
            )
        else:
            phone = names.mobile() if age >= 18 and random() < 0.65 else ""
            skill = "none"
        # Children get level 2 through their parents; older people at the
        # police station even without a smartphone.
        roll = random()
        if age < 14:
            level = "level2" if roll < 0.55 else "none"
        elif smartphone:
            level = "level2" if roll < 0.85 else "level1" if roll < 0.92 else "none"
        else:
            level = "level2" if roll < 0.62 else "level1" if roll < 0.7 else "none"
        full_name = names.full(family, gender, born < 1980)
        return [full_name, born, gender, phone, smartphone, level, skill, False,
                False, ethnic]  # fmt: skip

    def address(self, place) -> tuple[str, str]:
        """An address in the hamlet, and its search key."""
        random, names = self.random, self.names
        hamlet, village = place
        if village:
            text = "Số %d, %s" % (self.between(1, 250), hamlet)
        elif random() < 0.4:
            street = names.pick(STREETS)
            text = "Số %d đường %s, %s" % (self.between(1, 400), street, hamlet)
        else:
            street = names.pick(STREETS)
            text = "Số %d hẻm %d đường %s, %s" % (
                self.between(1, 90), self.between(2, 300), street, hamlet,
            )  # fmt: skip
        # Only the words repeat, so fold them one by one (numbers fold to
        # themselves); the result equals text_fold(text).
        return text, " ".join(_fold(word) for word in text.split())

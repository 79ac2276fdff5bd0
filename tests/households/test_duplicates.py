"""Likely duplicate households: the three reasons, compared folded, in scope."""

import unicodedata

import pytest

from accounts.models import Role
from households.duplicates import (
    CLOSE_NAME,
    SAME_NAME,
    SAME_PHONE,
    DuplicateIndex,
    edit_distance,
    household_duplicates,
)
from tests.accounts.factories import UserFactory
from tests.areas.factories import HamletFactory
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def existing(area):
    return HouseholdFactory(
        ward=area.ward,
        hamlet=area.hamlet,
        code="BD-0100",
        head_name="Đặng Thị Hường",
        phone="0912345678",
        address="12 ngõ Hòa Bình",
    )


def duplicates(user, area, **typed):
    details = {
        "ward_id": area.ward.pk,
        "hamlet_id": area.hamlet.pk,
        "head_name": "Ai Đó Khác Hẳn",
        "phone": "",
        "address": "",
    }
    details.update(typed)
    return {
        duplicate.household.code: duplicate.reasons
        for duplicate in household_duplicates(user=user, **details)
    }


@pytest.mark.parametrize(
    "typed",
    [
        "Đặng Thị Hường",
        "đặng thị hường",
        "DANG THI HUONG",
        "dang thi huong",
        "  Đặng   Thị Hường ",
        unicodedata.normalize("NFD", "Đặng Thị Hường"),
    ],
)
def test_the_same_head_folded_in_the_same_hamlet_is_found(users, area, existing, typed):
    found = duplicates(users[Role.WARD], area, head_name=typed)

    assert found == {"BD-0100": [SAME_NAME]}


def test_the_same_head_in_another_hamlet_is_not_a_duplicate(users, area, existing):
    other_hamlet = HamletFactory(ward=area.ward, name="Tổ dân phố số 2")

    found = duplicates(
        users[Role.WARD], area, hamlet_id=other_hamlet.pk, head_name="Đặng Thị Hường"
    )

    assert found == {}


@pytest.mark.parametrize(
    "typed", ["0912345678", "0912 345 678", "+84 912.345.678", "84912345678"]
)
def test_the_same_phone_in_any_format_is_found(users, area, existing, typed):
    found = duplicates(users[Role.WARD], area, phone=typed)

    assert found == {"BD-0100": [SAME_PHONE]}


def test_a_phone_that_is_not_one_matches_nothing(users, area, existing):
    assert duplicates(users[Role.WARD], area, phone="12") == {}


@pytest.mark.parametrize(
    "typed", ["Dang Thi Huogn", "Đặng Thi Hườn", "Đặnh Thị Hường", "Đặng Thị Hưởngg"]
)
def test_a_close_name_at_the_same_address_is_found(users, area, existing, typed):
    found = duplicates(
        users[Role.WARD], area, head_name=typed, address="12 Ngõ Hoà Bình"
    )

    assert found == {"BD-0100": [CLOSE_NAME]}


def test_the_same_name_at_the_same_address_in_another_hamlet_is_found(
    users, area, existing
):
    other_hamlet = HamletFactory(ward=area.ward, name="Tổ dân phố số 2")

    found = duplicates(
        users[Role.WARD],
        area,
        hamlet_id=other_hamlet.pk,
        head_name="Đặng Thị Hường",
        address="12 ngõ Hòa Bình",
    )

    assert found == {"BD-0100": [CLOSE_NAME]}


def test_a_close_name_at_another_address_is_not_a_duplicate(users, area, existing):
    found = duplicates(
        users[Role.WARD], area, head_name="Đặng Thị Hườn", address="14 ngõ Hòa Bình"
    )

    assert found == {}


def test_a_name_three_slips_away_is_not_close(users, area, existing):
    found = duplicates(
        users[Role.WARD], area, head_name="Đặng Văn Hưng", address="12 ngõ Hòa Bình"
    )

    assert found == {}


def test_short_names_must_match_exactly(users, area):
    HouseholdFactory(
        ward=area.ward, hamlet=area.hamlet, code="BD-1", head_name="Lê An", address="5"
    )

    found = duplicates(users[Role.WARD], area, head_name="Lê Anh", address="5")

    assert found == {}


def test_every_reason_is_named_and_the_most_reasons_come_first(users, area, existing):
    HouseholdFactory(
        ward=area.ward,
        hamlet=area.hamlet,
        code="BD-0001",
        head_name="Người Khác",
        phone="0988000111",
    )

    found = household_duplicates(
        user=users[Role.WARD],
        ward_id=area.ward.pk,
        hamlet_id=area.hamlet.pk,
        head_name="Dang Thi Huong",
        phone="0988 000 111",
        address="",
    )

    assert [(d.household.code, d.reasons) for d in found] == [
        ("BD-0001", [SAME_PHONE]),
        ("BD-0100", [SAME_NAME]),
    ]
    both = household_duplicates(
        user=users[Role.WARD],
        ward_id=area.ward.pk,
        hamlet_id=area.hamlet.pk,
        head_name="Dang Thi Huong",
        phone="0912345678",
    )
    assert both[0].reasons == [SAME_NAME, SAME_PHONE]
    assert both[0].reason_labels == [
        "cùng tên chủ hộ trong cùng thôn",
        "cùng số điện thoại",
    ]


def test_the_household_itself_is_left_out(users, area, existing):
    found = household_duplicates(
        user=users[Role.WARD],
        ward_id=area.ward.pk,
        hamlet_id=area.hamlet.pk,
        head_name=existing.head_name,
        phone=existing.phone,
        exclude_pk=existing.pk,
    )

    assert found == []


def test_no_candidate_comes_from_another_ward(users, area):
    HouseholdFactory(
        ward=area.neighbour_ward,
        hamlet=area.neighbour_hamlet,
        head_name="Đặng Thị Hường",
        phone="0912345678",
    )

    assert duplicates(users[Role.WARD], area, phone="0912345678") == {}
    assert (
        duplicates(
            users[Role.NATIONAL],
            area,
            ward_id=area.ward.pk,
            phone="0912345678",
            head_name="Đặng Thị Hường",
        )
        == {}
    )


def test_a_user_of_another_ward_finds_nothing_in_this_one(users, area, existing):
    outsider = UserFactory(username="khac", role=Role.WARD, ward=area.neighbour_ward)

    assert duplicates(outsider, area, phone="0912345678") == {}


def test_the_batch_finds_the_wards_households_and_earlier_rows(users, area, existing):
    index = DuplicateIndex(user=users[Role.WARD])
    row = {"ward_id": area.ward.pk, "hamlet_id": area.hamlet.pk, "address": ""}

    first = index.check(code="N-1", head_name="ĐẶNG THỊ HƯỜNG", phone="", **row)
    second = index.check(code="N-2", head_name="Trần Văn Ba", phone="0977111222", **row)
    third = index.check(code="N-3", head_name="Lý Văn Tư", phone="0977111222", **row)

    assert first == [("BD-0100", "Đặng Thị Hường", False, [SAME_NAME])]
    assert second == []
    assert third == [("N-2", "Trần Văn Ba", True, [SAME_PHONE])]


def test_the_batch_reads_each_ward_once(
    users, area, existing, django_assert_num_queries
):
    index = DuplicateIndex(user=users[Role.WARD])
    row = {"ward_id": area.ward.pk, "hamlet_id": area.hamlet.pk, "address": ""}

    with django_assert_num_queries(1):
        for number in range(20):
            index.check(
                code="N-%d" % number, head_name="Tên %d" % number, phone="", **row
            )


def test_edit_distance_counts_a_swap_once():
    assert edit_distance("huong", "huogn", 2) == 1
    assert edit_distance("huong", "hung", 2) == 1
    assert edit_distance("abc", "xyz", 1) == 2  # stops past the limit


def test_the_batch_compares_no_names_at_an_address_shared_by_many(users, area):
    index = DuplicateIndex(user=users[Role.WARD])
    row = {"ward_id": area.ward.pk, "hamlet_id": area.hamlet.pk, "phone": ""}
    for number in range(DuplicateIndex.HOME_LIMIT):
        index.check(
            code="T-%d" % number,
            head_name="Người Thuê " + "abcdefghijklmnopqrstuvwxyz"[number] * 4,
            address="Thôn 3",
            **row,
        )
    close = index.check(
        code="T-X", head_name="Người Thuê aaab", address="Thôn 3", **row
    )
    crowded = index.check(
        code="T-Y", head_name="Người Thuê bbbc", address="Thôn 3", **row
    )

    assert [match.code for match in close] == ["T-0"]
    assert crowded == []

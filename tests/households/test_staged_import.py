"""What the set-wise household import guarantees, on big files too."""

import glob
import os
import random
import tempfile

import pytest
import tablib
from django.utils import translation

from accounts.models import Role
from core.import_widgets import phone_normalise_cached
from core.phones import phone_normalise
from core.text import search_key, text_fold
from households.models import Household
from households.resources import HouseholdResource
from tests.accounts.factories import UserFactory
from tests.areas.factories import HamletFactory
from tests.households.test_import_export import (
    CSV,
    HOUSEHOLD_HEADERS,
    confirm,
    csv_bytes,
    error_table,
    household_row,
    import_file,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(client, users):
    client.force_login(users[Role.WARD])
    return users[Role.WARD]


def rows(count, **cells):
    return [
        household_row(**{"Mã hộ": "BD-%05d" % number, **cells})
        for number in range(1, count + 1)
    ]


def upload_csv(client, *file_rows):
    return upload(
        client, csv_bytes(HOUSEHOLD_HEADERS, *file_rows), name="ho.csv", file_format=CSV
    )


def import_csv(client, *file_rows):
    return import_file(
        client,
        csv_bytes(HOUSEHOLD_HEADERS, *file_rows),
        name="ho.csv",
        file_format=CSV,
    )


def test_a_bad_cell_deep_in_a_large_file_is_named_and_nothing_is_written(
    client, official
):
    file_rows = rows(3000)
    file_rows[2499] = household_row(**{"Mã hộ": "BD-02500", "Số nhân khẩu": "bốn"})

    problems = error_table(upload_csv(client, *file_rows))

    assert [(row, column) for row, column, _ in problems] == [(2501, "Số nhân khẩu")]
    assert "bốn" in problems[0][2]
    dataset = tablib.Dataset(*file_rows, headers=HOUSEHOLD_HEADERS)
    result = HouseholdResource(who=official).import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert not Household.objects.exists()
    assert not Household.history.exists()


def test_a_code_twice_in_the_file_names_both_rows(client, official):
    file_rows = rows(6)
    file_rows[4] = household_row(**{"Mã hộ": "bd-00001 "})  # same code once read

    problems = error_table(upload_csv(client, *file_rows))

    assert [(row, column) for row, column, _ in problems] == [(6, "Mã hộ")]
    assert "dòng 2" in problems[0][2]


def test_a_hamlet_of_another_ward_is_refused(client, official, area):
    problems = error_table(
        upload_csv(client, household_row(**{"Thôn/Tổ dân phố": "Tổ dân phố Hàng Bạc"}))
    )

    assert [(row, column) for row, column, _ in problems] == [(2, "Thôn/Tổ dân phố")]
    assert "Hàng Bạc" in problems[0][2]


def test_a_changed_file_updates_only_the_changed_rows_with_history_by_the_importer(
    client, official
):
    import_csv(client, *rows(3))
    before = {household.code: household for household in Household.objects.all()}
    changed = rows(3)
    changed[1] = household_row(**{"Mã hộ": "BD-00002", "Họ tên chủ hộ": "Lê Văn Tư"})

    preview = upload_csv(client, *changed)
    totals = preview.context["result"].totals
    assert (totals["new"], totals["update"], totals["skip"]) == (0, 1, 2)
    confirm(client, preview)

    updated = Household.objects.get(code="BD-00002")
    assert updated.head_name == "Lê Văn Tư"
    assert "le van tu" in updated.search_text
    assert updated.pk == before["BD-00002"].pk
    records = Household.history.filter(history_type="~")
    assert [(record.id, record.head_name) for record in records] == [
        (updated.pk, "Lê Văn Tư")
    ]
    with translation.override("vi"):
        reason = translation.gettext("import")
    assert records[0].history_user == official
    assert records[0].history_change_reason == reason
    assert Household.history.filter(history_type="+").count() == 3


def test_an_unchanged_file_imported_again_writes_no_history(client, official):
    import_csv(client, *rows(5))

    preview = upload_csv(client, *rows(5))
    assert preview.context["result"].totals["skip"] == 5
    confirm(client, preview)

    assert Household.history.count() == 5
    assert Household.history.filter(history_type="~").count() == 0


@pytest.mark.parametrize("ward", ["00070", "26734"])
def test_a_ward_officials_file_with_another_wards_row_writes_nothing(
    client, official, ward
):
    file_rows = rows(50)
    file_rows[40] = household_row(**{"Mã xã/phường": ward, "Mã hộ": "X-1"})

    problems = error_table(upload_csv(client, *file_rows))

    assert [(row, column) for row, column, _ in problems] == [(42, "Mã xã/phường")]
    dataset = tablib.Dataset(*file_rows, headers=HOUSEHOLD_HEADERS)
    HouseholdResource(who=official).import_data(dataset, dry_run=False)
    assert not Household.objects.exists()


def test_a_national_administrator_imports_several_wards_at_once(client, area):
    client.force_login(UserFactory(username="quantri", role=Role.NATIONAL))
    file_rows = [
        household_row(**{"Mã xã/phường": "00004", "Mã hộ": "A-1"}),
        household_row(
            **{
                "Mã xã/phường": "70",  # Excel dropped the zeros
                "Thôn/Tổ dân phố": "to dan pho hang bac",
                "Mã hộ": "A-1",
            }
        ),
    ]

    import_csv(client, *file_rows)

    assert sorted(Household.objects.values_list("ward_id", "hamlet__name")) == [
        ("00004", "Tổ dân phố số 1"),
        ("00070", "Tổ dân phố Hàng Bạc"),
    ]


def test_the_preview_shows_the_first_rows_and_counts_them_all(client, official):
    result = upload_csv(client, *rows(150)).context["result"]

    assert len(result.valid_rows()) == 100
    assert result.totals["new"] == 150 and result.total_rows == 150
    assert not Household.objects.exists()


def test_blank_rows_below_the_data_are_ignored_and_a_blank_row_within_is_named(
    client, official
):
    blank = [""] * len(HOUSEHOLD_HEADERS)

    ignored = upload_csv(client, *rows(2), blank, blank).context["result"]
    named = error_table(
        upload_csv(client, *rows(1), blank, household_row(**{"Mã hộ": "BD-9"}))
    )

    assert ignored.totals["new"] == 2 and not ignored.invalid_rows
    assert {row for row, _, _ in named} == {3}


def test_a_hamlet_deleted_between_preview_and_confirmation_imports_nothing(
    client, official, area
):
    hamlet = HamletFactory(ward=area.ward, name="Tổ dân phố số 9")
    preview = upload_csv(client, *rows(3, **{"Thôn/Tổ dân phố": hamlet.name}))
    hamlet.delete()

    response = confirm(client, preview)

    assert response.status_code == 302
    assert response.url.endswith("/household/import/")
    assert not Household.objects.exists()


def test_the_upload_and_what_the_preview_kept_are_removed_after_the_import(
    client, official
):
    preview = upload_csv(client, *rows(3))
    name = preview.context["confirm_form"].initial["import_file_name"]
    stored = os.path.join(tempfile.gettempdir(), name)

    confirm(client, preview)

    assert Household.objects.count() == 3
    assert glob.glob(stored + "*") == []


def test_national_phone_numbers_take_the_fast_path_with_the_same_result():
    # The cache answers per length and first five characters: every such
    # head must decide alike for all its numbers, as libphonenumber does.
    generator = random.Random(8)
    for length in (10, 11):
        for head in range(1000, 10000):
            for _ in range(2):
                number = "0%d%s" % (
                    head,
                    "".join(generator.choice("0123456789") for _ in range(length - 5)),
                )
                try:
                    expected = phone_normalise(number)
                except Exception as error:  # noqa: BLE001 - compared below
                    expected = type(error)
                try:
                    found = phone_normalise_cached(number)
                except Exception as error:  # noqa: BLE001
                    found = type(error)
                assert found == expected, number


def folded_parts(*parts) -> str:
    """The search key by its definition: each part folded, then joined."""
    return " ".join(filter(None, (text_fold(part) for part in parts)))


def test_the_fast_search_key_is_the_search_key():
    generator = random.Random(9)
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĐÊƠ ÀÁẢÃẠằắẳẵặầấẩẫậ\u0301\u0323\t-.0123ßΣİ"
    for _ in range(20_000):
        parts = [
            "".join(generator.choice(letters) for _ in range(generator.randint(0, 15)))
            for _ in range(4)
        ]
        assert search_key(*parts) == folded_parts(*parts), parts


def test_a_file_not_in_utf8_further_down_is_refused_with_advice(client, official):
    content = csv_bytes(HOUSEHOLD_HEADERS, *rows(500)) + "BD-9,Thôn Đông\r\n".encode(
        "cp1258"
    )

    preview = upload(client, content, name="ho.csv", file_format=CSV)

    assert "CSV UTF-8" in str(preview.context["result"].base_errors[0].error)
    assert preview.context.get("confirm_form") is None
    assert not Household.objects.exists()


def test_a_file_wrong_throughout_lists_its_first_bad_rows_and_counts_them_all(
    client, official
):
    preview = upload_csv(client, *rows(1200, **{"Số nhân khẩu": "x"}))

    result = preview.context["result"]
    assert result.invalid_total == 1200
    assert len(result.invalid_rows) == 1000
    assert result.invalid_rows[-1].number + 1 == 1001
    assert "1200" in preview.text.replace(".", "").replace(",", "")

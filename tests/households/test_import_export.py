"""Households and residents in and out of Excel, as a ward official does it."""

import csv
import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from core.resources import formula_neutralise
from households.models import Household, Resident
from households.resources import HouseholdResource, ResidentResource

pytestmark = pytest.mark.django_db

HOUSEHOLD_HEADERS = HouseholdResource().template_headers()
RESIDENT_HEADERS = ResidentResource().template_headers()
XLSX, CSV = "0", "1"  # positions of the formats in the import form


def household_row(**cells):
    row = {
        "Mã xã/phường": "",
        "Thôn/Tổ dân phố": "Tổ dân phố số 1",
        "Mã hộ": "BD-0001",
        "Họ tên chủ hộ": "Nguyễn Văn An",
        "Địa chỉ": "Số 12 ngõ 45 phố Đội Cấn",
        "Điện thoại": "0912345678",
        "Số nhân khẩu": 4,
        "Người cao tuổi sống một mình": "không",
        "Có người khuyết tật": "",
        "Hộ nghèo/cận nghèo": "",
        "Dân tộc thiểu số": "",
        "Không có điện thoại thông minh": "",
    }
    row.update(cells)
    return [row[header] for header in HOUSEHOLD_HEADERS]


def xlsx(headers, *rows) -> bytes:
    return tablib.Dataset(*rows, headers=headers).export("xlsx")


def csv_bytes(headers, *rows) -> bytes:
    return tablib.Dataset(*rows, headers=headers).export("csv").encode("utf-8-sig")


def upload(
    client, content, name="ho-gia-dinh.xlsx", file_format=XLSX, model="household"
):
    return client.post(
        "/admin/households/%s/import/" % model,
        {
            "resource": "0",
            "format": file_format,
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def confirm(client, preview, model="household"):
    form = preview.context["confirm_form"]
    return client.post(
        "/admin/households/%s/process_import/" % model,
        {name: form.initial.get(name, "") for name in form.fields},
    )


def import_file(client, content, **kwargs):
    preview = upload(client, content, **kwargs)
    assert preview.context.get("confirm_form") is not None, error_table(preview)
    return confirm(client, preview, kwargs.get("model", "household"))


def error_table(response) -> list[tuple[str, str, str]]:
    """The (row, column, problem) triples the preview page shows."""
    result = response.context["result"]
    return [
        (row.number + 1, column, message)
        for row in result.invalid_rows
        for column, messages in row.error_dict.items()
        for message in messages
    ]


@pytest.fixture
def official(client, users):
    client.force_login(users[Role.WARD])
    return users[Role.WARD]


def test_template_downloads_with_vietnamese_headers_as_xlsx(client, official):
    response = client.get("/admin/households/household/import-template.xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in next(sheet.iter_rows())]
    assert headers == HOUSEHOLD_HEADERS
    assert "Mã hộ" in headers and "Họ tên chủ hộ" in headers


def test_template_downloads_as_csv_that_excel_reads_as_utf8(client, official):
    response = client.get("/admin/households/household/import-template.csv")

    assert response.content.startswith(b"\xef\xbb\xbf")
    headers = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert headers == HOUSEHOLD_HEADERS


def test_preview_shows_the_rows_and_writes_nothing(client, official):
    content = xlsx(
        HOUSEHOLD_HEADERS, household_row(), household_row(**{"Mã hộ": "BD-0002"})
    )

    preview = upload(client, content)

    assert [row.import_type for row in preview.context["result"].valid_rows()] == [
        "new",
        "new",
    ]
    assert Household.objects.count() == 0


def test_confirmed_import_writes_normalised_households(client, official, area):
    content = xlsx(
        HOUSEHOLD_HEADERS,
        household_row(**{"Thôn/Tổ dân phố": "to dan pho so 1", "Mã hộ": "bd-0001"}),
        household_row(
            **{
                "Mã hộ": "BD-0002",
                "Họ tên chủ hộ": "Trần Thị Bình",
                "Điện thoại": 987654321,  # Excel dropped the leading zero
                "Hộ nghèo/cận nghèo": "cận nghèo",
                "Người cao tuổi sống một mình": "x",
            }
        ),
    )

    import_file(client, content)

    first, second = Household.objects.order_by("code")
    assert (first.code, first.hamlet, first.ward) == ("BD-0001", area.hamlet, area.ward)
    assert second.phone == "0987654321"
    assert second.poverty == Household.Poverty.NEAR_POOR
    assert second.elderly_alone is True
    assert "tran thi binh" in second.search_text


def test_csv_imports_like_xlsx(client, official):
    import_file(
        client,
        csv_bytes(HOUSEHOLD_HEADERS, household_row()),
        name="ho.csv",
        file_format=CSV,
    )

    assert Household.objects.get().head_name == "Nguyễn Văn An"


def test_bad_rows_are_named_by_row_column_and_reason_and_nothing_is_written(
    client, official
):
    content = xlsx(
        HOUSEHOLD_HEADERS,
        household_row(),
        household_row(**{"Mã hộ": "BD-0002", "Số nhân khẩu": "bốn"}),
        household_row(**{"Mã hộ": "BD-0003", "Thôn/Tổ dân phố": "Tổ 99"}),
        household_row(**{"Mã hộ": "BD-0004", "Điện thoại": "12345"}),
    )

    preview = upload(client, content)

    problems = error_table(preview)
    assert [(row, column) for row, column, _ in problems] == [
        (3, "Số nhân khẩu"),
        (4, "Thôn/Tổ dân phố"),
        (5, "Điện thoại"),
    ]
    assert "không phải số nguyên" in problems[0][2]
    assert "Tổ 99" in problems[1][2]
    assert preview.context.get("confirm_form") is None
    assert "Số nhân khẩu" in preview.text and "không phải số nguyên" in preview.text
    assert Household.objects.count() == 0


def test_a_file_with_one_bad_row_imports_nothing_even_without_preview(official):
    dataset = tablib.Dataset(
        household_row(),
        household_row(**{"Mã hộ": "BD-0002", "Họ tên chủ hộ": ""}),
        headers=HOUSEHOLD_HEADERS,
    )

    result = HouseholdResource(who=official).import_data(dataset, dry_run=False)

    assert result.has_validation_errors()
    assert Household.objects.count() == 0


def test_the_same_code_twice_in_one_file_is_an_error(client, official):
    content = xlsx(HOUSEHOLD_HEADERS, household_row(), household_row())

    problems = error_table(upload(client, content))

    assert len(problems) == 1
    assert problems[0][0] == 3 and "dòng 2" in problems[0][2]


def test_reimporting_updates_instead_of_duplicating(client, official):
    import_file(client, xlsx(HOUSEHOLD_HEADERS, household_row()))
    household = Household.objects.get()

    import_file(
        client,
        xlsx(HOUSEHOLD_HEADERS, household_row(**{"Họ tên chủ hộ": "Nguyễn Văn Ân"})),
    )

    assert Household.objects.count() == 1
    household.refresh_from_db()
    assert household.head_name == "Nguyễn Văn Ân"


def test_reimporting_an_unchanged_file_changes_nothing(client, official):
    content = xlsx(HOUSEHOLD_HEADERS, household_row())
    import_file(client, content)

    preview = upload(client, content)

    assert [row.import_type for row in preview.context["result"].rows] == ["skip"]
    assert Household.history.count() == 1


def test_rows_for_another_ward_are_refused(client, official, area):
    content = xlsx(
        HOUSEHOLD_HEADERS,
        household_row(),
        household_row(**{"Mã xã/phường": "00070", "Mã hộ": "HK-0001"}),
    )

    problems = error_table(upload(client, content))

    assert problems[0][:2] == (3, "Mã xã/phường")
    assert "00070" in problems[0][2]
    assert Household.objects.count() == 0


def test_ward_code_that_excel_turned_into_a_number_is_understood(client, official):
    import_file(client, xlsx(HOUSEHOLD_HEADERS, household_row(**{"Mã xã/phường": 4})))

    assert Household.objects.get().ward_id == "00004"


def test_a_file_without_a_required_column_is_refused_whole(client, official):
    headers = [header for header in HOUSEHOLD_HEADERS if header != "Họ tên chủ hộ"]
    row = household_row()
    del row[HOUSEHOLD_HEADERS.index("Họ tên chủ hộ")]

    preview = upload(client, xlsx(headers, row))

    assert "Họ tên chủ hộ" in preview.text
    assert preview.context.get("confirm_form") is None
    assert Household.objects.count() == 0


def test_import_is_recorded_in_the_audit_trail(client, official):
    import_file(client, xlsx(HOUSEHOLD_HEADERS, household_row()))

    record = Household.history.get()
    assert record.history_type == "+"
    assert record.history_user == official


def test_province_staff_cannot_import(client, users):
    client.force_login(users[Role.PROVINCE])

    response = client.get("/admin/households/household/import/")

    assert response.status_code == 403


def resident_row(**cells):
    row = {
        "Mã xã/phường": "",
        "Mã hộ": "BD-0001",
        "Họ và tên": "Nguyễn Văn An",
        "Năm sinh": 1968,
        "Giới tính": "Nam",
        "Điện thoại": "",
        "Có điện thoại thông minh": "có",
        "VNeID": "mức 2",
        "Kỹ năng số": "",
        "Đầu mối số của hộ": "",
        "Khuyết tật": "",
        "Dân tộc thiểu số": "",
    }
    row.update(cells)
    return [row[header] for header in RESIDENT_HEADERS]


@pytest.fixture
def household(area):
    return Household.objects.create(
        ward=area.ward, hamlet=area.hamlet, code="BD-0001", head_name="Nguyễn Văn An"
    )


def test_residents_import_into_their_household(client, official, household):
    import_file(
        client,
        xlsx(
            RESIDENT_HEADERS,
            resident_row(**{"Đầu mối số của hộ": "có"}),
            resident_row(
                **{"Họ và tên": "Lê Thị Hoa", "Năm sinh": 1970, "Giới tính": "nữ"}
            ),
        ),
        model="resident",
    )

    head, wife = household.residents.order_by("birth_year")
    assert head.vneid_level == Resident.VneidLevel.LEVEL_2 and head.is_focal_person
    assert wife.gender == Resident.Gender.FEMALE and wife.ward_id == household.ward_id


def test_two_focal_persons_in_one_household_are_refused(client, official, household):
    content = xlsx(
        RESIDENT_HEADERS,
        resident_row(**{"Đầu mối số của hộ": "có"}),
        resident_row(**{"Họ và tên": "Lê Thị Hoa", "Đầu mối số của hộ": "có"}),
    )

    problems = error_table(upload(client, content, model="resident"))

    assert [(row, column) for row, column, _ in problems] == [(3, "Đầu mối số của hộ")]
    assert Resident.objects.count() == 0


def test_a_new_focal_person_takes_over_from_the_old_one(client, official, household):
    old = Resident.objects.create(
        household=household,
        full_name="Nguyễn Văn An",
        birth_year=1968,
        gender="male",
        has_smartphone=True,
        is_focal_person=True,
    )

    import_file(
        client,
        xlsx(
            RESIDENT_HEADERS,
            resident_row(
                **{
                    "Họ và tên": "Nguyễn Thu Trang",
                    "Năm sinh": 1995,
                    "Giới tính": "nữ",
                    "Đầu mối số của hộ": "có",
                }
            ),
        ),
        model="resident",
    )

    old.refresh_from_db()
    assert not old.is_focal_person
    assert household.residents.get(is_focal_person=True).full_name == "Nguyễn Thu Trang"


def test_a_resident_of_an_unknown_household_is_refused(client, official, household):
    problems = error_table(
        upload(
            client,
            xlsx(RESIDENT_HEADERS, resident_row(**{"Mã hộ": "BD-9999"})),
            model="resident",
        )
    )

    assert problems[0][:2] == (2, "Mã hộ")
    assert "BD-9999" in problems[0][2]


def export_csv(client, model="household") -> list[list[str]]:
    page = client.get("/admin/households/%s/export/" % model)
    form = page.context["form"]
    data = {"format": "1", "resource": "0"}
    data.update(
        {
            name: "on"
            for name, field in form.fields.items()
            if getattr(field, "is_selectable_field", False)
        }
    )
    response = client.post("/admin/households/%s/export/" % model, data)
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_export_shows_only_the_officials_ward(client, official, area, household):
    Household.objects.create(
        ward=area.neighbour_ward,
        hamlet=area.neighbour_hamlet,
        code="HK-0001",
        head_name="Phạm Thị Mai",
    )

    rows = export_csv(client)

    codes = [row[rows[0].index("Mã hộ")] for row in rows[1:]]
    assert codes == ["BD-0001"]
    assert "Phạm Thị Mai" not in str(rows)


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_export_neutralises_spreadsheet_formulas(client, official, household, prefix):
    Household.objects.filter(pk=household.pk).update(
        head_name=prefix + 'HYPERLINK("http://x.example","An")'
    )

    rows = export_csv(client)

    cell = rows[1][rows[0].index("Họ tên chủ hộ")]
    assert cell == "'" + prefix + 'HYPERLINK("http://x.example","An")'


def test_harmless_text_is_exported_unchanged():
    assert formula_neutralise("Nguyễn Văn An") == "Nguyễn Văn An"
    assert formula_neutralise(4) == 4


def test_exported_file_imports_back_unchanged(client, official, household):
    rows = export_csv(client)

    preview = upload(
        client, csv_bytes(rows[0], *rows[1:]), name="ho.csv", file_format=CSV
    )

    assert [row.import_type for row in preview.context["result"].rows] == ["skip"]

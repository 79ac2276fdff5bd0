"""What an official reads when a file cannot be imported: the row, the column
and the problem in Vietnamese, never a Python exception's name; nothing of a
refused file is stored, and the upload itself is deleted."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl.utils.datetime import from_excel

from accounts.models import Role
from areas.models import Hamlet
from areas.resources import HamletResource
from core.import_messages import legacy_encoding, vni_word
from households.models import Household, Resident
from tests.households.test_import_export import (
    HOUSEHOLD_HEADERS,
    RESIDENT_HEADERS,
    error_table,
    household_row,
    import_file,
    resident_row,
)

pytestmark = pytest.mark.django_db

XLSX, CSV = "0", "1"
HAMLET_HEADERS = HamletResource().template_headers()
EXCEPTION_NAME = re.compile(r"\b[A-Z][a-zA-Z]+(Error|Exception)\b|BadZipFile")
TITLE = "DANH SÁCH HỘ GIA ĐÌNH"


@pytest.fixture
def official(client, users, settings, tmp_path):
    settings.IMPORTS_DIR = tmp_path / "imports"
    client.force_login(users[Role.WARD])
    return users[Role.WARD]


def sheet(*rows, merged=(), title=False) -> bytes:
    """A workbook as an official makes it, optionally with a merged title
    row and a blank row above the column names."""
    book = openpyxl.Workbook()
    page = book.active
    if title:
        page.append([TITLE])
        page.merge_cells("A1:L1")
        page.append([])
    for row in rows:
        page.append(list(row))
    for cells in merged:
        page.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_in(encoding_rows: list[bytes]) -> bytes:
    header = ",".join(HOUSEHOLD_HEADERS).encode()
    return b"\r\n".join([header, *encoding_rows]) + b"\r\n"


def upload(client, content, *, name="ho.xlsx", file_format=XLSX, path=None):
    return client.post(
        path or "/admin/households/household/import/",
        {
            "resource": "0",
            "format": file_format,
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def messages(response) -> list[str]:
    """Every message about the file the import page shows."""
    context = response.context
    found = list(context["form"].errors.get("import_file", []))
    result = context.get("result")
    if result is not None:
        found += [str(error.error) for error in result.base_errors]
        found += [
            str(error.error) for _, errors in result.row_errors() for error in errors
        ]
        found += [message for _, _, message in error_table(response)]
    return found


def uploads_left(settings) -> list:
    folder = settings.IMPORTS_DIR
    return list(folder.iterdir()) if folder.exists() else []


def test_column_names_below_a_title_are_found_and_rows_keep_their_numbers(
    client, official
):
    content = sheet(
        HOUSEHOLD_HEADERS,
        household_row(),
        household_row(**{"Mã hộ": "BD-0002", "Số nhân khẩu": "bốn"}),
        title=True,
    )

    problems = error_table(upload(client, content))

    # Title on row 1, blank row 2, names on row 3: the bad row is the 5th.
    assert [(row, column) for row, column, _ in problems] == [(5, "Số nhân khẩu")]
    assert not Household.objects.exists()


def test_a_file_with_a_title_row_imports(client, official):
    import_file(client, sheet(HOUSEHOLD_HEADERS, household_row(), title=True))

    assert Household.objects.get().head_name == "Nguyễn Văn An"


def test_column_names_not_found_say_which_row_they_must_be_on(client, official):
    headers = [h if h != "Họ tên chủ hộ" else "Chủ hộ" for h in HOUSEHOLD_HEADERS]

    response = upload(client, sheet(headers, household_row(), title=True))

    text = " ".join(messages(response))
    assert "Họ tên chủ hộ" in text and "dòng 3" in text
    assert response.context.get("confirm_form") is None
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    "path, headers, row",
    [
        ("/admin/households/household/import/", HOUSEHOLD_HEADERS, household_row()),
        (
            "/admin/areas/hamlet/import/",
            HAMLET_HEADERS,
            ["", "Tổ 9", "Tổ dân phố", "có"],
        ),
    ],
)
def test_a_merged_cell_among_the_data_is_named(
    client, official, settings, path, headers, row
):
    second = list(row)
    second[1] = None
    content = sheet(headers, row, row, row, second, merged=["B4:B5"], title=True)

    response = upload(client, content, path=path)

    text = " ".join(messages(response))
    assert "Ô B4 đang gộp ô" in text and "B4:B5" in text
    assert "dòng 4" in text and headers[1] in text
    assert not Household.objects.exists()
    assert Hamlet.objects.filter(name="Tổ 9").count() == 0
    assert uploads_left(settings) == []


@pytest.mark.parametrize(
    "cell",
    [
        datetime.datetime(1968, 3, 15),  # a birth date typed in the year's cell
        from_excel(1968),  # 1968 typed in a cell formatted as a date
        "15/03/1968",
    ],
)
def test_a_birth_year_excel_took_for_a_date_is_read_as_its_year(
    client, official, area, cell
):
    Household.objects.create(
        ward=area.ward, hamlet=area.hamlet, code="BD-0001", head_name="Nguyễn Văn An"
    )
    content = sheet(
        RESIDENT_HEADERS,
        resident_row(**{"Năm sinh": cell}),
    )

    import_file(client, content, model="resident")

    assert Resident.objects.get().birth_year == 1968


@pytest.mark.parametrize(
    "encoding, row",
    [
        # "Thôn Đông", "Nguyễn Văn An" in Windows-1258 (tone marks combining)
        (
            "Windows-1258",
            ",Thôn Đông,BD-1,Nguy\xea\u0303n V\u0103n An,,,4".encode("cp1258"),
        ),
        # "Nguyễn Văn An", "Hà Nội" typed with a VNI font
        ("VNI", b",To 1,BD-1,Nguye\xe3n Va\xean An,H\xf8a No\xe4i,,4"),
        # the same in TCVN3 (ABC)
        ("TCVN3", b",To 1,BD-1,Nguy\xd4n V\xa8n An,H\xb5 N\xe9i,,4"),
    ],
)
@pytest.mark.parametrize(
    "path",
    ["/admin/households/household/import/", "/admin/households/resident/import/"],
)
def test_a_csv_in_a_legacy_encoding_is_named_with_how_to_save_it(
    client, official, settings, encoding, row, path
):
    response = upload(client, csv_in([row]), name="ho.csv", file_format=CSV, path=path)

    text = " ".join(messages(response))
    assert encoding in text and "CSV UTF-8" in text
    assert "bảng mã cũ" in text
    assert not Household.objects.exists()
    assert uploads_left(settings) == []


def test_legacy_encodings_are_told_apart():
    assert legacy_encoding(b"Viet Nam") is None
    assert legacy_encoding("Thôn Đông Hưng".encode("cp1258")) == "Windows-1258"
    assert legacy_encoding(b"Nguye\xe3n Va\xean An") == "VNI"
    assert legacy_encoding(b"Nguy\xd4n V\xa8n An") == "TCVN3 (ABC)"


def test_text_typed_with_a_vni_font_is_refused_by_row_and_column(client, official):
    content = sheet(
        HOUSEHOLD_HEADERS,
        household_row(),
        household_row(**{"Mã hộ": "BD-0002", "Họ tên chủ hộ": "Nguyeãn Vaên An"}),
    )

    problems = error_table(upload(client, content))

    assert [(row, column) for row, column, _ in problems] == [(3, "Họ tên chủ hộ")]
    assert "Nguyeãn" in problems[0][2] and "VNI" in problems[0][2]
    assert not Household.objects.exists()


def test_vietnamese_text_is_not_taken_for_vni():
    for text in ("Nguyễn Văn An", "Ngoan ngoãn", "trì hoãn", "Quân", "Khuê", "Huế"):
        assert vni_word(text) is None, text
    assert vni_word("Traàn Thò Bình") == "Traàn"  # "Trần Thị Bình" in VNI
    assert vni_word("Hoøa") == "Hoøa"


def test_a_repeated_key_names_its_column(client, official):
    path = "/admin/areas/hamlet/import/"
    row = ["", "Tổ 9", "Tổ dân phố", "có"]

    problems = error_table(upload(client, sheet(HAMLET_HEADERS, row, row), path=path))

    assert [(line, column) for line, column, _ in problems] == [
        (3, "Tên thôn/tổ dân phố")
    ]
    assert "dòng 2" in problems[0][2]
    assert not Hamlet.objects.filter(name="Tổ 9").exists()


def broken_files():
    good = sheet(HOUSEHOLD_HEADERS, household_row())
    return {
        "random bytes as xlsx": (b"\x00\x01garbage" * 50, XLSX),
        "csv chosen as xlsx": (b"Ma ho,Ho ten\r\nBD-1,An\r\n", XLSX),
        "truncated xlsx": (good[: len(good) // 2], XLSX),
        "xlsx chosen as csv": (good, CSV),
        "cp1258 csv": (csv_in(["x,Thôn Đông,BD-1".encode("cp1258")]), CSV),
        "nul bytes": (csv_in([b",To 1,BD-1,\x00An,,,4"]), CSV),
        "unclosed quote": (csv_in([b',To 1,BD-1,"An' + b"x" * 200_000]), CSV),
        "empty csv": (b"", CSV),
        "title only": (sheet(title=True), XLSX),
        "no column names": (sheet(["DANH SÁCH"], ["BD-1"], ["BD-2"]), XLSX),
        "merged": (sheet(HOUSEHOLD_HEADERS, household_row(), merged=["A2:B2"]), XLSX),
    }


@pytest.mark.parametrize(
    "path", ["/admin/households/household/import/", "/admin/areas/hamlet/import/"]
)
@pytest.mark.parametrize("case", list(broken_files()))
def test_no_message_names_a_python_exception(client, official, settings, case, path):
    content, file_format = broken_files()[case]
    name = "ho.xlsx" if file_format == XLSX else "ho.csv"

    response = upload(client, content, name=name, file_format=file_format, path=path)

    found = messages(response)
    assert found, case
    for message in found:
        assert not EXCEPTION_NAME.search(message), (case, message)
    assert not EXCEPTION_NAME.search(response.text), case
    assert response.context.get("confirm_form") is None
    assert not Household.objects.exists()
    assert uploads_left(settings) == []


def test_a_workbook_chosen_as_csv_is_told_to_choose_xlsx(client, official):
    content = sheet(HOUSEHOLD_HEADERS, household_row())

    response = upload(client, content, name="ho.csv", file_format=CSV)

    assert "sổ tính Excel" in " ".join(messages(response))
    assert "xlsx" in " ".join(messages(response))
    assert not Household.objects.exists()


def test_a_list_read_whole_numbers_rows_below_a_title_too(client, official):
    content = sheet(
        HAMLET_HEADERS,
        ["", "Tổ 9", "Tổ dân phố", "có"],
        ["", "Tổ 10", "Tổ dân phố", "chưa rõ"],
        title=True,
    )

    problems = error_table(upload(client, content, path="/admin/areas/hamlet/import/"))

    assert [(row, column) for row, column, _ in problems] == [(5, "Đang hoạt động")]
    assert not Hamlet.objects.filter(name__in=["Tổ 9", "Tổ 10"]).exists()

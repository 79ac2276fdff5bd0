"""Attendance lists from the trainers' spreadsheets, through the admin import."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from tests.assistance.factories import MemberFactory
from training.models import Attendance
from training.resources import AttendanceResource

pytestmark = pytest.mark.django_db

HEADERS = AttendanceResource().template_headers()
IMPORT = "/admin/training/attendance/import/"
PROCESS = "/admin/training/attendance/process_import/"


NOT_COMPLETED = {"Trạng thái": "tham dự", "Điểm": None, "Ngày cấp chứng chỉ": None}


def row(**cells) -> list:
    values = {
        "Mã lớp": "ONETOUCH-2026-01",
        "Mã xã/phường": "",
        "Họ tên": "Trần Thị Bình",
        "Số điện thoại thành viên": "0912000111",
        "Trạng thái": "hoàn thành",
        "Điểm": 85.5,
        "Ngày cấp chứng chỉ": datetime.datetime(2026, 3, 25),
    }
    values.update(cells)
    return [values[header] for header in HEADERS]


def xlsx(*rows) -> bytes:
    """A workbook as trainers save it: typed numbers and dates, a header row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for values in rows:
        sheet.append(values)
    content = io.BytesIO()
    book.save(content)
    return content.getvalue()


def upload(client, content):
    return client.post(
        IMPORT,
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("hoc-vien.xlsx", content),
        },
    )


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(
        PROCESS, {name: form.initial.get(name, "") for name in form.fields}
    )


def import_file(client, content):
    preview = upload(client, content)
    assert preview.context.get("confirm_form") is not None, error_table(preview)
    return confirm(client, preview)


def error_table(response) -> list[tuple[int, str, str]]:
    """The (row, column, problem) triples the preview page shows."""
    result = response.context["result"]
    return [
        (line.number + 1, column, message)
        for line in result.invalid_rows
        for column, messages in line.error_dict.items()
        for message in messages
    ]


@pytest.fixture
def official(client, users):
    client.force_login(users[Role.WARD])
    return users[Role.WARD]


def test_template_has_the_vietnamese_columns(client, official):
    response = client.get("/admin/training/attendance/import-template.xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in next(sheet.iter_rows())] == [
        "Mã lớp",
        "Mã xã/phường",
        "Họ tên",
        "Số điện thoại thành viên",
        "Trạng thái",
        "Điểm",
        "Ngày cấp chứng chỉ",
    ]


def test_a_good_list_is_imported(client, official, training, members):
    content = xlsx(
        row(),
        row(
            **{
                "Mã lớp": "bd-2026-01",
                "Họ tên": "Trần Thị Bình",
                "Trạng thái": "tham dự",
                "Điểm": None,
                "Ngày cấp chứng chỉ": None,
            }
        ),
        row(
            **{
                "Mã lớp": "BD-2026-01",
                "Mã xã/phường": 4,  # Excel turned "00004" into a number
                "Họ tên": "nguyen van an",
                "Số điện thoại thành viên": 912345678,  # and dropped the 0
                "Trạng thái": "Hoàn thành",
                "Điểm": "9,5",
                "Ngày cấp chứng chỉ": "10/04/2026",
            }
        ),
    )

    preview = upload(client, content)
    assert [line.import_type for line in preview.context["result"].rows] == [
        "new",
        "new",
        "update",
    ]
    assert not Attendance.objects.filter(member=members.colleague).exists()
    confirm(client, preview)

    at_province = Attendance.objects.get(
        member=members.colleague, event=training.province_event
    )
    assert (at_province.status, at_province.score) == ("completed", Decimal("85.5"))
    assert at_province.certificate_date == datetime.date(2026, 3, 25)
    at_ward = Attendance.objects.get(
        member=members.colleague, event=training.ward_event
    )
    assert (at_ward.status, at_ward.score, at_ward.certificate_date) == (
        "attended",
        None,
        None,
    )
    training.mine_at_ward.refresh_from_db()
    assert training.mine_at_ward.status == "completed"
    assert training.mine_at_ward.score == Decimal("9.5")
    assert training.mine_at_ward.certificate_date == datetime.date(2026, 4, 10)
    assert at_province.history.get().history_user == official


def test_bad_rows_are_named_by_row_column_and_reason_and_nothing_is_written(
    client, official, area, training, members
):
    MemberFactory(ward=area.ward, full_name="Lê Thị Cúc", phone="0912000222")
    content = xlsx(
        row(),
        row(**{"Số điện thoại thành viên": "0911999999"}),
        row(**{"Mã lớp": "KHONG-CO-LOP"}),
        row(
            **{
                "Mã lớp": "BD-2026-01",
                "Số điện thoại thành viên": "0912345678",
                "Họ tên": "Nguyễn Văn An",
                "Trạng thái": "tham dự",
                "Ngày cấp chứng chỉ": "10/04/2026",
            }
        ),
        row(
            **{
                "Họ tên": "Nguyễn Văn An",
                "Số điện thoại thành viên": "0912345678",
                "Điểm": 120,
            }
        ),
        row(
            **{
                "Họ tên": "Phạm Thị Mai",
                "Số điện thoại thành viên": "0987654321",
            }
        ),
        row(**{"Mã xã/phường": "00070"}),
        row(**{"Mã lớp": "BD-2026-01", "Họ tên": "Lê Văn Cường", **NOT_COMPLETED}),
        row(**{"Mã lớp": "HK-2026-01"}),
        row(
            **{
                "Mã lớp": "BD-2026-01",
                "Họ tên": "Lê Thị Cúc",
                "Số điện thoại thành viên": "0912000222",
                **NOT_COMPLETED,
                "Trạng thái": "vắng",
            }
        ),
    )

    preview = upload(client, content)

    problems = error_table(preview)
    assert [(line, column) for line, column, _ in problems] == [
        (3, "Số điện thoại thành viên"),
        (4, "Mã lớp"),
        (5, "Ngày cấp chứng chỉ"),
        (6, "Điểm"),
        (7, "Số điện thoại thành viên"),
        (8, "Mã xã/phường"),
        (9, "Họ tên"),
        (10, "Mã lớp"),
        (11, "Trạng thái"),
    ]
    reasons = [reason for _, _, reason in problems]
    assert "0911999999" in reasons[0] and "Phường Ba Đình" in reasons[0]
    assert "KHONG-CO-LOP" in reasons[1]
    assert "100" in reasons[3]
    assert "0987654321" in reasons[4]
    assert "00070" in reasons[5]
    assert "Trần Thị Bình" in reasons[6] and "Lê Văn Cường" in reasons[6]
    assert "HK-2026-01" in reasons[7]
    assert "vắng" in reasons[8] and "hoàn thành" in reasons[8]
    assert preview.context.get("confirm_form") is None
    assert "Ngày cấp chứng chỉ" in preview.text and "KHONG-CO-LOP" in preview.text
    assert not Attendance.objects.filter(member=members.colleague).exists()
    assert Attendance.objects.count() == 5


def test_a_list_with_one_bad_row_imports_nothing_even_without_preview(
    official, training, members
):
    dataset = tablib.Dataset(row(), row(**{"Mã lớp": "KHONG-CO-LOP"}), headers=HEADERS)

    result = AttendanceResource(who=official).import_data(dataset, dry_run=False)

    assert result.has_validation_errors()
    assert not Attendance.objects.filter(member=members.colleague).exists()


def test_the_same_member_twice_for_one_event_is_an_error(
    client, official, training, members
):
    problems = error_table(
        upload(client, xlsx(row(), row(**{"Mã lớp": "onetouch-2026-01"})))
    )

    assert len(problems) == 1
    assert problems[0][0] == 3


def test_reimport_updates_status_and_score_without_duplicates(
    client, official, training, members
):
    registered = row(
        **{"Trạng thái": "đăng ký", "Điểm": None, "Ngày cấp chứng chỉ": None}
    )
    import_file(client, xlsx(registered))
    attendance = Attendance.objects.get(member=members.colleague)
    assert attendance.status == "registered"

    preview = upload(client, xlsx(row(**{"Điểm": 78})))
    assert [line.import_type for line in preview.context["result"].rows] == ["update"]
    confirm(client, preview)

    assert Attendance.objects.filter(member=members.colleague).count() == 1
    attendance.refresh_from_db()
    assert (attendance.status, attendance.score) == ("completed", Decimal("78"))
    assert [record.status for record in attendance.history.all()] == [
        "completed",
        "registered",
    ]


def test_reimporting_an_unchanged_list_changes_nothing(
    client, official, training, members
):
    content = xlsx(row())
    import_file(client, content)

    preview = upload(client, content)

    assert [line.import_type for line in preview.context["result"].rows] == ["skip"]
    assert Attendance.history.filter(member=members.colleague).count() == 1


def test_province_staff_import_the_provinces_event_across_wards(
    client, users, training, members
):
    client.force_login(users[Role.PROVINCE])

    import_file(
        client,
        xlsx(
            row(**{"Mã xã/phường": "00004"}),
            row(
                **{
                    "Mã xã/phường": "00070",
                    "Họ tên": "Phạm Thị Mai",
                    "Số điện thoại thành viên": "0987654321",
                    "Điểm": 70,
                }
            ),
        ),
    )

    training.neighbour_at_province.refresh_from_db()
    assert training.neighbour_at_province.status == "completed"
    assert Attendance.objects.filter(member=members.colleague).count() == 1


def test_province_staff_cannot_import_a_wards_event(client, users, training):
    client.force_login(users[Role.PROVINCE])

    problems = error_table(
        upload(
            client,
            xlsx(
                row(
                    **{
                        "Mã xã/phường": "00004",
                        "Mã lớp": "BD-2026-01",
                        "Ngày cấp chứng chỉ": "10/04/2026",
                    }
                )
            ),
        )
    )

    assert [(line, column) for line, column, _ in problems] == [(2, "Mã lớp")]
    assert "Phường Ba Đình" in problems[0][2]


def test_province_staff_name_the_ward_of_each_row(client, users, training):
    client.force_login(users[Role.PROVINCE])

    problems = error_table(upload(client, xlsx(row())))

    assert [(line, column) for line, column, _ in problems] == [(2, "Mã xã/phường")]


def test_export_gives_back_an_importable_list(client, official, training):
    response = client.post(
        "/admin/training/attendance/export/",
        {
            "format": "0",
            "resource": "0",
            **{
                "attendanceresource_" + name: "on"
                for name in (
                    "event",
                    "ward",
                    "full_name",
                    "member",
                    "status",
                    "score",
                    "certificate_date",
                )
            },
        },
    )

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    lines = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert lines[0] == HEADERS
    assert [
        "ONETOUCH-2026-01",
        "00004",
        "Nguyễn Văn An",
        "0912345678",
        "hoàn thành",
        92,
        "25/03/2026",
    ] in lines
    assert len(lines) == 3

    again = upload(client, response.content)

    assert [line.import_type for line in again.context["result"].rows] == [
        "skip",
        "skip",
    ]

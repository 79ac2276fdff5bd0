"""The province's own monthly report: its wards' approved figures added up."""

import datetime
import io

import openpyxl
import pytest

from accounts.models import Role
from reports.monthly import monthly_report_approve, monthly_report_submit
from reports.services import stats_recompute
from tests.accounts.factories import UserFactory
from tests.assistance.factories import SessionFactory

pytestmark = pytest.mark.django_db

PAGE = "/dashboard/monthly/province/"


@pytest.fixture
def worked(area, day_in):
    """Two sessions in Ba Đình last month, one in its neighbour, counted."""
    for hours in (0, 1):
        SessionFactory(
            team=area.team, started_at=day_in + datetime.timedelta(hours=hours)
        )
    SessionFactory(team=area.neighbour_team, started_at=day_in)
    stats_recompute()


@pytest.fixture
def as_province(client, province_staff):
    client.force_login(province_staff)
    return client


def approve(ward, month, province_staff):
    official = UserFactory(role=Role.WARD, ward=ward)
    report = monthly_report_submit(user=official, ward=ward, month=month)
    return monthly_report_approve(user=province_staff, report=report)


def section(text: str, title: str) -> str:
    return text.split(title)[1].split("</section>")[0]


def test_the_list_links_to_the_provinces_report(as_province, month):
    text = as_province.get("/dashboard/monthly/wards/").content.decode()

    assert 'href="%s?month=%s"' % (PAGE, month.strftime("%Y-%m")) in text
    assert "Báo cáo của tỉnh" in text


def test_only_approved_wards_are_added_up_and_the_others_are_missing(
    as_province, area, worked, month, province_staff, day_in
):
    approve(area.ward, month, province_staff)
    # Logged after the approval was counted: not in the approved figures.
    SessionFactory(team=area.team, started_at=day_in + datetime.timedelta(days=5))
    stats_recompute()

    text = as_province.get(PAGE, {"month": month.strftime("%Y-%m")}).content.decode()

    assert "Báo cáo tháng — Thành phố Hà Nội, tháng %s" % month.strftime("%m/%Y") in (
        text
    )
    missing = section(text, "Xã, phường chưa có")
    assert area.neighbour_ward.name in missing
    assert area.ward.name not in missing
    headline = section(text, "Chỉ tiêu chính")
    assert '<td class="num">2</td>' in headline.split("</tr>")[0]
    by_ward = section(text, "Theo xã, phường")
    assert area.ward.name in by_ward
    assert area.neighbour_ward.name not in by_ward


def test_once_every_ward_is_approved_nothing_is_missing(
    as_province, area, worked, month, province_staff
):
    approve(area.ward, month, province_staff)
    approve(area.neighbour_ward, month, province_staff)

    text = as_province.get(PAGE, {"month": month.strftime("%Y-%m")}).content.decode()

    assert "Báo cáo của mọi xã, phường đã được phê duyệt." in text
    headline = section(text, "Chỉ tiêu chính")
    assert '<td class="num">3</td>' in headline.split("</tr>")[0]


def test_the_provinces_report_downloads_as_an_excel_workbook(
    as_province, area, worked, month, province_staff
):
    approve(area.ward, month, province_staff)

    response = as_province.get(
        PAGE, {"month": month.strftime("%Y-%m"), "export": "xlsx"}
    )

    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-thang_01_%s.xlsx"' % month.strftime("%Y-%m")
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell for cell in row if cell is not None] for row in sheet.values]
    assert rows[0] == [
        "Báo cáo tháng — Thành phố Hà Nội, tháng %s" % month.strftime("%m/%Y")
    ]
    assert ["Lượt hỗ trợ", 2] in rows
    assert [area.ward.name, 2, 0, 0, 0, 0, 0] in rows
    assert [area.neighbour_ward.name, "Chưa bắt đầu"] in rows


@pytest.mark.parametrize("role", [Role.WARD, Role.TEAM_LEADER, Role.TEAM_MEMBER])
def test_only_province_staff_open_it(client, users, role):
    client.force_login(users[role])

    assert client.get(PAGE).status_code == 403

"""A ward official fills the household template in Excel and imports it."""

import io

import openpyxl
import pytest
from django.core.management import call_command

from households.models import Household
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())


def test_official_imports_the_filled_template_and_finds_the_households(
    demo, desktop_page, tmp_path
):
    page = desktop_page
    sign_in(page, "phuong.badinh", "demo1234")
    page.goto("/admin/households/household/import/")

    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.suffix == ".xlsx"
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    for code, head, phone in (
        ("TH-001", "Nguyễn Văn Thử", "0912000111"),
        ("TH-002", "Đặng Thị Thơm", "0912000222"),
    ):
        row = dict.fromkeys(headers, "")
        row.update(
            {
                "Thôn/Tổ dân phố": "Tổ dân phố số 1",
                "Mã hộ": code,
                "Họ tên chủ hộ": head,
                "Điện thoại": phone,
                "Số nhân khẩu": 3,
            }
        )
        sheet.append([row[header] for header in headers])
    filled = tmp_path / "ho-gia-dinh.xlsx"
    workbook.save(filled)

    page.locator("input[name=import_file]").set_input_files(filled)
    page.locator("select[name=format]").select_option(label="xlsx")
    page.get_by_role("button", name="Gửi").click()
    totals = page.locator(".registry-import-totals").inner_text()
    assert totals == "2 mới, 0 cập nhật, 0 không đổi."
    assert not Household.objects.filter(code="TH-001").exists()
    page.get_by_role("button", name="Xác nhận nhập").click()
    page.wait_for_url("**/admin/households/household/")
    assert "2 mới" in page.locator(".messagelist").inner_text()

    page.locator("#searchbar").fill("dang thi thom")
    page.locator("#searchbar").press("Enter")
    page.wait_for_url("**/admin/households/household/?q=dang+thi+thom")
    results = page.locator("#result_list tbody tr")
    assert results.count() == 1
    assert "Đặng Thị Thơm" in results.first.inner_text()


def test_the_list_title_stays_readable_beside_its_five_tools(demo, desktop_page):
    page = desktop_page
    sign_in(page, "phuong.badinh", "demo1234")
    page.goto("/admin/households/household/")

    title = page.locator("#content h1").bounding_box()
    tools = page.locator(".object-tools li")
    assert tools.count() == 5  # CSV, Excel job, import, export, add
    for index in range(tools.count()):
        tool = tools.nth(index).bounding_box()
        assert tool["y"] >= title["y"] + title["height"], "a tool covers the title"
    excel, csv = (
        page.get_by_role("button", name="Xuất Excel (tệp lớn)").bounding_box(),
        page.get_by_role("link", name="Tải CSV").bounding_box(),
    )
    assert (excel["y"], excel["height"]) == pytest.approx(
        (csv["y"], csv["height"]), abs=1
    )

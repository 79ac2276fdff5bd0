"""The province's and the country's dashboards say which figures are approved."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from reports.monthly import month_end, monthly_report_approve, monthly_report_reopen
from reports.services import stats_recompute
from tests.assistance.factories import SessionFactory
from tests.reports.monthly.test_approved_figures import approve

pytestmark = pytest.mark.django_db


def whole(month) -> dict:
    return {
        "from": month.strftime("%d/%m/%Y"),
        "to": month_end(month).strftime("%d/%m/%Y"),
    }


@pytest.fixture
def browse(client, users):
    def get(role, url, period):
        client.force_login(users[role])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get(url, period)
        assert response.status_code == 200
        return response.content.decode()

    return get


def province_page(browse, area, month):
    return browse(
        Role.PROVINCE, "/dashboard/province/%s/" % area.province.pk, whole(month)
    )


def ranking_row(page: str, name: str) -> str:
    table = page.split('id="table-ranking"')[1].split("</table>")[0]
    return table.split(name)[1].split("</tr>")[0]


def test_a_province_says_how_many_of_its_wards_are_approved(
    browse, area, month, submitted, province_staff
):
    before = province_page(browse, area, month)
    monthly_report_approve(user=province_staff, report=submitted)
    after = province_page(browse, area, month)

    label = month.strftime("%m/%Y")
    assert "Month %s: 0/2 wards approved — provisional figures" % label in before
    # The page kept for the province moved with the approval.
    assert "Month %s: 1/2 wards approved — provisional figures" % label in after


def test_a_province_is_approved_once_all_its_wards_are(
    browse, area, month, submitted, province_staff
):
    monthly_report_approve(user=province_staff, report=submitted)
    approve(area.neighbour_ward, month, province_staff)

    page = province_page(browse, area, month)

    assert "Month %s: 2/2 wards approved<" % month.strftime("%m/%Y") in page
    assert "provisional figures" not in page


def test_each_ward_row_is_marked_approved_or_provisional(
    browse, area, month, submitted, province_staff
):
    monthly_report_approve(user=province_staff, report=submitted)

    page = province_page(browse, area, month)

    assert ">approved<" in ranking_row(page, "Phường Ba Đình")
    assert ">provisional<" in ranking_row(page, "Phường Hoàn Kiếm")


def test_a_reopen_makes_the_ward_provisional_again(
    browse, area, month, submitted, province_staff
):
    approved = monthly_report_approve(user=province_staff, report=submitted)
    province_page(browse, area, month)
    monthly_report_reopen(user=province_staff, report=approved, reason="Bổ sung")

    page = province_page(browse, area, month)

    assert "Month %s: 0/2" % month.strftime("%m/%Y") in page
    assert ">provisional<" in ranking_row(page, "Phường Ba Đình")


def test_a_ward_row_shows_its_approved_figure_where_it_differs(
    browse, area, month, day_in, submitted, province_staff
):
    SessionFactory(team=area.team, started_at=day_in)
    stats_recompute()
    monthly_report_approve(user=province_staff, report=submitted)
    approve(area.neighbour_ward, month, province_staff)
    # Logged before the approval, counted by a refresh that lands after it.
    SessionFactory(team=area.team, started_at=day_in + datetime.timedelta(hours=1))
    stats_recompute()

    page = province_page(browse, area, month)

    row = ranking_row(page, "Phường Ba Đình")
    assert "as approved: 1" in row
    assert "as approved:" not in ranking_row(page, "Phường Hoàn Kiếm")
    # Both wards approved: the province's headline is too, beside the live one.
    tile = page.split('data-code="sessions"')[1].split("</li>")[0]
    assert '<strong class="figure-value">2</strong>' in tile
    assert "as approved: 1" in tile


def test_a_longer_period_shows_no_approved_figure(
    browse, area, month, day_in, submitted, province_staff
):
    SessionFactory(team=area.team, started_at=day_in)
    stats_recompute()
    monthly_report_approve(user=province_staff, report=submitted)
    SessionFactory(team=area.team, started_at=day_in + datetime.timedelta(hours=1))
    stats_recompute()
    period = whole(month)
    period["to"] = (month_end(month) + datetime.timedelta(days=1)).strftime("%d/%m/%Y")

    page = browse(Role.PROVINCE, "/dashboard/province/%s/" % area.province.pk, period)

    assert "as approved:" not in page
    assert ">provisional<" in ranking_row(page, "Phường Ba Đình")  # next month is not


def test_the_country_shows_each_provinces_share_of_approved_wards(
    browse, area, month, submitted, province_staff
):
    before = browse(Role.NATIONAL, "/dashboard/national/", whole(month))
    monthly_report_approve(user=province_staff, report=submitted)

    page = browse(Role.NATIONAL, "/dashboard/national/", whole(month))

    label = month.strftime("%m/%Y")
    assert "Month %s: 0/3 wards approved" % label in before
    assert "Month %s: 1/3 wards approved — provisional figures" % label in page
    share = ranking_row(page, "Thành phố Hà Nội").split("</td>")[-2]
    assert share.endswith(">50\xa0%")
    share = ranking_row(page, "Thành phố Hồ Chí Minh").split("</td>")[-2]
    assert share.endswith(">0\xa0%")


@pytest.mark.parametrize(
    "role, url", [(Role.PROVINCE, "province"), (Role.NATIONAL, "national")]
)
def test_the_reports_are_read_in_one_query_and_kept_with_the_page(
    client, users, area, month, submitted, province_staff, role, url
):
    monthly_report_approve(user=province_staff, report=submitted)
    approve(area.neighbour_ward, month, province_staff)
    address = (
        "/dashboard/province/%s/" % area.province.pk
        if url == "province"
        else "/dashboard/national/"
    )
    client.force_login(users[role])

    with CaptureQueriesContext(connection) as first:
        client.get(address, whole(month))
    with CaptureQueriesContext(connection) as again:
        client.get(address, whole(month))

    def reads(queries):
        return [q for q in queries if '"reports_monthlyreport"' in q["sql"]]

    assert len(reads(first.captured_queries)) == 1
    assert reads(again.captured_queries) == []

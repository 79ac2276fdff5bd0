"""Each figure says whether it is approved or provisional, in the API and pages."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from reports.monthly import (
    month_end,
    monthly_report_approve,
    monthly_report_reopen,
    monthly_report_submit,
)
from reports.services import stats_recompute
from tests.accounts.factories import UserFactory
from tests.assistance.factories import SessionFactory

pytestmark = pytest.mark.django_db

STATS = "/api/v1/stats/"
SUMMARY = "/api/v1/stats/summary/"


@pytest.fixture
def client(with_key, area):
    return with_key("province", province=area.province)


@pytest.fixture
def worked(area, day_in):
    """Two sessions in Ba Đình last month, one in its neighbour, counted."""
    for hours in (0, 1):
        SessionFactory(
            team=area.team, started_at=day_in + datetime.timedelta(hours=hours)
        )
    SessionFactory(team=area.neighbour_team, started_at=day_in)
    stats_recompute()


def approve(ward, month, province_staff):
    official = UserFactory(role=Role.WARD, ward=ward)
    report = monthly_report_submit(user=official, ward=ward, month=month)
    return monthly_report_approve(user=province_staff, report=report)


def month_query(month, **params):
    return {
        "date_from": month.isoformat(),
        "date_to": month_end(month).isoformat(),
        **params,
    }


def test_a_ward_month_is_provisional_then_approved_then_provisional_again(
    client, area, worked, month, submitted, province_staff
):
    query = month_query(month, level="ward", code=area.ward.pk, interval="month")
    before = client.get(STATS, query)

    approved = monthly_report_approve(user=province_staff, report=submitted)
    after = client.get(STATS, query, HTTP_IF_NONE_MATCH=before["ETag"])
    monthly_report_reopen(user=province_staff, report=approved, reason="Bổ sung")
    reopened = client.get(STATS, query, HTTP_IF_NONE_MATCH=after["ETag"])

    assert [row["approved"] for row in before.json()["results"]] == [False]
    assert after.status_code == 200  # the approval moved the ETag
    assert [row["approved"] for row in after.json()["results"]] == [True]
    assert after.json()["results"][0]["sessions"] == 2
    assert reopened.status_code == 200
    assert [row["approved"] for row in reopened.json()["results"]] == [False]


def test_a_day_row_is_approved_with_its_month(
    client, area, worked, month, submitted, province_staff
):
    monthly_report_approve(user=province_staff, report=submitted)
    query = {
        "level": "ward",
        "code": area.ward.pk,
        "interval": "day",
        "date_from": (month_end(month) - datetime.timedelta(days=1)).isoformat(),
        "date_to": (month_end(month) + datetime.timedelta(days=1)).isoformat(),
    }

    rows = client.get(STATS, query).json()["results"]

    assert [(row["period"], row["approved"]) for row in rows] == [
        ((month_end(month) - datetime.timedelta(days=1)).isoformat(), True),
        (month_end(month).isoformat(), True),
        ((month_end(month) + datetime.timedelta(days=1)).isoformat(), False),
    ]


def test_a_provinces_rows_by_ward_are_approved_ward_by_ward(
    client, area, worked, month, submitted, province_staff
):
    monthly_report_approve(user=province_staff, report=submitted)
    query = month_query(
        month, level="province", code=area.province.pk, interval="month", group="ward"
    )

    rows = client.get(STATS, query).json()["results"]

    assert {row["group"]: row["approved"] for row in rows} == {
        area.ward.pk: True,
        area.neighbour_ward.pk: False,
    }


def test_a_province_is_approved_only_once_all_its_wards_are(
    client, area, worked, month, submitted, province_staff
):
    query = month_query(month, level="province", code=area.province.pk)
    monthly_report_approve(user=province_staff, report=submitted)
    one = client.get(SUMMARY, query)
    approve(area.neighbour_ward, month, province_staff)
    both = client.get(SUMMARY, query, HTTP_IF_NONE_MATCH=one["ETag"])
    longer = client.get(
        SUMMARY,
        {**query, "date_to": (month_end(month) + datetime.timedelta(days=1))},
    )

    assert one.json()["approved"] is False
    assert both.status_code == 200
    assert both.json()["approved"] is True
    assert both.json()["sessions"] == 3
    assert longer.json()["approved"] is False  # a day of an unapproved month


def test_the_ward_dashboard_says_which_months_are_approved(
    client, area, users, worked, month, submitted, province_staff
):
    monthly_report_approve(user=province_staff, report=submitted)
    browser = client.__class__()
    browser.force_login(users[Role.WARD])
    today = timezone.localdate()

    page = browser.get(
        "/dashboard/",
        {"from": month.strftime("%d/%m/%Y"), "to": today.strftime("%d/%m/%Y")},
        HTTP_ACCEPT_LANGUAGE="vi",
    )

    text = page.content.decode()
    assert "Tháng %s: đã phê duyệt" % month.strftime("%m/%Y") in text
    assert "Tháng %s: số liệu tạm thời" % today.strftime("%m/%Y") in text


def test_an_approved_month_shows_its_approved_figure_where_it_differs(
    area, users, day_in, month, submitted, province_staff, client
):
    SessionFactory(team=area.team, started_at=day_in)
    stats_recompute()
    # Logged before the approval, counted by a refresh that lands after it.
    SessionFactory(team=area.team, started_at=day_in + datetime.timedelta(hours=1))
    monthly_report_approve(user=province_staff, report=submitted)
    browser = client.__class__()
    browser.force_login(users[Role.WARD])
    period = {
        "from": month.strftime("%d/%m/%Y"),
        "to": month_end(month).strftime("%d/%m/%Y"),
    }

    same = browser.get("/dashboard/", period, HTTP_ACCEPT_LANGUAGE="vi")
    stats_recompute()
    moved = browser.get("/dashboard/", period, HTTP_ACCEPT_LANGUAGE="vi")

    assert "đã duyệt:" not in same.content.decode()
    tile = moved.content.decode().split('data-code="sessions"')[1].split("</li>")[0]
    assert '<strong class="figure-value">2</strong>' in tile
    assert "đã duyệt: 1" in tile

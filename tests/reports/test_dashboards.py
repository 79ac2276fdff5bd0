"""Ward, province and national dashboards: figures, scope, sort, period, export."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from accounts.models import Role
from assistance.models import CampaignTarget, Indicator
from reports.dashboards import period_parse
from reports.services import stats_recompute
from reports.templatetags.dashboard import figure, percent
from tests.accounts.factories import UserFactory
from tests.assistance.factories import (
    CampaignFactory,
    SessionFactory,
)
from tests.reports.conftest import days_ago

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def tile(response, code):
    return next(t for t in response.context["tiles"] if t["code"] == code)


def test_ward_dashboard_shows_the_wards_figures(client, users, area, activity):
    client.force_login(users[Role.WARD])

    response = client.get("/dashboard/")

    assert response.status_code == 200
    sessions = tile(response, "sessions")
    assert (sessions["value"], sessions["previous"]) == (3, 1)
    assert sessions["change"] == {"direction": "up", "ratio": 2.0, "previous": 1}
    assert tile(response, "level2_activations")["value"] == 3
    assert tile(response, "open_follow_ups")["value"] == 3
    assert "Bảng điều khiển — Phường Ba Đình" in response.text
    assert "200\xa0%" in response.text


def test_ward_dashboard_tables_by_hamlet_team_service_and_member(
    client, users, area, activity
):
    client.force_login(users[Role.WARD])

    context = client.get("/dashboard/").context

    assert context["hamlets"].rows == [
        {"name": area.hamlet.name, "sessions": 3, "households_reached": 1}
    ]
    assert [(row["name"], row["sessions"]) for row in context["teams"].rows] == [
        (area.team.name, 3)
    ]
    assert context["teams"].rows[0]["members"] == 1
    services = {row["name"]: row for row in context["services"].rows}
    assert services["Kích hoạt định danh điện tử mức 2"]["done"] == 3
    assert services["Thanh toán điện, nước bằng mã QR"]["follow_up"] == 3
    assert context["workload"].rows == [
        {"name": "Nguyễn Văn An", "sessions": 3, "days": 3, "per_day": 1.0}
    ]
    assert sum(row["sessions"] for row in context["trend"].rows) == 3


def test_figures_come_from_the_summary_tables_not_the_sessions(client, users, area):
    SessionFactory(team=area.team, started_at=days_ago(1))
    client.force_login(users[Role.WARD])

    before = tile(client.get("/dashboard/"), "sessions")["value"]
    stats_recompute()
    after = tile(client.get("/dashboard/"), "sessions")["value"]

    assert (before, after) == (0, 1)


def test_ward_dashboard_shows_progress_of_campaigns_covering_the_ward(
    client, users, area, activity
):
    today = timezone.localdate()
    period = {"starts_on": today - datetime.timedelta(days=10), "ends_on": today}
    mine = CampaignFactory(province=area.province, ward=area.ward, **period)
    CampaignTarget.objects.create(
        campaign=mine, indicator=Indicator.SESSIONS, target=10
    )
    CampaignFactory(province=area.province, ward=area.neighbour_ward, **period)
    client.force_login(users[Role.WARD])

    response = client.get("/dashboard/")

    [(campaign, targets)] = response.context["campaigns"]
    assert campaign == mine
    assert targets[0]["count"] == 3
    assert "30\xa0%" in response.text
    assert '<progress max="10" value="3"' in response.text


def test_province_dashboard_compares_its_wards(client, users, area, activity):
    client.force_login(users[Role.PROVINCE])

    response = client.get("/dashboard/")

    assert "Bảng điều khiển — Thành phố Hà Nội" in response.text
    assert tile(response, "sessions")["value"] == 5
    rows = {row["code"]: row for row in response.context["ranking"].rows}
    assert set(rows) == {area.ward.pk, area.neighbour_ward.pk}
    assert rows[area.ward.pk]["sessions"] == 3
    assert rows[area.neighbour_ward.pk]["sessions"] == 2
    assert rows[area.ward.pk]["url"].startswith("/dashboard/ward/00004/?from=")
    assert 'href="/dashboard/ward/00004/?from=' in response.text


def test_province_dashboard_lists_the_wards_that_lag_with_reasons(
    client, users, area, activity
):
    client.force_login(users[Role.PROVINCE])

    lagging = client.get("/dashboard/province/01/").context["lagging"]

    reasons = {row["code"]: row["reasons"] for row in lagging.rows}
    assert gettext("little activity") in reasons[area.neighbour_ward.pk]


def test_national_overview_compares_the_provinces(client, users, area, activity):
    client.force_login(users[Role.NATIONAL])

    response = client.get("/dashboard/national/")

    rows = {row["code"]: row for row in response.context["ranking"].rows}
    assert (rows["01"]["sessions"], rows["79"]["sessions"]) == (5, 1)
    assert 'href="/dashboard/province/79/?from=' in response.text


@pytest.mark.parametrize(
    ("direction", "order"), [("desc", ["00004", "00070"]), ("asc", ["00070", "00004"])]
)
def test_sort_parameter_orders_the_ranking(
    client, users, area, activity, direction, order
):
    client.force_login(users[Role.PROVINCE])

    response = client.get("/dashboard/", {"sort": "sessions", "dir": direction})

    assert [row["code"] for row in response.context["ranking"].rows] == order
    first, second = (
        response.text.index("/dashboard/ward/%s/" % code) for code in order
    )
    assert first < second


def test_sort_links_keep_the_period_and_turn_the_direction(
    client, users, area, activity
):
    client.force_login(users[Role.PROVINCE])

    response = client.get(
        "/dashboard/", {"from": "01/11/2026", "to": "20/11/2026", "sort": "sessions"}
    )

    header = {cell["label"]: cell for cell in response.context["ranking"].header()}
    sessions = header[str(response.context["ranking"].columns[1].label)]
    assert sessions["aria_sort"] == "descending"
    assert sessions["url"] == (
        "?from=2026-11-01&to=2026-11-20&interval=day&sort=sessions&dir=asc"
    )


def test_a_bad_date_shows_a_message_naming_the_field_and_the_default_period(
    client, users, area
):
    client.force_login(users[Role.WARD])

    response = client.get("/dashboard/", {"from": "31/02/2026"})

    today = timezone.localdate()
    period = response.context["period"]
    assert (period.start, period.end) == (today - datetime.timedelta(days=29), today)
    assert "“%s”: “31/02/2026”" % gettext("From") in response.text
    assert 'role="alert"' in response.text


def test_both_date_layouts_are_read():
    today = datetime.date(2026, 11, 24)

    period = period_parse({"from": "01/10/2026", "to": "2026-10-31"}, today)

    assert (period.start, period.end, period.errors) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 10, 31),
        (),
    )


def test_a_start_after_the_end_falls_back_to_the_default():
    today = datetime.date(2026, 11, 24)

    period = period_parse({"from": "20/11/2026", "to": "01/11/2026"}, today)

    assert (period.start, period.end) == (datetime.date(2026, 10, 26), today)
    assert period.errors


def test_figures_are_written_the_vietnamese_way():
    with translation.override("vi"):
        assert percent(0.776) == "77,6\xa0%"
        assert figure(1234) == "1.234"
        assert figure(datetime.date(2026, 11, 2), "date") == "02/11/2026"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_whole_figures_are_grouped_as_djangos_number_format_groups_them(language):
    from django.utils.formats import number_format

    with translation.override(language):
        for value in (0, 7, 999, 1000, 1234, 99999, 1234567, -1234567, 10**12):
            assert figure(value) == number_format(value)


def test_a_grid_writes_its_figures_and_escapes_its_text():
    from reports.tables import Column, Table
    from reports.templatetags.dashboard import grid_rows

    table = Table(
        "t",
        "T",
        [Column("name", "Name", "text"), Column("count", "Count")],
        [
            {"name": "<b>Xã A</b>", "count": 12345},
            {"name": "Xã B", "count": None, "url": "/x/?a=1&b=2"},
        ],
    )
    with translation.override("vi"):
        html = grid_rows(table)
    assert '<th scope="row" class="text">&lt;b&gt;Xã A&lt;/b&gt;</th>' in html
    assert '<td class="int">12.345</td>' in html
    assert '<a href="/x/?a=1&amp;b=2">Xã B</a>' in html
    assert '<td class="int">—</td>' in html


def read_xlsx(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_ranking_export_holds_the_rows_shown_in_their_order(
    client, users, area, activity
):
    client.force_login(users[Role.PROVINCE])
    start = timezone.localdate() - datetime.timedelta(days=9)
    end = timezone.localdate()
    query = {"from": start.strftime("%d/%m/%Y"), "to": end.isoformat()}
    query.update(sort="sessions", dir="asc")
    table = client.get("/dashboard/", query).context["ranking"]

    response = client.get("/dashboard/", {**query, "export": "ranking"})

    assert response["Content-Type"] == XLSX
    assert (
        'filename="ranking_01_%s_%s.xlsx"'
        % (
            start.strftime("%Y%m%d"),
            end.strftime("%Y%m%d"),
        )
        in (response["Content-Disposition"])
    )
    header, *rows = read_xlsx(response)
    assert header == [str(column.label) for column in table.columns]
    assert rows == [[row[column.key] for column in table.columns] for row in table.rows]
    assert [row[0] for row in rows] == ["Phường Hoàn Kiếm", "Phường Ba Đình"]


def test_ward_export_of_the_team_table_has_numbers_as_numbers(
    client, users, area, activity
):
    client.force_login(users[Role.WARD])

    response = client.get("/dashboard/ward/00004/", {"export": "teams"})

    header, *rows = read_xlsx(response)
    assert rows == [[area.team.name, area.hamlet.name, 1, 3, 3.0, 0]]


def test_an_unknown_export_is_a_404(client, users, area):
    client.force_login(users[Role.WARD])

    assert client.get("/dashboard/", {"export": "households"}).status_code == 404


# Scope: an area outside the user's is a 404, never a leak.


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        (Role.WARD, "/dashboard/ward/00004/", 200),
        (Role.WARD, "/dashboard/ward/00070/", 404),
        (Role.WARD, "/dashboard/province/01/", 404),
        (Role.WARD, "/dashboard/national/", 404),
        (Role.PROVINCE, "/dashboard/province/01/", 200),
        (Role.PROVINCE, "/dashboard/ward/00070/", 200),
        (Role.PROVINCE, "/dashboard/province/79/", 404),
        (Role.PROVINCE, "/dashboard/ward/26734/", 404),
        (Role.PROVINCE, "/dashboard/national/", 404),
        (Role.TEAM_LEADER, "/dashboard/ward/00004/", 200),
        (Role.TEAM_LEADER, "/dashboard/ward/00070/", 404),
        (Role.TEAM_LEADER, "/dashboard/province/01/", 404),
        (Role.TEAM_MEMBER, "/dashboard/ward/00004/", 403),
        (Role.TEAM_MEMBER, "/dashboard/province/01/", 403),
        (Role.NATIONAL, "/dashboard/national/", 200),
        (Role.NATIONAL, "/dashboard/ward/26734/", 200),
    ],
)
def test_dashboards_open_inside_the_users_scope_only(
    client, users, area, role, url, status
):
    client.force_login(users[role])

    assert client.get(url).status_code == status


def test_exports_are_scoped_like_their_page(client, users, area):
    client.force_login(users[Role.WARD])

    response = client.get("/dashboard/ward/00070/", {"export": "teams"})

    assert response.status_code == 404


def test_province_staff_of_another_province_cannot_drill_into_hanoi(
    client, area, activity
):
    client.force_login(
        UserFactory(
            username="tinh.hcm", role=Role.PROVINCE, province=area.other_province
        )
    )

    assert client.get("/dashboard/ward/00004/").status_code == 404
    assert client.get("/dashboard/province/01/").status_code == 404
    assert client.get("/dashboard/").context["area"].code == "79"


def test_the_team_leaders_field_home_links_to_the_ward_dashboard(client, users, area):
    client.force_login(users[Role.TEAM_LEADER])

    assert 'href="/dashboard/ward/00004/"' in client.get("/field/").text


def test_a_team_members_field_home_has_no_dashboard_link(client, users, area):
    client.force_login(users[Role.TEAM_MEMBER])

    assert "/dashboard/" not in client.get("/field/").text


def figures_html(response) -> str:
    """The page without its header, whose forms carry a new CSRF mask each time."""
    return response.text.split('id="dash-title"', 1)[1]


def test_a_province_page_is_kept_until_its_figures_change(
    client, users, area, activity, django_assert_max_num_queries
):
    client.force_login(users[Role.PROVINCE])
    first = client.get("/dashboard/")

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/dashboard/")
    SessionFactory(team=area.team, started_at=days_ago(1))
    before_refresh = client.get("/dashboard/")
    stats_recompute(ward_ids=[area.ward.pk])
    after_refresh = client.get("/dashboard/")

    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "reports_dayteamstat" not in sql  # the kept page, not the indicators
    assert figures_html(again) == figures_html(first)
    assert figures_html(before_refresh) == figures_html(first)
    rows = {row["code"]: row for row in after_refresh.context["ranking"].rows}
    assert rows[area.ward.pk]["sessions"] == 4
    assert tile(after_refresh, "sessions")["value"] == 6


def test_a_kept_page_follows_the_language_and_the_sort(client, users, area, activity):
    client.force_login(users[Role.PROVINCE])
    vietnamese = client.get("/dashboard/")

    client.cookies["django_language"] = "en"
    english = client.get("/dashboard/")
    by_name = client.get("/dashboard/", {"sort": "name", "dir": "asc"})

    assert "Bảng điều khiển" in vietnamese.text
    assert "Dashboard — " in english.text
    assert by_name.context["ranking"].sort == "name"

"""GET /api/v1/stats/: indicators per period and group, within the scope."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from assistance.groups import priority
from assistance.models import AssistanceSession, SessionService
from reports.indicators import Area, activity
from tests.reports.api.conftest import STATS

pytestmark = pytest.mark.django_db

INDICATORS = [
    "sessions",
    "services_given",
    "level2_activations",
    "online_filings",
    "cashless_setups",
    "households_reached",
    "priority_sessions",
]


def raw(wards, start, end) -> dict:
    """The indicators counted straight from sessions and service lines."""
    sessions = AssistanceSession.objects.filter(
        ward__in=wards, started_on__gte=start, started_on__lte=end
    )
    lines = SessionService.objects.filter(session__in=sessions)
    done = lines.filter(outcome="done")
    return {
        "sessions": sessions.count(),
        "services_given": lines.count(),
        "level2_activations": done.filter(service_type__code="vneid_level2").count(),
        "online_filings": done.filter(service_type__is_filing=True).count(),
        "cashless_setups": done.filter(service_type__category="cashless").count(),
        "households_reached": sessions.exclude(household=None)
        .values("household")
        .distinct()
        .count(),
        "priority_sessions": sessions.filter(priority()).distinct().count(),
    }


def figures_of(row) -> dict:
    return {name: row[name] for name in INDICATORS}


def get(client, **params):
    return client.get(STATS, params)


def test_each_day_equals_the_count_over_raw_rows(with_key, area, figures):
    client = with_key("province", province=area.province)
    start, end = figures.days[0], figures.days[-1]

    response = get(client, date_from=start, date_to=end)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["period"] for row in rows] == [str(day) for day in figures.days]
    wards = [area.ward, area.neighbour_ward]
    for row, day in zip(rows, figures.days, strict=True):
        assert figures_of(row) == raw(wards, day, day)
    assert sum(row["sessions"] for row in rows) == 6


def test_a_month_equals_the_indicators_module(with_key, area, figures):
    client = with_key("national")
    start = figures.days[0].replace(day=1)
    end = figures.days[-1]

    rows = get(
        client, level="national", date_from=start, date_to=end, interval="month"
    ).json()["results"]

    totals = activity(Area("national"), start, end)
    assert [row["period"] for row in rows] == sorted(
        {str(day.replace(day=1)) for day in figures.days}
    )
    for name in INDICATORS:
        if name != "households_reached":  # distinct per month, not per period
            assert sum(row[name] for row in rows) == totals[name]
    assert sum(row["sessions"] for row in rows) == 7


def test_defaults_to_the_last_30_days_of_the_callers_own_area(api, users, figures):
    api.force_login(users[Role.WARD])

    answer = get(api).json()

    assert answer["area"] == {
        "level": "ward",
        "code": "00004",
        "name": "Phường Ba Đình",
    }
    assert len(answer["results"]) == 30
    assert (
        datetime.date.fromisoformat(answer["date_to"])
        - datetime.date.fromisoformat(answer["date_from"])
    ).days == 29
    assert sum(row["sessions"] for row in answer["results"]) == 4


def test_reads_the_summary_tables_never_the_sessions(with_key, area, figures):
    client = with_key("national")

    with CaptureQueriesContext(connection) as queries:
        response = get(client, level="national", group="category", interval="week")

    assert response.status_code == 200
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    # The nation's days, not a year of every ward's rows (issue #25).
    assert "reports_nationdayservicestat" in tables
    assert '"reports_dayservicestat"' not in tables
    assert "assistance_assistancesession" not in tables
    assert "assistance_sessionservice" not in tables


# Groups


def test_by_ward_each_ward_equals_its_raw_rows(with_key, area, figures):
    client = with_key("province", province=area.province)
    day = figures.days[0]

    rows = get(client, date_from=day, date_to=day, group="ward").json()["results"]

    assert [(row["group"], row["label"]) for row in rows] == [
        ("00004", "Phường Ba Đình"),
        ("00070", "Phường Hoàn Kiếm"),
    ]
    for row, ward in zip(rows, [area.ward, area.neighbour_ward], strict=True):
        assert figures_of(row) == raw([ward], day, day)


def test_by_province_for_the_whole_country(with_key, area, figures):
    client = with_key("national")
    start, end = figures.days[0], figures.days[-1]

    rows = get(
        client,
        level="national",
        date_from=start,
        date_to=end,
        interval="month",
        group="province",
    ).json()["results"]

    sessions = {}
    for row in rows:
        sessions[row["group"]] = sessions.get(row["group"], 0) + row["sessions"]
    assert sessions == {"01": 6, "79": 1}


def test_by_category_counts_services_and_leaves_sessions_empty(with_key, area, figures):
    client = with_key("ward", ward=area.ward)
    day = figures.days[0]

    rows = get(client, date_from=day, date_to=day, group="category").json()["results"]

    by_code = {row["group"]: row for row in rows}
    assert set(by_code) == {"identity", "cashless", "public_service"}
    assert by_code["cashless"]["label"] == "cashless payment"
    assert by_code["identity"]["level2_activations"] == 1
    assert by_code["cashless"]["cashless_setups"] == 1
    assert by_code["public_service"]["online_filings"] == 1
    assert (
        sum(row["services_given"] for row in rows)
        == raw([area.ward], day, day)["services_given"]
    )
    assert {row["sessions"] for row in rows} == {None}
    assert {row["households_reached"] for row in rows} == {None}


def test_by_service_names_each_service(with_key, area, figures):
    client = with_key("ward", ward=area.ward)
    day = figures.days[1]

    rows = get(client, date_from=day, date_to=day, group="service").json()["results"]

    assert [(row["group"], row["label"], row["services_given"]) for row in rows] == [
        ("vneid_level2", "Activate level-2 e-ID", 1),
        ("online_safety", "Scams and online safety", 1),
    ]
    assert rows[0]["level2_activations"] == 0  # that attempt failed


def test_by_hamlet_counts_sessions_and_households(with_key, area, figures):
    client = with_key("ward", ward=area.ward)
    start, end = figures.days[0], figures.days[-1]

    rows = get(
        client, date_from=start, date_to=end, interval="month", group="hamlet"
    ).json()["results"]

    assert {row["group"] for row in rows} == {str(area.hamlet.pk)}
    assert sum(row["sessions"] for row in rows) == 4
    assert {row["services_given"] for row in rows} == {None}
    assert max(row["households_reached"] for row in rows) <= 2


def test_weeks_start_on_monday_and_are_cut_to_the_dates(with_key, area, figures):
    client = with_key("ward", ward=area.ward)
    day = figures.days[1]

    rows = get(client, date_from=day, date_to=day, interval="week").json()["results"]

    monday = day - datetime.timedelta(days=day.weekday())
    assert [(row["period"], row["first_day"], row["last_day"]) for row in rows] == [
        (str(monday), str(day), str(day))
    ]
    assert rows[0]["sessions"] == 1


# CSV


def test_csv_has_a_header_and_the_same_numbers_as_json(with_key, area, figures):
    client = with_key("province", province=area.province)
    params = {
        "date_from": figures.days[0],
        "date_to": figures.days[-1],
        "group": "ward",
    }

    as_json = get(client, **params).json()["results"]
    response = get(client, format="csv", **params)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(as_json)
    for row, expected in zip(rows, as_json, strict=True):
        assert (row["period"], row["group"], row["label"]) == (
            expected["period"],
            expected["group"],
            expected["label"],
        )
        for name in INDICATORS:
            assert int(row[name]) == expected[name]


def test_csv_is_chosen_by_the_accept_header_too(with_key, area, figures):
    client = with_key("ward", ward=area.ward)

    response = client.get(STATS, {"group": "category"}, HTTP_ACCEPT="text/csv")

    lines = response.content.decode("utf-8-sig").splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].split(",")[:5] == [
        "period",
        "first_day",
        "last_day",
        "group",
        "label",
    ]
    # Indicators a category cannot carry are empty cells, not zeros.
    first = next(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert first["sessions"] == ""


def test_an_empty_csv_still_has_its_header(with_key, area):
    client = with_key("ward", ward=area.ward)

    response = get(client, group="service", format="csv")

    assert response.content.decode("utf-8-sig").splitlines() == [
        "period,first_day,last_day,group,label,sessions,services_given,"
        "level2_activations,online_filings,cashless_setups,households_reached,"
        "priority_sessions,approved"
    ]


def test_errors_are_json_even_when_csv_was_asked(with_key, area):
    client = with_key("ward", ward=area.ward)

    response = get(client, format="csv", interval="hour")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "interval" in response.json()["errors"]


# Parameters


@pytest.mark.parametrize(
    "params, name",
    [
        ({"interval": "hour"}, "interval"),
        ({"group": "team"}, "group"),
        ({"level": "district"}, "level"),
        ({"level": "province", "code": "1"}, "code"),
        ({"level": "province", "code": "ab"}, "code"),
        ({"level": "province", "code": "00004"}, "code"),
        ({"level": "ward", "code": "01"}, "code"),
        ({"level": "national", "code": "01"}, "code"),
        ({"date_from": "2026-13-01"}, "date_from"),
        ({"date_to": "yesterday"}, "date_to"),
        ({"date_from": "1900-01-01"}, "date_from"),
        ({"date_to": "2101-01-01"}, "date_to"),
        ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_from"),
        ({"date_from": "2025-01-01", "date_to": "2026-01-02"}, "date_from"),
        ({"format": "xml"}, "format"),
        ({"level": "province", "code": "01", "group": "hamlet"}, "group"),
        ({"level": "national", "group": "ward"}, "group"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(with_key, area, params, name):
    client = with_key("national")

    response = get(client, **params)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [name]


def test_a_whole_year_is_allowed(with_key, area):
    client = with_key("national")

    response = get(
        client,
        level="national",
        date_from="2025-01-01",
        date_to="2025-12-31",
        interval="month",
    )

    assert response.status_code == 200
    assert len(response.json()["results"]) == 12


# Scope


@pytest.mark.parametrize(
    "params",
    [
        {"level": "province", "code": "79"},
        {"level": "ward", "code": "26734"},
        {"level": "national"},
        {"level": "ward", "code": "99999"},
    ],
)
def test_a_province_key_gets_404_outside_its_province(with_key, area, params):
    client = with_key("province", province=area.province)

    response = get(client, **params)

    assert response.status_code == 404


def test_a_province_key_reads_a_ward_of_its_province(with_key, area, figures):
    client = with_key("province", province=area.province)

    response = get(client, level="ward", code="00070")

    assert response.status_code == 200
    assert sum(row["sessions"] for row in response.json()["results"]) == 2


@pytest.mark.parametrize(
    "params",
    [
        {"level": "ward", "code": "00070"},
        {"level": "province", "code": "01"},
        {"level": "ward", "code": "26734"},
    ],
)
def test_a_ward_official_reads_only_their_ward(api, users, area, figures, params):
    api.force_login(users[Role.WARD])

    assert get(api, **params).status_code == 404
    assert get(api, level="ward", code="00004").status_code == 200


def test_a_national_key_reads_any_province(with_key, area, figures):
    client = with_key("national")

    response = get(client, level="province", code="79")

    assert response.status_code == 200
    assert sum(row["sessions"] for row in response.json()["results"]) == 1


@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.TEAM_MEMBER])
def test_team_accounts_are_refused(api, users, role):
    api.force_login(users[role])

    response = get(api)

    assert response.status_code == 403


def test_anonymous_callers_are_asked_for_a_key(api, area):
    response = get(api)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'ApiKey header="X-Api-Key"'


def test_a_csv_answer_starts_with_the_mark_excel_needs(with_key, area, figures):
    client = with_key("province", province=area.province)

    response = get(client, format="csv", group="category")

    assert response.content.startswith("\ufeff".encode())
    assert response.content.decode("utf-8-sig").startswith("period,")


def test_an_excel_answer_holds_the_rows_of_the_csv(with_key, area, figures):
    import openpyxl

    client = with_key("province", province=area.province)
    params = {"group": "category"}

    as_csv = list(
        csv.reader(
            io.StringIO(get(client, format="csv", **params).content.decode("utf-8-sig"))
        )
    )
    response = get(client, format="xlsx", **params)

    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [
        ["" if cell is None else str(cell) for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert rows == as_csv


def test_an_answer_says_when_its_figures_last_changed(with_key, area, figures):
    from django.utils.http import parse_http_date

    from reports.models import WardStamp

    client = with_key("province", province=area.province)
    latest = max(WardStamp.objects.values_list("changed_at", flat=True))

    response = get(client, group="category")

    as_of = datetime.datetime.fromisoformat(response.json()["as_of"])
    assert abs((as_of - latest).total_seconds()) < 1
    modified = parse_http_date(response["Last-Modified"])
    assert abs(modified - latest.timestamp()) < 1

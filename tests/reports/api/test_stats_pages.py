"""GET /api/v1/stats/ in pages: a year of rows pulled page by page."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.api.params import MAX_PAGE_SIZE
from reports.services import stats_recompute
from tests.assistance.factories import SessionFactory, local
from tests.reports.api.conftest import STATS

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
CURSOR_REFUSED = "This cursor is not one the API gave: start the pull again without it."


@pytest.fixture
def client(with_key, area):
    return with_key("province", province=area.province)


def year() -> dict:
    return {"date_from": TODAY() - datetime.timedelta(days=365), "date_to": TODAY()}


def pull(client, **params) -> tuple[list[dict], list]:
    """Every page from the first, following ``next``: (rows, responses)."""
    responses = [client.get(STATS, params)]
    while responses[-1].json()["next"]:
        assert len(responses) < 100
        responses.append(client.get(responses[-1].json()["next"]))
    assert all(response.status_code == 200 for response in responses)
    return [row for page in responses for row in page.json()["results"]], responses


def errors(response) -> dict:
    """The messages by parameter, whether or not they come under ``errors``."""
    body = response.json()
    return body.get("errors", body)


def test_a_year_comes_page_by_page_every_row_once_in_order(client, figures):
    whole = client.get(STATS, {**year(), "page_size": MAX_PAGE_SIZE}).json()

    rows, pages = pull(client, **year(), page_size=100)

    assert len(whole["results"]) == 366  # one row a day without a group
    assert whole["next"] is None
    assert rows == whole["results"]
    assert [len(page.json()["results"]) for page in pages] == [100, 100, 100, 66]
    assert pages[-1].json()["next"] is None
    # The rest of the answer is the same on every page.
    for page in pages:
        body = page.json()
        assert {**body, "results": [], "next": None} == {
            **whole,
            "results": [],
            "next": None,
        }


def test_pages_by_ward_cut_within_a_day_keep_the_rows_order(client, area, figures):
    for day in figures.days:  # a second ward on each day: two rows a day
        SessionFactory(
            team=area.neighbour_team, started_at=local(day.year, day.month, day.day)
        )
    stats_recompute()
    whole = client.get(STATS, {**year(), "group": "ward"}).json()["results"]

    rows, pages = pull(client, **year(), group="ward", page_size=1)

    assert len(whole) == 6
    assert rows == whole
    assert len(pages) == 6
    keys = [(row["period"], row["label"]) for row in rows]
    assert keys == sorted(keys)


def test_the_next_page_is_a_full_address_of_the_same_question(client, figures):
    body = client.get(STATS, {**year(), "page_size": 100, "interval": "day"}).json()

    assert body["next"].startswith("http://testserver/api/v1/stats/?")
    assert "cursor=" in body["next"]
    assert "page_size=100" in body["next"]


def test_each_page_has_its_own_tag_and_its_own_304(client, figures):
    _rows, pages = pull(client, **year(), page_size=200)
    first, second = pages
    tags = [page["ETag"] for page in pages]

    again = client.get(first.json()["next"], HTTP_IF_NONE_MATCH=tags[1])
    stale = client.get(first.json()["next"], HTTP_IF_NONE_MATCH=tags[0])
    gzipped = client.get(
        STATS, {**year(), "page_size": 200}, HTTP_ACCEPT_ENCODING="gzip"
    )
    weak = client.get(
        STATS,
        {**year(), "page_size": 200},
        HTTP_ACCEPT_ENCODING="gzip",
        HTTP_IF_NONE_MATCH=gzipped["ETag"],
    )

    assert len(set(tags)) == 2
    assert again.status_code == 304
    assert again["ETag"] == tags[1]
    assert stale.status_code == 200
    assert stale["ETag"] == tags[1]
    assert client.get(STATS, {**year(), "page_size": 100})["ETag"] != tags[0]
    assert weak.status_code == 304
    assert weak["ETag"] == gzipped["ETag"] == "W/" + tags[0]


def test_a_page_moves_with_the_figures(client, area, figures):
    _rows, pages = pull(client, **year(), page_size=300)
    last = pages[-1]
    day = figures.days[-1]

    SessionFactory(team=area.team, started_at=local(day.year, day.month, day.day))
    stats_recompute(ward_ids=[area.ward.pk], day_from=day, day_to=day)
    moved = client.get(pages[0].json()["next"], HTTP_IF_NONE_MATCH=last["ETag"])

    assert moved.status_code == 200
    assert moved["ETag"] != last["ETag"]
    assert sum(row["sessions"] for row in moved.json()["results"]) == 7


@pytest.mark.parametrize("size", ["0", "5001", "-3", "abc", "1.5"])
def test_a_page_size_out_of_range_is_a_400_naming_it(client, figures, size):
    response = client.get(STATS, {"page_size": size})

    assert response.status_code == 400
    assert errors(response)["page_size"] == ["Give a whole number from 1 to 5000."]


@pytest.mark.parametrize(
    "query, problem",
    [
        ("page_size=", "Give a value, or leave the parameter out."),
        ("level=", "Give a value, or leave the parameter out."),
        ("group=ward&group=service", "Give this parameter once."),
        ("grup=ward", "This list has no such parameter."),
    ],
)
def test_a_parameter_empty_twice_or_unknown_is_a_400_naming_it(
    client, figures, query, problem
):
    response = client.get(STATS + "?" + query)

    assert response.status_code == 400
    assert list(errors(response).values()) == [[problem]]


@pytest.mark.parametrize("cursor", ["garbage", "W10", "eyJhIjogMX0", "%%%"])
def test_a_cursor_the_api_never_gave_is_a_400_naming_it(client, figures, cursor):
    response = client.get(STATS, {"cursor": cursor})

    assert response.status_code == 400
    assert errors(response)["cursor"] == [CURSOR_REFUSED]


@pytest.mark.parametrize(
    "other",
    [
        {"group": "ward"},
        {"interval": "week"},
        {"date_from": TODAY() - datetime.timedelta(days=200)},
        {"level": "ward", "code": "00004"},
    ],
)
def test_a_cursor_from_another_question_is_refused(client, figures, other):
    first = client.get(STATS, {**year(), "page_size": 100}).json()
    cursor = first["next"].split("cursor=")[1].split("&")[0]

    response = client.get(STATS, {**year(), **other, "cursor": cursor})

    assert response.status_code == 400
    assert errors(response)["cursor"] == [CURSOR_REFUSED]


def test_a_cursor_with_another_page_size_goes_on_from_its_row(client, figures):
    first = client.get(STATS, {**year(), "page_size": 100}).json()
    cursor = first["next"].split("cursor=")[1].split("&")[0]

    rest = client.get(STATS, {**year(), "cursor": cursor, "page_size": 500}).json()

    assert (
        first["results"] + rest["results"]
        == (client.get(STATS, year()).json()["results"])
    )
    assert rest["next"] is None


def test_csv_is_the_whole_file_whatever_the_page_size(client, figures):
    json_rows = client.get(STATS, year()).json()["results"]

    response = client.get(STATS, {**year(), "format": "csv", "page_size": 10})

    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == len(json_rows) == 366
    assert "next" not in rows[0]


def test_a_page_counts_only_the_days_it_needs(client, figures):
    asked = year()

    with CaptureQueriesContext(connection) as queries:
        body = client.get(STATS, {**asked, "page_size": 10}).json()

    assert len(body["results"]) == 10
    counted = [
        query["sql"]
        for query in queries.captured_queries
        # The province's own days hold its sessions (the rollups of issue #25).
        if "reports_provincedaystat" in query["sql"]
    ]
    assert counted
    # Eleven days from the first (the page and one row to know more follow),
    # not the year to its last day.
    eleventh = asked["date_from"] + datetime.timedelta(days=10)
    assert all(str(eleventh) in sql for sql in counted)
    assert not [sql for sql in counted if str(asked["date_to"]) in sql]


def test_a_grouped_page_starts_counting_at_the_areas_first_figures(client, figures):
    """A year asked of figures that begin late: the empty months before them
    hold no row by ward, and are not counted chunk after chunk."""
    asked = year()

    with CaptureQueriesContext(connection) as queries:
        body = client.get(STATS, {**asked, "group": "ward", "page_size": 1}).json()

    assert body["results"][0]["period"] == str(min(figures.days))
    counted = [
        query["sql"]
        for query in queries.captured_queries
        if "reports_dayhousehold" in query["sql"]
    ]
    assert counted
    assert not [sql for sql in counted if str(asked["date_from"]) in sql]

"""ETags that spare an unchanged pull, and the request budget per client."""

import gzip
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.api import StatsThrottle
from accounts.api_keys import api_key_issue
from accounts.models import ApiKey, Role
from reports.services import registry_recompute, stats_recompute
from tests.assistance.factories import SessionFactory, local
from tests.households.factories import HouseholdFactory
from tests.reports.api.conftest import STATS, SUMMARY

pytestmark = pytest.mark.django_db

SUMMARY_TABLES = (
    "reports_dayteamstat",
    "reports_dayservicestat",
    "reports_dayhousehold",
    "reports_daymemberstat",
)


def late(figures):
    day = figures.days[-1]
    return local(day.year, day.month, day.day, 16)


@pytest.fixture
def client(with_key, area):
    return with_key("province", province=area.province)


@pytest.mark.parametrize("url", [STATS, SUMMARY])
def test_an_unchanged_pull_is_a_304_that_computes_nothing(client, figures, url):
    etag = client.get(url)["ETag"]

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert not [table for table in SUMMARY_TABLES if table in sql]


def test_a_weak_or_listed_tag_matches_too(client, figures):
    etag = client.get(STATS)["ETag"]

    response = client.get(STATS, HTTP_IF_NONE_MATCH='"other", W/%s' % etag)

    assert response.status_code == 304


def test_the_tag_changes_when_recomputed_figures_change(client, area, figures):
    etag = client.get(STATS)["ETag"]
    SessionFactory(team=area.team, started_at=late(figures))

    # Before the refresh the tables, and so the answer, are unchanged.
    assert client.get(STATS, HTTP_IF_NONE_MATCH=etag).status_code == 304
    stats_recompute()
    response = client.get(STATS, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag
    assert sum(row["sessions"] for row in response.json()["results"]) == 7


def test_the_summary_tag_follows_the_registry(client, area, figures):
    etag = client.get(SUMMARY)["ETag"]
    HouseholdFactory(ward=area.ward, hamlet=area.hamlet)

    registry_recompute()
    response = client.get(SUMMARY, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response.json()["households"] == 4


def test_another_area_is_untouched_by_a_ward_elsewhere(with_key, area, figures):
    client = with_key("ward", ward=area.neighbour_ward)
    etag = client.get(STATS)["ETag"]

    SessionFactory(team=area.team, started_at=late(figures))
    stats_recompute(ward_ids=[area.ward.pk])

    assert client.get(STATS, HTTP_IF_NONE_MATCH=etag).status_code == 304


@pytest.mark.parametrize(
    "other",
    [
        {"interval": "week"},
        {"group": "ward"},
        {"format": "csv"},
        {"level": "ward", "code": "00004"},
        {"date_from": "2026-01-01", "date_to": "2026-01-31"},
    ],
)
def test_another_question_has_another_tag(client, figures, other):
    assert client.get(STATS)["ETag"] != client.get(STATS, other)["ETag"]


def test_answers_are_revalidated_not_reused_blindly(client, figures):
    response = client.get(STATS)

    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "X-Api-Key" in response["Vary"]


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, set by the test: 30 s into a minute."""
    now = [1_800_000_030.0]
    monkeypatch.setattr(StatsThrottle, "timer", lambda self: now[0])
    return now


def test_too_many_requests_are_a_429(client, with_key, make_key, area, settings, clock):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"stats": "3/min"},
    }

    answers = [client.get(STATS).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    limited = client.get(STATS)
    # The budget comes back when the minute ends, 30 s later.
    assert limited["Retry-After"] == "30"
    # Each key has its own budget.
    client.credentials(HTTP_X_API_KEY=make_key("national"))
    assert client.get(STATS).status_code == 200


def test_the_budget_comes_back_with_the_next_window(client, area, settings, clock):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"stats": "2/min"},
    }
    assert [client.get(STATS).status_code for _ in range(3)] == [200, 200, 429]

    clock[0] += 29
    assert client.get(STATS).status_code == 429
    clock[0] += 1
    assert [client.get(STATS).status_code for _ in range(3)] == [200, 200, 429]


def test_a_province_of_one_ward_and_that_ward_have_their_own_tags(
    with_key, area, figures
):
    client = with_key("national")

    province = client.get(STATS, {"level": "province", "code": "79"})
    ward = client.get(STATS, {"level": "ward", "code": "26734"})

    assert province["ETag"] != ward["ETag"]


def test_a_key_and_an_account_with_the_same_id_have_their_own_budgets(
    api, users, area, settings, clock
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"stats": "2/min"},
    }
    official = users[Role.WARD]
    key = ApiKey(pk=official.pk, name="Cùng số", level="ward", ward=area.ward)
    api.credentials(HTTP_X_API_KEY=api_key_issue(key=key, created_by=official))
    assert [api.get(STATS).status_code for _ in range(3)] == [200, 200, 429]

    api.credentials()
    api.force_login(official)

    assert api.get(STATS).status_code == 200


@pytest.mark.parametrize("url", [STATS, SUMMARY])
def test_a_repeated_question_is_answered_from_the_kept_answer(
    client, area, figures, url
):
    first = client.get(url)

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    SessionFactory(team=area.team, started_at=late(figures))
    stats_recompute(ward_ids=[area.ward.pk])
    changed = client.get(url)

    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert not [table for table in SUMMARY_TABLES if table in sql]
    assert "reports_wardstamp" not in sql  # the version is kept too
    assert again.json() == first.json()
    assert changed["ETag"] != first["ETag"]
    assert changed.json() != first.json()


def test_an_answer_is_kept_compressed(client, figures):
    plain = client.get(STATS)
    compressed = client.get(STATS, HTTP_ACCEPT_ENCODING="gzip, deflate")
    again = client.get(
        STATS, HTTP_IF_NONE_MATCH=compressed["ETag"], HTTP_ACCEPT_ENCODING="gzip"
    )

    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert json.loads(gzip.decompress(compressed.content)) == plain.json()
    # The compressed bytes get a weak tag, as GZipMiddleware gives them.
    assert compressed["ETag"] == "W/" + plain["ETag"]
    assert again.status_code == 304

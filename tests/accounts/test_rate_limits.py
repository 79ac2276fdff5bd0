"""Every API answer states the caller's budget: X-RateLimit-Limit, -Remaining
and -Reset (seconds until the window ends), on successes, 304s, refusals and
the 429 itself; the statistics and the rest of the API are counted apart."""

import pytest
from django.core.cache import cache

from accounts.models import Role
from core.throttling import FixedWindowThrottle

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/"
SESSIONS = "/api/v1/sessions/"
STATS = "/api/v1/stats/summary/"


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, set by the test: 30 s into a minute."""
    now = [1_800_000_030.0]
    monkeypatch.setattr(FixedWindowThrottle, "timer", lambda self: now[0])
    return now


@pytest.fixture
def official(api, users, clock):
    api.force_login(users[Role.WARD])
    return api


def budget(response) -> tuple[int, int, int]:
    return (
        int(response["X-RateLimit-Limit"]),
        int(response["X-RateLimit-Remaining"]),
        int(response["X-RateLimit-Reset"]),
    )


def test_each_answer_counts_down_the_budget_of_the_minute(official):
    first = official.get(ME)
    second = official.get(ME)

    assert first.status_code == second.status_code == 200
    assert budget(first) == (600, 599, 30)
    assert budget(second) == (600, 598, 30)


def test_an_unchanged_pull_answered_304_states_the_budget(official):
    tag = official.get(STATS)["ETag"]

    response = official.get(STATS, HTTP_IF_NONE_MATCH=tag)

    assert response.status_code == 304
    assert budget(response) == (120, 118, 30)


@pytest.mark.parametrize(
    "path, status",
    [
        (SESSIONS + "?page_size=0", 400),
        (SESSIONS + "999999/", 404),
        ("/api/v1/nowhere/", 404),
    ],
)
def test_a_refusal_states_the_budget_and_is_counted_once(official, path, status):
    official.get(ME)

    response = official.get(path)

    assert response.status_code == status
    assert budget(response) == (600, 598, 30)


def test_a_refusal_before_the_view_is_counted_once(api, users, clock):
    """A role refused (403) is refused before DRF runs the throttles: the
    answer still counts and states the budget, once."""
    api.force_login(users[Role.TEAM_MEMBER])

    answers = [api.get(STATS) for _ in range(2)]

    assert [answer.status_code for answer in answers] == [403, 403]
    assert [budget(answer) for answer in answers] == [(120, 119, 30), (120, 118, 30)]


def test_an_unknown_key_is_counted_by_address(api, clock):
    response = api.get(STATS, HTTP_X_API_KEY="khong-co")

    assert response.status_code == 401
    assert budget(response) == (120, 119, 30)


def test_beyond_the_budget_a_429_says_when_it_comes_back(official, settings, clock):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"capture": "2/min"},
    }
    answers = [official.get(ME) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert [budget(answer) for answer in answers] == [
        (2, 1, 30),
        (2, 0, 30),
        (2, 0, 30),
    ]
    assert answers[2]["Retry-After"] == "30"
    clock[0] += 30
    assert budget(official.get(ME)) == (2, 1, 60)


def test_the_statistics_and_the_capture_are_counted_apart(official):
    official.get(STATS)
    official.get(STATS)

    assert budget(official.get(ME)) == (600, 599, 30)
    assert budget(official.get(STATS)) == (120, 117, 30)


def test_each_account_has_its_own_capture_budget(api, users, settings, clock):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"capture": "1/min"},
    }
    api.force_login(users[Role.TEAM_MEMBER])
    assert [api.get(SESSIONS).status_code for _ in range(2)] == [200, 429]

    api.force_login(users[Role.TEAM_LEADER])

    assert api.get(SESSIONS).status_code == 200


def test_a_request_costs_one_cache_increment(official, monkeypatch):
    official.get(ME)  # the window's counter exists
    calls, inside = [], []

    def counted(name, method):
        # Only the calls the request makes count: Django's file cache (the
        # embedded mode) does its own incr with a get and a set.
        def call(*args, **kwargs):
            if not inside:
                calls.append(name)
            inside.append(name)
            try:
                return method(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ("incr", "add", "get", "set"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))

    official.get(ME)

    assert calls == ["incr"]

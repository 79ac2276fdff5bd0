"""Redis as the cache goes down and comes back: sign-in, the statistics and
the health check carry on, and the cache is used again once it is back."""

import logging

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache

from accounts.models import Role
from core.throttling import FixedWindowThrottle
from tests.accounts.factories import PASSWORD
from tests.accounts.totp import totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def signs_in(client, user) -> bool:
    response = client.post(
        LOGIN, {"login": user.username, "password": PASSWORD}, follow=True
    )
    return response.wsgi_request.user.is_authenticated


def test_sign_in_works_while_the_cache_is_down(client, users, cache_on, caplog):
    cache_on.stop()

    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert signs_in(client, users[Role.WARD])

    assert "Cache unreachable" in caplog.text


def test_two_factor_sign_in_works_while_the_cache_is_down(
    client, users, cache_on, settings
):
    # The used-code record of allauth.mfa lives in the cache: with Redis down
    # it is kept in the process, and the code still signs in.
    settings.MFA_REQUIRED_ROLES = ["province"]
    user = users[Role.PROVINCE]
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    cache_on.stop()

    client.post(LOGIN, {"login": user.username, "password": PASSWORD})
    response = client.post(
        "/accounts/2fa/authenticate/", {"code": totp_code(secret)}, follow=True
    )

    assert response.wsgi_request.user == user
    assert response.redirect_chain[-1][0] == "/dashboard/"


def test_sign_in_limits_still_count_in_the_process(client, users, cache_on):
    cache_on.stop()
    username = users[Role.WARD].username
    for _attempt in range(5):
        client.post(LOGIN, {"login": username, "password": "sai"})

    assert not signs_in(client, users[Role.WARD])


def test_statistics_answer_while_the_cache_is_down(client, users, cache_on):
    client.force_login(users[Role.WARD])
    cache_on.stop()

    response = client.get("/api/v1/stats/summary/")

    assert response.status_code == 200


def test_the_api_answers_and_counts_its_budget_while_the_cache_is_down(
    client, users, cache_on, monkeypatch
):
    # One window for both requests, whenever the test runs.
    monkeypatch.setattr(FixedWindowThrottle, "timer", lambda self: 1_800_000_030.0)
    client.force_login(users[Role.WARD])
    cache_on.stop()

    answers = [client.get("/api/v1/me/") for _ in range(2)]

    # Counted in the process's memory meanwhile (config.cache).
    assert [answer.status_code for answer in answers] == [200, 200]
    assert [answer["X-RateLimit-Remaining"] for answer in answers] == ["599", "598"]


def test_health_names_the_cache_apart_from_the_broker(client, cache_on):
    cache_on.stop()

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["down"] == ["cache"]
    assert response.json()["checks"]["broker"] == "ok"


def test_the_cache_is_used_again_once_redis_is_back(client, cache_on):
    cache_on.stop()
    cache.set("during", 1)  # kept in memory meanwhile
    cache_on.start()

    assert client.get("/healthz").json()["checks"]["cache"] == "ok"
    cache.set("after", 2)

    assert cache.get("after") == 2
    assert cache.get("during") is None  # Redis, not the memory, answers

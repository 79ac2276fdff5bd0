"""Behind the reverse proxy, sign-in limits count each person's address, not
the proxy's: one person's wrong passwords do not block everyone else."""

import pytest

from accounts.models import Role
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PROXY = "10.0.0.2"
GUESSER, OFFICIAL = "203.0.113.5", "198.51.100.7"


def login(client, username, password, *, forwarded_for):
    return client.post(
        LOGIN,
        {"login": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
        follow=True,
    )


def guess_ten_times(client):
    for attempt in range(10):
        login(client, "khong-co-%d" % attempt, "sai", forwarded_for=GUESSER)


def test_a_guessers_failures_leave_another_person_signing_in(client, users, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    guess_ten_times(client)

    response = login(
        client, users[Role.WARD].username, PASSWORD, forwarded_for=OFFICIAL
    )

    assert response.wsgi_request.user.is_authenticated


def test_the_guesser_is_still_held_back(client, users, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    guess_ten_times(client)

    response = login(client, users[Role.WARD].username, PASSWORD, forwarded_for=GUESSER)

    assert not response.wsgi_request.user.is_authenticated


def test_a_header_set_by_the_proxy_names_the_person(client, users, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    for attempt in range(10):
        client.post(
            LOGIN,
            {"login": "khong-co-%d" % attempt, "password": "sai"},
            REMOTE_ADDR=PROXY,
            HTTP_X_REAL_IP=GUESSER,
        )

    response = client.post(
        LOGIN,
        {"login": users[Role.WARD].username, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_REAL_IP=OFFICIAL,
        follow=True,
    )

    assert response.wsgi_request.user.is_authenticated


def test_without_trusting_the_proxy_everyone_shares_its_limit(client, users):
    # What the setting is for: by default the proxy's address is counted.
    guess_ten_times(client)

    response = login(
        client, users[Role.WARD].username, PASSWORD, forwarded_for=OFFICIAL
    )

    assert not response.wsgi_request.user.is_authenticated

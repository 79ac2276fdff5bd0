"""Pages and answers kept ready: per user, compressed, computed once."""

import gzip
import re
import threading
import time

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import Role
from reports.kept import kept
from reports.services import stats_recompute
from tests.accounts.factories import PASSWORD, UserFactory
from tests.assistance.factories import SessionFactory
from tests.reports.conftest import days_ago

pytestmark = pytest.mark.django_db
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate"}


def text(response) -> str:
    content = response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return content.decode()


@pytest.fixture
def official(client, users):
    client.force_login(users[Role.PROVINCE])
    client.get("/dashboard/")  # the first page sets the CSRF cookie
    return client


def test_a_kept_page_is_sent_again_without_rendering(official, area, activity):
    first = official.get("/dashboard/", **GZIP)
    again = official.get("/dashboard/", **GZIP)

    assert again.templates == []
    assert again["Content-Encoding"] == "gzip"
    assert "Cookie" in again["Vary"] and "Accept-Encoding" in again["Vary"]
    assert "private" in again["Cache-Control"]
    assert text(again) == text(first)
    assert area.ward.name in text(again)


def test_a_kept_page_is_plain_for_a_client_without_gzip(official, area, activity):
    official.get("/dashboard/", **GZIP)
    plain = official.get("/dashboard/")

    assert not plain.has_header("Content-Encoding")
    assert area.ward.name in plain.content.decode()


def test_each_official_gets_a_page_with_their_own_name(official, area, activity):
    other = Client()
    other.force_login(
        UserFactory(
            username="tinh2",
            first_name="Thị Bình",
            last_name="Trần",
            role=Role.PROVINCE,
            province=area.province,
        )
    )
    other.get("/dashboard/")
    official.get("/dashboard/")

    mine, theirs = official.get("/dashboard/"), other.get("/dashboard/")

    assert "Trần Thị Bình" in text(theirs)
    assert "Trần Thị Bình" not in text(mine)


def test_the_sign_out_form_of_a_kept_page_still_works(users, area, activity):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users[Role.PROVINCE])
    browser.get("/dashboard/")
    browser.get("/dashboard/")
    page = browser.get("/dashboard/")
    assert page.templates == []
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(page))

    signed_out = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": token[1]})

    assert signed_out.status_code == 302
    assert browser.get("/dashboard/").status_code == 302  # to the sign-in page


def test_a_message_waiting_is_shown_not_a_kept_page(official, area, activity):
    official.get("/dashboard/")
    official.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "new-Strong-passw0rd",
            "password2": "new-Strong-passw0rd",
        },
    )

    page = official.get("/dashboard/")
    after = official.get("/dashboard/")

    assert page.templates != []
    assert "msg-success" in text(page)
    assert "msg-success" not in text(after)  # shown once, as messages are


def test_a_kept_page_moves_with_the_figures(official, area, activity):
    before = official.get("/dashboard/")
    SessionFactory(team=area.team, started_at=days_ago(1))
    stats_recompute(ward_ids=[area.ward.pk])

    after = official.get("/dashboard/")

    assert after.templates != []
    rows = {row["code"]: row for row in after.context["ranking"].rows}
    assert rows[area.ward.pk]["sessions"] == 4
    assert text(after) != text(before)


@pytest.fixture
def atomic_cache(settings):
    """A cache whose ``add`` is atomic, as Redis's is. The embedded file cache's
    is not: there two readers may both compute, which costs time, not truth."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }


def test_one_reader_computes_while_the_others_wait(atomic_cache):
    calls = []

    def compute():
        calls.append(1)
        time.sleep(0.3)
        return "page"

    results = []
    readers = [
        threading.Thread(target=lambda: results.append(kept("k", compute)))
        for _ in range(5)
    ]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()

    assert results == ["page"] * 5
    assert len(calls) == 1


def test_a_reader_computes_itself_when_the_one_computing_gave_up(atomic_cache):
    cache.add("computing:k", 1, 30)
    threading.Timer(0.2, cache.delete, ["computing:k"]).start()

    assert kept("k", lambda: "page") == "page"
    assert cache.get("k") == "page"

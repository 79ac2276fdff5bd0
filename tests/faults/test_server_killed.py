"""The web server killed (SIGKILL, master and workers) during a burst of
sessions that phones retry until answered: no stored session is answered
with a server error, each UUID is stored once, sign-in works again at once,
and the figures equal the raw counts afterwards."""

import datetime
import re
import threading
import uuid

import pytest
import requests
from django.conf import global_settings
from django.utils import timezone

from accounts.models import Role
from assistance.catalogue import catalogue_load
from assistance.models import AssistanceSession, ServiceType
from reports import tasks
from reports.models import DayTeamStat
from tests.accounts.factories import PASSWORD
from tests.assistance.factories import MembershipFactory
from tests.faults.processes import free_port, gunicorn, postgresql_only, wait_until
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db(transaction=True)

SESSIONS = 30
KILL_AFTER = 10  # sessions sent before the server is killed


@pytest.fixture(autouse=True)
def _real_database():
    postgresql_only()


@pytest.fixture
def server():
    port = free_port()
    process = gunicorn(port)
    url = "http://127.0.0.1:%d" % port

    def up() -> bool:
        try:
            return requests.get(url + "/healthz", timeout=1).status_code < 500
        except requests.RequestException:
            return False

    process.start()
    assert wait_until(up, seconds=60), "gunicorn did not start"
    process.url, process.up = url, up
    yield process
    process.kill()


def signed_in(url: str, username: str) -> requests.Session:
    phone = requests.Session()
    page = phone.get(url + "/accounts/login/", timeout=5)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    answer = phone.post(
        url + "/accounts/login/",
        {"login": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
        headers={"Referer": url + "/accounts/login/"},
        timeout=5,
    )
    assert answer.ok and "sessionid" in phone.cookies, answer.status_code
    phone.headers["X-CSRFToken"] = phone.cookies["csrftoken"]
    phone.headers["Referer"] = url + "/field/"
    return phone


def send_until_answered(phone, url, body, statuses) -> int:
    """What a phone's offline queue does: resend the same bytes until answered."""
    for _attempt in range(200):
        try:
            answer = phone.post(url + "/api/v1/sessions/", json=body, timeout=5)
        except requests.RequestException:
            wait_until(lambda: False, seconds=0.1)
            continue
        statuses.append(answer.status_code)
        if answer.status_code in (200, 201):
            return answer.status_code
    raise AssertionError("never answered: %s" % body["client_uuid"])


def test_a_killed_server_loses_no_session_and_stores_none_twice(
    server, users, area, monkeypatch, settings
):
    catalogue_load(ServiceType)
    member = users[Role.TEAM_MEMBER]
    # The server hashes as production does, not as the quick tests.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    member.set_password(PASSWORD)
    member.save()
    MembershipFactory(member__ward=area.ward, member__user=member, team=area.team)
    household = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
    phone = signed_in(server.url, member.username)
    started = (timezone.now() - datetime.timedelta(hours=1)).isoformat()
    bodies = [
        {
            "client_uuid": str(uuid.uuid4()),
            "started_at": started,
            "place": "home",
            "household": household.pk,
            "services": [{"service": "online_safety", "outcome": "done"}],
        }
        for _ in range(SESSIONS)
    ]
    statuses = []
    sender = threading.Thread(
        target=lambda: [
            send_until_answered(phone, server.url, body, statuses) for body in bodies
        ]
    )

    sender.start()
    assert wait_until(lambda: len(statuses) >= KILL_AFTER, seconds=60)
    server.kill()  # the whole server, while the phone is sending
    server.start()  # as the supervisor restarts it
    sender.join(120)
    assert not sender.is_alive()

    assert [status for status in statuses if status >= 500] == []
    stored = AssistanceSession.objects.filter(
        client_uuid__in=[body["client_uuid"] for body in bodies]
    )
    assert stored.count() == SESSIONS  # one row per UUID, none lost
    assert signed_in(server.url, member.username)  # sign-in works again
    later = timezone.now() + datetime.timedelta(minutes=3)
    monkeypatch.setattr(tasks.timezone, "now", lambda: later)
    tasks.pending_refresh_sweep_task()
    assert DayTeamStat.objects.get(team=area.team).sessions == SESSIONS

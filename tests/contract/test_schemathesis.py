"""The whole API against its own schema, as a client running schemathesis sees it.

A live server (pytest-django's, on the test database, with the demo data)
is tested by schemathesis' command line with every check and every phase,
stateful included: once with a national API key, and once each signed in
as a team member, a team leader and a ward official (``SIGNED_IN``). Every
run must end with no failure. Each run is bounded in time
(``ST_MAX_TIME`` seconds, 60 by default); what the time buys varies, the
verdict must not.
"""

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.api_keys import api_key_issue
from accounts.models import ApiKey, User
from assistance.models import AssistanceSession
from assistance.selectors import member_for
from households.models import Household

pytestmark = pytest.mark.django_db(transaction=True)

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
ST = Path(sys.executable).with_name("st")
MAX_TIME = os.environ.get("ST_MAX_TIME", "60")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture
def demo(transactional_db, settings):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())
    # The runs send thousands of requests a minute; the budget is tested in
    # tests/reports/api, not here.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": dict.fromkeys(
            settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "1000000/min"
        ),
    }


# Who signs in for each run: a team member logs sessions and adds households,
# a team leader also logs workshops, a ward official reads the alerts and
# the monthly report and changes any session of the ward.
SIGNED_IN = {
    "member": "thanhvien.badinh",
    "leader": "totruong.badinh",
    "ward": "phuong.badinh",
}


def credentials(kind: str) -> dict:
    if kind == "key":
        admin = User.objects.get(username="admin")
        key = ApiKey(name="Schemathesis", level=ApiKey.Level.NATIONAL)
        return {"ST_API_KEY": api_key_issue(key=key, created_by=admin)}
    user = User.objects.get(username=SIGNED_IN[kind])
    client = Client()
    client.force_login(user)
    if user.team is None:  # an official: no sessions of a team of their own
        return {"ST_SESSION": client.cookies["sessionid"].value}
    member = user
    household = Household.objects.filter(hamlet=member.team.hamlet).first()
    real = {
        "team": member.team_id,
        "members": [member_for(member).pk],
        "started_at": timezone.now().isoformat(),
        "place": "home",
        "household": household.pk,
        "services": [{"service": "vneid_level2", "outcome": "done"}],
    }
    return {
        "ST_SESSION": client.cookies["sessionid"].value,
        "ST_SESSION_DATA": json.dumps(real),
    }


def schemathesis_run(url: str, extra_env: dict) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        **extra_env,
        "PYTHONPATH": str(ROOT),
        "SCHEMATHESIS_HOOKS": "tests.contract.schemathesis_hooks",
    }
    for name in ("ST_API_KEY", "ST_SESSION", "ST_SESSION_DATA"):
        if name not in extra_env:
            env.pop(name, None)
    command = [
        str(ST),
        "--config-file",
        str(HERE / "schemathesis.toml"),
        "run",
        url + "/api/schema/?format=json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-time",
        MAX_TIME,
        "--no-color",
    ]
    return subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def untested_for_auth(output: str) -> set[str]:
    """The operations schemathesis reports as answering only 401/403."""
    block = re.search(r"Authentication failed:.*?(?:\n\n\S|\Z)", output, re.S)
    return (
        set(re.findall(r"- ((?:GET|POST|PUT|PATCH) \S+)", block.group(0)))
        if block
        else set()
    )


@pytest.mark.parametrize(
    "kind, must_reach",
    [
        ("key", {"GET /api/v1/stats/", "GET /api/v1/areas/provinces/"}),
        ("member", {"POST /api/v1/sessions/", "GET /api/v1/sessions/{id}/"}),
        ("leader", {"POST /api/v1/workshops/", "POST /api/v1/sessions/"}),
        ("ward", {"GET /api/v1/alerts/", "GET /api/v1/reports/monthly/"}),
    ],
)
def test_the_api_keeps_to_its_schema_under_every_check(
    demo, live_server, kind, must_reach
):
    before = AssistanceSession.objects.count()
    result = schemathesis_run(live_server.url, credentials(kind))
    output = result.stdout + result.stderr
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / ("schemathesis-%s.txt" % kind)).write_text(output)

    assert result.returncode == 0, output[-20000:]
    # Every operation in the schema was tested, none skipped as untestable.
    selected = re.search(r"Selected: (\d+)/(\d+)", output)
    tested = re.search(r"Tested: (\d+)", output)
    assert selected and tested, output[-5000:]
    assert int(tested.group(1)) == int(selected.group(2)) > 10
    # The credentials worked where they should: these were really exercised.
    assert not must_reach & untested_for_auth(output), output[-5000:]
    if kind in ("member", "leader"):  # sessions were stored, not only refused
        assert AssistanceSession.objects.count() > before

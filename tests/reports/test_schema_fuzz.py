"""The statistics and areas API against its own schema, with generated requests.

Schemathesis reads the schema the app serves, generates requests for each
read operation (a bounded number of examples) and calls the WSGI app in
process, on the test database, with a national key. Every answer must be a
non-5xx that the schema declares, in shape, status, content type and headers.
Every operation under /api/v1/stats/ and /api/v1/areas/ is included, the
training statistics too. The capture API (``/api/v1/sessions/``) is left
out: its POST needs a real team, members and households, and is covered by
tests/assistance.
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.api_keys import api_key_issue
from accounts.models import ApiKey, Role
from config.wsgi import application
from reports.services import registry_recompute, stats_recompute
from tests.assistance.factories import SessionFactory
from tests.households.factories import HouseholdFactory
from tests.training.factories import WorkshopFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture
def in_process(db):
    # Requests reach the app straight through WSGI, inside the test's
    # transaction: Django must not close the connection at each request end
    # (its own test client disconnects these the same way).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def national_key(in_process, area, users, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"stats": "100000/min"},
    }
    household = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
    SessionFactory(team=area.team, household=household)
    SessionFactory(team=area.other_team, services=[("bill_qr", "done")])
    WorkshopFactory(team=area.team, held_on=timezone.localdate())
    stats_recompute()
    registry_recompute()
    return api_key_issue(
        key=ApiKey(name="Kiểm thử", level=ApiKey.Level.NATIONAL),
        created_by=users[Role.NATIONAL],
    )


# Loaded once, at collection: serving the schema reads no database. (The lazy
# ``schemathesis.pytest.from_fixture`` does not run under pytest 9.)
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/?format=json", application
).include(path_regex=r"^/api/v1/(stats|areas)/")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_statistics_api_keeps_to_its_schema(case, national_key):
    # The WSGI transport hands schemathesis the body as sent; a gzip-compressed
    # one (GZipMiddleware, when asked) would not parse as JSON.
    case.call_and_validate(
        headers={"X-Api-Key": national_key, "Accept-Encoding": "identity"},
        checks=CHECKS,
    )

"""Whatever a phone sends, the capture answers 201, 200 or a 400 naming fields.

Hypothesis puts values of every shape into a valid session, field by field,
and sends it through the API, the one capture path: a crash (a 500) or a
refusal that names no field of the request is a failure.
"""

import datetime
import uuid

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistance.api.serializers import SessionInput
from assistance.models import AssistanceSession
from tests.assistance.test_api import post

pytestmark = pytest.mark.django_db

FIELDS = sorted(SessionInput().fields)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(
        [
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-12:00",
            "2026-02-30T10:00:00",
            "home",
            "done",
            "online_safety",
            "male",
            "60_plus",
            "1",
            "",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["service", "outcome", "reason", "x"]), inner, max_size=3
        ),
    ),
    max_leaves=6,
)


def valid(member, household) -> dict:
    return {
        "client_uuid": str(uuid.uuid4()),
        "started_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "place": "home",
        "members": [member.pk],
        "household": household.pk,
        "services": [{"service": "online_safety", "outcome": "done"}],
    }


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=st.dictionaries(st.sampled_from(FIELDS), values, min_size=1, max_size=3))
def test_any_value_of_any_field_is_stored_or_refused_by_name(
    as_member, member, household, changes
):
    data = {**valid(member, household), **changes}
    before = AssistanceSession.objects.count()

    response = post(as_member, data)

    assert response.status_code in (200, 201, 400), response.content
    if response.status_code == 400:
        assert set(response.json()["errors"]) <= set(FIELDS), response.json()
    else:
        assert AssistanceSession.objects.count() == before + (
            response.status_code == 201
        )

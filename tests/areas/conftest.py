"""API keys for the read API's tests, here and in the statistics' tests."""

import pytest

from accounts.api_keys import api_key_issue
from accounts.models import ApiKey, Role


@pytest.fixture
def make_key(users):
    """``make_key(level, province=None, ward=None)`` → the key's secret."""

    def make_key(level, *, province=None, ward=None, is_active=True):
        key = ApiKey(
            name="Kho dữ liệu %s" % level,
            level=level,
            province=province,
            ward=ward,
            is_active=is_active,
        )
        return api_key_issue(key=key, created_by=users[Role.NATIONAL])

    return make_key


@pytest.fixture
def with_key(api, make_key):
    """``with_key(level, ...)`` → the API client, sending that key."""

    def with_key(level, **area):
        api.credentials(HTTP_X_API_KEY=make_key(level, **area))
        return api

    return with_key

"""A key speaks for the official who issued it: their account switched off,
or deleted, switches the key off too."""

import pytest

from accounts.api_keys import api_key_issue
from accounts.models import ApiKey, Role

pytestmark = pytest.mark.django_db

PROVINCES = "/api/v1/areas/provinces/"


@pytest.fixture
def issuer(users):
    return users[Role.NATIONAL]


@pytest.fixture
def secret(issuer):
    return api_key_issue(
        key=ApiKey(name="Kho dữ liệu", level=ApiKey.Level.NATIONAL),
        created_by=issuer,
    )


def test_a_key_of_an_active_issuer_reads(api, secret):
    assert api.get(PROVINCES, HTTP_X_API_KEY=secret).status_code == 200


def test_switching_the_issuer_off_switches_the_key_off(api, issuer, secret):
    issuer.is_active = False
    issuer.save()

    response = api.get(PROVINCES, HTTP_X_API_KEY=secret)

    assert response.status_code == 401
    assert "issued this API key is switched off" in response.json()["detail"]


def test_a_key_whose_issuer_was_deleted_is_refused(api, issuer, secret):
    ApiKey.objects.update(created_by=None)

    response = api.get(PROVINCES, HTTP_X_API_KEY=secret)

    assert response.status_code == 401


def test_switching_the_issuer_back_on_restores_the_key(api, issuer, secret):
    issuer.is_active = False
    issuer.save()
    api.get(PROVINCES, HTTP_X_API_KEY=secret)
    issuer.is_active = True
    issuer.save()

    assert api.get(PROVINCES, HTTP_X_API_KEY=secret).status_code == 200

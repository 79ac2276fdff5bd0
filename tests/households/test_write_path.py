"""One write path: the admin's form and the phone's API store a household
through the same service."""

from unittest import mock
from uuid import uuid4

import pytest

from accounts.models import Role
from households import admin as household_admin
from households import services
from households.models import Household

pytestmark = pytest.mark.django_db


def test_the_admin_stores_through_household_save(client, users, area):
    client.force_login(users[Role.WARD])
    with mock.patch.object(
        household_admin, "household_save", wraps=services.household_save
    ) as spy:
        response = client.post(
            "/admin/households/household/add/",
            {
                "ward": area.ward.pk,
                "hamlet": area.hamlet.pk,
                "code": "BD-0300",
                "head_name": "Lý Văn Ba",
                "size": 2,
                "poverty": "",
                "residents-TOTAL_FORMS": 0,
                "residents-INITIAL_FORMS": 0,
            },
        )

    assert response.status_code == 302
    assert spy.call_count == 1
    assert spy.call_args.kwargs["household"] == Household.objects.get()


def test_the_api_stores_through_household_save(api, users):
    api.force_authenticate(users[Role.TEAM_MEMBER])
    with mock.patch.object(
        services, "household_save", wraps=services.household_save
    ) as spy:
        response = api.post(
            "/api/v1/households/",
            {"client_uuid": str(uuid4()), "head_name": "Lý Văn Hai"},
            format="json",
        )

    assert response.status_code == 201
    assert spy.call_count == 1
    assert spy.call_args.kwargs["household"] == Household.objects.get()


def test_both_paths_use_the_same_service():
    assert household_admin.household_save is services.household_save

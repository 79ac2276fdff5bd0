"""The admin lists' filters by a related area offer only what is in scope."""

import pytest

from accounts.models import Role

pytestmark = pytest.mark.django_db

WARDS = "/admin/areas/ward/"


def filter_choices(response) -> str:
    html = response.content.decode()
    return html[html.index('id="changelist-filter"') :]


@pytest.mark.parametrize("role", [Role.PROVINCE, Role.WARD])
def test_the_ward_list_offers_only_the_officials_province(client, users, area, role):
    client.force_login(users[role])

    response = client.get(WARDS)

    assert response.status_code == 200
    # One province in scope: nothing to choose, so the filter is left out.
    choices = filter_choices(response)
    assert area.other_province.name not in choices
    assert "province__code__exact" not in choices


def test_a_national_administrator_filters_by_every_province(client, users, area):
    client.force_login(users[Role.NATIONAL])

    choices = filter_choices(client.get(WARDS))

    assert area.province.name in choices
    assert area.other_province.name in choices

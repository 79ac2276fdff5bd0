"""Two officials edit one household: the second save is refused in words,
never silently written over the first."""

import re

import pytest

from accounts.models import Role
from households.models import Household
from tests.households.helpers import household_form

pytestmark = pytest.mark.django_db

HOUSEHOLDS = "/admin/households/household/"
SEEN = re.compile(r'name="_seen_version" value="([^"]+)"')


def opened(client, household) -> str:
    """Open the change form, as a browser tab does; the version it carries."""
    response = client.get("%s%d/change/" % (HOUSEHOLDS, household.pk))
    return SEEN.search(response.text).group(1)


def save(client, household, seen, **changes):
    data = household_form(household, **changes)
    data["_seen_version"] = seen
    return client.post("%s%d/change/" % (HOUSEHOLDS, household.pk), data)


@pytest.fixture
def official(client, users):
    client.force_login(users[Role.WARD])


def test_a_save_over_a_newer_version_is_refused(client, official, registry):
    first_tab = opened(client, registry.mine)
    second_tab = opened(client, registry.mine)
    assert (
        save(client, registry.mine, first_tab, address="Số 1 phố Mới").status_code
        == 302
    )

    refused = save(client, registry.mine, second_tab, phone="0987000111")

    assert refused.status_code == 200
    assert "Có người đã lưu bản ghi này" in refused.text
    assert "Hãy sửa các lỗi dưới đây" in refused.text  # not Django's English note
    assert "Please correct" not in refused.text
    stored = Household.objects.get(pk=registry.mine.pk)
    assert stored.address == "Số 1 phố Mới"  # the first edit survives
    assert stored.phone == registry.mine.phone  # the second was not written


def test_a_save_from_the_current_version_goes_through(client, official, registry):
    seen = opened(client, registry.mine)

    response = save(client, registry.mine, seen, address="Số 2 phố Mới")

    assert response.status_code == 302
    assert Household.objects.get(pk=registry.mine.pk).address == "Số 2 phố Mới"


def test_edits_one_after_another_each_go_through(client, official, registry):
    save(client, registry.mine, opened(client, registry.mine), address="Số 3")
    household = Household.objects.get(pk=registry.mine.pk)

    response = save(client, household, opened(client, household), address="Số 4")

    assert response.status_code == 302
    assert Household.objects.get(pk=registry.mine.pk).address == "Số 4"

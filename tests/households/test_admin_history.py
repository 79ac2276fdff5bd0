"""The audit trail of households and residents, kept inside their ward."""

import pytest
from pytest_django.asserts import assertContains

from accounts.models import Role
from households.models import Household
from tests.households.helpers import household_form

pytestmark = pytest.mark.django_db

HOUSEHOLDS = "/admin/households/household/"
RESIDENTS = "/admin/households/resident/"


def test_history_lists_a_change_with_who_made_it(client, users, registry):
    official = users[Role.WARD]
    client.force_login(official)
    saved = client.post(
        "%s%d/change/" % (HOUSEHOLDS, registry.mine.pk),
        household_form(registry.mine, address="Số 12 ngõ 45 phố Đội Cấn"),
    )
    assert saved.status_code == 302

    response = client.get("%s%d/history/" % (HOUSEHOLDS, registry.mine.pk))

    records = response.context["page_obj"].object_list
    assert [(r.history_type, r.history_user) for r in records] == [
        ("~", official),
        ("+", None),
    ]
    assertContains(
        response,
        '<a href="/admin/accounts/user/%d/change/">phuong</a>' % official.pk,
        html=True,
    )


def test_history_of_another_wards_household_is_not_found(
    client, registry, neighbour_official
):
    client.force_login(neighbour_official)

    response = client.get("%s%d/history/" % (HOUSEHOLDS, registry.mine.pk))

    assert response.status_code == 404
    assert "Hoàng Văn Bảy" not in response.text


def test_history_of_another_wards_deleted_household_is_not_found(
    client, users, registry
):
    household_id = registry.neighbours.pk
    registry.neighbours.delete()
    client.force_login(users[Role.WARD])

    response = client.get("%s%d/history/" % (HOUSEHOLDS, household_id))

    assert response.status_code == 404
    assert "Phạm Văn Bốn" not in response.text


def test_history_of_a_deleted_household_stays_with_its_ward(
    client, registry, neighbour_official
):
    household_id = registry.neighbours.pk
    registry.neighbours.delete()
    client.force_login(neighbour_official)

    response = client.get("%s%d/history/" % (HOUSEHOLDS, household_id))

    assert response.status_code == 200
    records = response.context["page_obj"].object_list
    assert [r.history_type for r in records] == ["-", "+"]
    assert "Phạm Văn Bốn" in response.text


def test_history_of_another_wards_deleted_resident_is_not_found(
    client, users, registry
):
    resident_id = registry.neighbours_resident.pk
    registry.neighbours_resident.delete()
    client.force_login(users[Role.WARD])

    response = client.get("%s%d/history/" % (RESIDENTS, resident_id))

    assert response.status_code == 404
    assert "Phạm Thị Năm" not in response.text


def test_history_of_a_deleted_resident_stays_with_its_ward(client, users, registry):
    resident_id = registry.my_resident.pk
    registry.my_resident.delete()
    client.force_login(users[Role.WARD])

    response = client.get("%s%d/history/" % (RESIDENTS, resident_id))

    assert response.status_code == 200
    assert [r.history_type for r in response.context["page_obj"].object_list] == [
        "-",
        "+",
    ]


def test_another_wards_past_version_cannot_be_opened(client, users, registry):
    version = Household.history.get(id=registry.neighbours.pk).history_id
    client.force_login(users[Role.WARD])

    response = client.get(
        "%s%d/history/%d/" % (HOUSEHOLDS, registry.neighbours.pk, version)
    )

    assert response.status_code == 404
    assert "Phạm Văn Bốn" not in response.text


def test_past_version_of_a_deleted_household_stays_with_its_ward(
    client, registry, neighbour_official
):
    household_id = registry.neighbours.pk
    version = Household.history.get(id=household_id).history_id
    registry.neighbours.delete()
    client.force_login(neighbour_official)

    response = client.get("%s%d/history/%d/" % (HOUSEHOLDS, household_id, version))

    assert response.status_code == 200
    assert "Phạm Văn Bốn" in response.text


def test_a_moved_households_residents_keep_a_trail_in_the_new_ward(
    client, area, registry, neighbour_official
):
    """Province staff move a household to a neighbouring ward: its residents
    move with it, and the new ward's official reads their history."""
    resident = registry.mine.residents.get()
    registry.mine.ward = area.neighbour_ward
    registry.mine.hamlet = area.neighbour_hamlet
    registry.mine.save()
    client.force_login(neighbour_official)

    response = client.get("%s%d/history/" % (RESIDENTS, resident.pk))

    assert response.status_code == 200
    records = response.context["page_obj"].object_list
    assert records[0].history_type == "~"
    assert records[0].ward_id == area.neighbour_ward.pk
    assert records[0].history_change_reason  # says why it changed

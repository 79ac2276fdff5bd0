"""The admin warns of a household that may repeat one of the ward's, and saves
it only when the official says so."""

import pytest

from accounts.models import Role
from households.models import Household
from tests.households.factories import HouseholdFactory
from tests.households.helpers import household_form

pytestmark = pytest.mark.django_db

ADD = "/admin/households/household/add/"


@pytest.fixture
def existing(area):
    return HouseholdFactory(
        ward=area.ward,
        hamlet=area.hamlet,
        code="BD-0100",
        head_name="Đặng Thị Hường",
        phone="0912345678",
        address="12 ngõ Hòa Bình",
    )


def new_household(area, **changes) -> dict:
    data = {
        "ward": area.ward.pk,
        "hamlet": area.hamlet.pk,
        "code": "BD-0200",
        "head_name": "DANG THI HUONG",
        "address": "Số 3",
        "phone": "",
        "size": 3,
        "poverty": "",
        "residents-TOTAL_FORMS": 1,
        "residents-INITIAL_FORMS": 0,
        "residents-0-full_name": "Đặng Văn Con",
        "residents-0-birth_year": 2001,
        "residents-0-gender": "male",
        "residents-0-vneid_level": "none",
        "residents-0-digital_skill": "none",
    }
    data.update(changes)
    return data


def test_a_likely_duplicate_is_not_saved_but_listed_in_vietnamese(
    client, users, area, existing
):
    client.force_login(users[Role.WARD])

    response = client.post(ADD, new_household(area))

    assert response.status_code == 200
    assert not Household.objects.filter(code="BD-0200").exists()
    page = response.text
    assert "Hộ này có thể đã được đăng ký trong phường" in page
    assert "Vẫn lưu hộ mới" in page
    assert "cùng tên chủ hộ trong cùng thôn" in page
    assert "/admin/households/household/%d/change/" % existing.pk in page
    assert "Đặng Thị Hường" in page and "0912345678" in page
    # What was typed is still there, residents too.
    assert 'value="DANG THI HUONG"' in page
    assert 'value="Đặng Văn Con"' in page


def test_confirming_saves_the_new_household_with_its_residents(
    client, users, area, existing
):
    client.force_login(users[Role.WARD])

    response = client.post(ADD, new_household(area, confirm_duplicates="on"))

    assert response.status_code == 302
    saved = Household.objects.get(code="BD-0200")
    assert [r.full_name for r in saved.residents.all()] == ["Đặng Văn Con"]


def test_a_household_unlike_any_other_is_saved_at_once(client, users, area, existing):
    client.force_login(users[Role.WARD])

    response = client.post(ADD, new_household(area, head_name="Lý Thị Mới"))

    assert response.status_code == 302
    assert Household.objects.filter(code="BD-0200").exists()


def test_the_same_phone_typed_otherwise_is_caught(client, users, area, existing):
    client.force_login(users[Role.WARD])

    response = client.post(
        ADD, new_household(area, head_name="Lý Thị Mới", phone="+84 912 345 678")
    )

    assert response.status_code == 200
    assert "cùng số điện thoại" in response.text
    assert not Household.objects.filter(code="BD-0200").exists()


def test_changing_other_fields_of_a_household_is_not_held_up(
    client, users, area, existing
):
    HouseholdFactory(
        ward=area.ward, hamlet=area.hamlet, code="BD-0101", phone="0988000111"
    )
    twin = HouseholdFactory(
        ward=area.ward, hamlet=area.hamlet, code="BD-0102", phone="0988000111"
    )
    client.force_login(users[Role.WARD])

    response = client.post(
        "/admin/households/household/%d/change/" % twin.pk,
        household_form(twin, size=5),
    )

    assert response.status_code == 302
    twin.refresh_from_db()
    assert twin.size == 5


def test_changing_the_phone_to_anothers_warns_and_confirming_saves(
    client, users, area, existing
):
    other = HouseholdFactory(ward=area.ward, hamlet=area.hamlet, code="BD-0300")
    url = "/admin/households/household/%d/change/" % other.pk
    client.force_login(users[Role.WARD])

    warned = client.post(url, household_form(other, phone="0912 345 678"))
    saved = client.post(
        url, household_form(other, phone="0912 345 678", confirm_duplicates="on")
    )

    assert warned.status_code == 200
    assert "Vẫn lưu thay đổi" in warned.text
    assert saved.status_code == 302
    other.refresh_from_db()
    assert other.phone == "0912345678"


def test_a_household_of_another_ward_is_never_named(client, users, area):
    HouseholdFactory(
        ward=area.neighbour_ward,
        hamlet=area.neighbour_hamlet,
        code="HK-0001",
        head_name="Đặng Thị Hường",
        phone="0912345678",
    )
    client.force_login(users[Role.WARD])

    response = client.post(ADD, new_household(area, phone="0912345678"))

    assert response.status_code == 302
    assert Household.objects.filter(code="BD-0200").exists()

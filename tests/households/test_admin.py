"""The households registry in the admin: each role sees and edits its own area."""

from types import SimpleNamespace

import pytest

from accounts.models import Role
from households.models import Household, Resident
from tests.accounts.factories import UserFactory
from tests.households.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db

HOUSEHOLDS = "/admin/households/household/"
RESIDENTS = "/admin/households/resident/"


@pytest.fixture
def registry(area):
    """A household with one resident in each ward of the area."""
    mine = HouseholdFactory(
        ward=area.ward,
        hamlet=area.hamlet,
        code="BD-0001",
        head_name="Hoàng Văn Bảy",
        phone="0912345678",
    )
    neighbours = HouseholdFactory(
        ward=area.neighbour_ward,
        hamlet=area.neighbour_hamlet,
        code="HK-0001",
        head_name="Phạm Văn Bốn",
        phone="0987654321",
    )
    far = HouseholdFactory(
        ward=area.other_ward,
        hamlet=area.other_hamlet,
        code="SG-0001",
        head_name="Võ Thị Sáu",
        phone="0909123456",
    )
    return SimpleNamespace(
        mine=mine,
        neighbours=neighbours,
        far=far,
        my_resident=ResidentFactory(household=mine, full_name="Nguyễn Thị Hoa"),
        neighbours_resident=ResidentFactory(
            household=neighbours, full_name="Phạm Thị Năm", phone="0977111222"
        ),
        far_resident=ResidentFactory(household=far, full_name="Võ Văn Tám"),
    )


@pytest.fixture
def neighbour_official(area):
    return UserFactory(username="hoankiem", role=Role.WARD, ward=area.neighbour_ward)


def household_form(household, **changes):
    """The change form of a household without residents, as the browser posts it."""
    data = {
        "ward": household.ward_id,
        "hamlet": household.hamlet_id,
        "code": household.code,
        "head_name": household.head_name,
        "address": household.address,
        "phone": household.phone,
        "size": household.size,
        "poverty": household.poverty,
        "residents-TOTAL_FORMS": "0",
        "residents-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", [Role.WARD, Role.PROVINCE, Role.NATIONAL])
def test_household_list_shows_the_users_area(client, users, registry, role):
    client.force_login(users[role])

    listed = set(client.get(HOUSEHOLDS).context["cl"].result_list)

    expected = {
        Role.WARD: {registry.mine},
        Role.PROVINCE: {registry.mine, registry.neighbours},
        Role.NATIONAL: {registry.mine, registry.neighbours, registry.far},
    }[role]
    assert listed == expected


@pytest.mark.parametrize("role", [Role.WARD, Role.PROVINCE, Role.NATIONAL])
def test_resident_list_shows_the_users_area(client, users, registry, role):
    client.force_login(users[role])

    listed = set(client.get(RESIDENTS).context["cl"].result_list)

    expected = {
        Role.WARD: {registry.my_resident},
        Role.PROVINCE: {registry.my_resident, registry.neighbours_resident},
        Role.NATIONAL: {
            registry.my_resident,
            registry.neighbours_resident,
            registry.far_resident,
        },
    }[role]
    assert listed == expected


@pytest.mark.parametrize("url", [HOUSEHOLDS, RESIDENTS])
@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.TEAM_MEMBER])
def test_team_roles_are_sent_to_the_field_app_instead_of_the_list(
    client, users, registry, role, url
):
    client.force_login(users[role])

    response = client.get(url, follow=True)

    assert response.redirect_chain[0] == ("/admin/login/?next=%s" % url, 302)
    assert response.redirect_chain[-1][0] == "/field/"
    assert "cl" not in response.context
    assert registry.mine.head_name not in response.text
    assert registry.my_resident.full_name not in response.text


def test_another_wards_household_cannot_be_opened_by_url(client, users, registry):
    client.force_login(users[Role.WARD])

    response = client.get(
        "%s%d/change/" % (HOUSEHOLDS, registry.neighbours.pk), follow=True
    )

    assert response.redirect_chain == [("/admin/", 302)]
    assert "Phạm Văn Bốn" not in response.text
    assert "0987654321" not in response.text


def test_another_wards_resident_cannot_be_opened_by_url(client, users, registry):
    client.force_login(users[Role.WARD])

    response = client.get(
        "%s%d/change/" % (RESIDENTS, registry.neighbours_resident.pk), follow=True
    )

    assert response.redirect_chain == [("/admin/", 302)]
    assert "Phạm Thị Năm" not in response.text
    assert "0977111222" not in response.text


def test_province_staff_view_a_household_of_their_province(client, users, registry):
    client.force_login(users[Role.PROVINCE])

    response = client.get("%s%d/change/" % (HOUSEHOLDS, registry.neighbours.pk))

    assert response.status_code == 200
    assert "Phạm Văn Bốn" in response.text
    assert response.context["has_change_permission"] is False


def test_province_staff_cannot_save_a_household(client, users, registry):
    client.force_login(users[Role.PROVINCE])

    response = client.post(
        "%s%d/change/" % (HOUSEHOLDS, registry.mine.pk),
        household_form(registry.mine, head_name="Đổi Tên", phone="0911000000"),
    )

    assert response.status_code == 403
    registry.mine.refresh_from_db()
    assert (registry.mine.head_name, registry.mine.phone) == (
        "Hoàng Văn Bảy",
        "0912345678",
    )


def test_province_staff_see_no_add_button(client, users, registry):
    client.force_login(users[Role.PROVINCE])

    response = client.get(HOUSEHOLDS)

    assert response.context["has_add_permission"] is False
    assert "%sadd/" % HOUSEHOLDS not in response.text


def test_province_staff_cannot_open_the_add_form(client, users, registry):
    client.force_login(users[Role.PROVINCE])

    assert client.get("%sadd/" % HOUSEHOLDS).status_code == 403


def test_ward_official_adds_a_household_with_two_residents(client, users, area):
    client.force_login(users[Role.WARD])

    response = client.post(
        "%sadd/" % HOUSEHOLDS,
        {
            "ward": area.ward.pk,
            "hamlet": area.hamlet.pk,
            "code": "bd-0099",
            "head_name": "Trần Văn Cường",
            "address": "Số 3 ngõ 7 phố Kim Mã",
            "phone": "0913 222 333",
            "size": "2",
            "poverty": "",
            "residents-TOTAL_FORMS": "2",
            "residents-INITIAL_FORMS": "0",
            "residents-0-full_name": "Trần Văn Cường",
            "residents-0-birth_year": "1958",
            "residents-0-gender": "male",
            "residents-0-vneid_level": "level2",
            "residents-0-digital_skill": "basic",
            "residents-1-full_name": "Lê Thị Dung",
            "residents-1-birth_year": "1990",
            "residents-1-gender": "female",
            "residents-1-phone": "0914555666",
            "residents-1-has_smartphone": "on",
            "residents-1-is_focal_person": "on",
            "residents-1-vneid_level": "level2",
            "residents-1-digital_skill": "advanced",
        },
    )

    assert response.status_code == 302
    household = Household.objects.get(code="BD-0099")
    assert (household.ward, household.phone) == (area.ward, "0913222333")
    residents = {r.full_name: r for r in household.residents.all()}
    assert set(residents) == {"Trần Văn Cường", "Lê Thị Dung"}
    assert {r.ward for r in residents.values()} == {area.ward}
    assert household.focal_person == residents["Lê Thị Dung"]


def test_ward_official_cannot_add_a_household_to_another_ward(client, users, area):
    client.force_login(users[Role.WARD])

    response = client.post(
        "%sadd/" % HOUSEHOLDS,
        {
            "ward": area.neighbour_ward.pk,
            "hamlet": area.neighbour_hamlet.pk,
            "code": "HK-0099",
            "head_name": "Trần Văn Cường",
            "size": "1",
            "poverty": "",
            "residents-TOTAL_FORMS": "0",
            "residents-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"ward", "hamlet"}
    assert not Household.objects.filter(code="HK-0099").exists()


def test_history_lists_a_change_with_who_made_it(client, users, registry):
    official = users[Role.WARD]
    client.force_login(official)
    saved = client.post(
        "%s%d/change/" % (HOUSEHOLDS, registry.mine.pk),
        household_form(
            registry.mine,
            address="Số 12 ngõ 45 phố Đội Cấn",
            **{
                "residents-TOTAL_FORMS": "1",
                "residents-INITIAL_FORMS": "1",
                "residents-0-id": registry.my_resident.pk,
                "residents-0-household": registry.mine.pk,
                "residents-0-full_name": registry.my_resident.full_name,
                "residents-0-birth_year": registry.my_resident.birth_year,
                "residents-0-gender": registry.my_resident.gender,
                "residents-0-vneid_level": registry.my_resident.vneid_level,
                "residents-0-digital_skill": registry.my_resident.digital_skill,
            },
        ),
    )
    assert saved.status_code == 302

    response = client.get("%s%d/history/" % (HOUSEHOLDS, registry.mine.pk))

    records = response.context["page_obj"].object_list
    assert [(r.history_type, r.history_user) for r in records] == [
        ("~", official),
        ("+", None),
    ]
    assert '<a href="/admin/accounts/user/%d/change/">%s</a>' % (
        official.pk,
        official.username,
    ) in " ".join(response.text.split()).replace("> ", ">").replace(" <", "<")


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
    assert not Resident.objects.filter(pk=resident_id).exists()

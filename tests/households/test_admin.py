"""The households registry in the admin: each role sees and edits its own area."""

import pytest

from accounts.models import Role
from households.models import Household
from tests.households.helpers import household_form

pytestmark = pytest.mark.django_db

HOUSEHOLDS = "/admin/households/household/"
RESIDENTS = "/admin/households/resident/"


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


def test_another_wards_household_cannot_be_deleted_by_url(client, users, registry):
    client.force_login(users[Role.WARD])

    response = client.post(
        "%s%d/delete/" % (HOUSEHOLDS, registry.neighbours.pk), {"post": "yes"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert Household.objects.filter(pk=registry.neighbours.pk).exists()


def test_another_wards_household_cannot_be_deleted_from_the_list(
    client, users, registry
):
    client.force_login(users[Role.WARD])

    client.post(
        HOUSEHOLDS,
        {
            "action": "delete_selected",
            "_selected_action": [registry.neighbours.pk],
            "post": "yes",
        },
    )

    assert Household.objects.filter(pk=registry.neighbours.pk).exists()


def test_province_staff_cannot_open_another_provinces_household(
    client, users, registry
):
    client.force_login(users[Role.PROVINCE])

    response = client.get("%s%d/change/" % (HOUSEHOLDS, registry.far.pk), follow=True)

    assert response.redirect_chain == [("/admin/", 302)]
    assert "Võ Thị Sáu" not in response.text
    assert "0909123456" not in response.text


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


def test_ward_official_cannot_move_a_resident_into_another_wards_household(
    client, users, registry
):
    client.force_login(users[Role.WARD])
    resident = registry.my_resident

    response = client.post(
        "%s%d/change/" % (RESIDENTS, resident.pk),
        {
            "household": registry.neighbours.pk,
            "full_name": resident.full_name,
            "birth_year": resident.birth_year,
            "gender": resident.gender,
            "vneid_level": resident.vneid_level,
            "digital_skill": resident.digital_skill,
        },
    )

    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"household"}
    resident.refresh_from_db()
    assert (resident.household, resident.ward) == (registry.mine, registry.mine.ward)


def test_residents_follow_their_household_to_another_ward(client, users, registry):
    client.force_login(users[Role.NATIONAL])
    household, resident = registry.mine, registry.my_resident
    neighbour_hamlet = registry.neighbours.hamlet

    response = client.post(
        "%s%d/change/" % (HOUSEHOLDS, household.pk),
        household_form(
            household, ward=neighbour_hamlet.ward_id, hamlet=neighbour_hamlet.pk
        ),
    )

    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.ward_id == neighbour_hamlet.ward_id


def test_residents_of_a_moved_household_leave_the_old_wards_list(
    client, users, registry
):
    household = registry.mine
    household.ward, household.hamlet = (
        registry.neighbours.ward,
        registry.neighbours.hamlet,
    )
    household.save()
    client.force_login(users[Role.WARD])

    listed = set(client.get(RESIDENTS).context["cl"].result_list)

    assert listed == set()


def test_resident_list_shows_birth_years_without_a_thousands_separator(
    client, users, registry
):
    registry.my_resident.birth_year = 1968
    registry.my_resident.save()
    client.force_login(users[Role.WARD])

    response = client.get("/admin/households/resident/")

    assert '<td class="field-born">1968</td>' in response.text
    assert "1.968" not in response.text


def test_household_list_shows_priority_groups_as_badges_named_in_full(
    client, users, registry
):
    registry.mine.elderly_alone = True
    registry.mine.save()
    client.force_login(users[Role.WARD])

    response = client.get("/admin/households/household/")

    assert (
        '<span class="priority-badge" title="người cao tuổi sống một mình">'
        '<span aria-hidden="true">cao tuổi</span>'
        '<span class="visually-hidden">người cao tuổi sống một mình</span></span>'
    ) in response.text

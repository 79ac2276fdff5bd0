import pytest

from accounts.models import Role, User
from areas.models import Hamlet

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(client, users):
    client.force_login(users[Role.WARD])
    return client


def test_ward_official_lists_only_their_wards_hamlets(official, area):
    response = official.get("/admin/areas/hamlet/")

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [area.hamlet]


def test_another_wards_hamlet_cannot_be_opened(official, area):
    response = official.get(
        "/admin/areas/hamlet/%d/change/" % area.neighbour_hamlet.pk, follow=True
    )

    assert response.redirect_chain[-1][0] == "/admin/"
    assert area.neighbour_hamlet.name not in response.text


def test_ward_official_adds_a_hamlet_to_their_ward(official, area):
    official.post(
        "/admin/areas/hamlet/add/",
        {
            "ward": area.ward.pk,
            "name": "Tổ dân phố số 9",
            "kind": "to_dan_pho",
            "is_active": "on",
        },
    )

    assert Hamlet.objects.filter(ward=area.ward, name="Tổ dân phố số 9").exists()


def test_ward_official_cannot_add_a_hamlet_to_another_ward(official, area):
    response = official.post(
        "/admin/areas/hamlet/add/",
        {"ward": area.neighbour_ward.pk, "name": "Tổ lạ", "kind": "to_dan_pho"},
    )

    assert response.status_code == 200
    assert "ward" in response.context["adminform"].form.errors
    assert not Hamlet.objects.filter(name="Tổ lạ").exists()


def test_ward_autocomplete_offers_only_their_ward(official, area):
    response = official.get(
        "/admin/autocomplete/",
        {
            "app_label": "areas",
            "model_name": "hamlet",
            "field_name": "ward",
            "term": "",
        },
    )

    assert [row["id"] for row in response.json()["results"]] == [area.ward.pk]


def test_province_staff_read_their_province_but_cannot_edit(client, users, area):
    client.force_login(users[Role.PROVINCE])

    listing = client.get("/admin/areas/hamlet/")
    edit = client.post(
        "/admin/areas/hamlet/%d/change/" % area.hamlet.pk,
        {"ward": area.ward.pk, "name": "Đổi tên", "kind": "to_dan_pho"},
    )

    assert set(listing.context["cl"].result_list) == {
        area.hamlet,
        area.neighbour_hamlet,
    }
    assert edit.status_code == 403
    area.hamlet.refresh_from_db()
    assert area.hamlet.name != "Đổi tên"


@pytest.mark.parametrize("role", [Role.TEAM_MEMBER, Role.TEAM_LEADER])
def test_team_roles_do_not_reach_the_admin(client, users, role):
    client.force_login(users[role])

    response = client.get("/admin/areas/hamlet/", follow=True)

    assert response.redirect_chain[-1][0] == "/field/"


def test_admins_that_do_not_declare_their_scope_are_national_only(
    official, users, client
):
    assert official.get("/admin/auth/group/").status_code == 403
    assert "auth" not in {
        app["app_label"] for app in official.get("/admin/").context["app_list"]
    }

    client.force_login(users[Role.NATIONAL])
    assert client.get("/admin/auth/group/").status_code == 200


def test_ward_official_creates_a_team_member_account(official, area):
    official.post(
        "/admin/accounts/user/add/",
        {
            "username": "tv.moi",
            "password1": "Mat-khau-manh-2026",
            "password2": "Mat-khau-manh-2026",
            "role": Role.TEAM_MEMBER,
            "team": area.team.pk,
        },
    )

    user = User.objects.get(username="tv.moi")
    assert (user.team, user.ward, user.province) == (
        area.team,
        area.ward,
        area.province,
    )


@pytest.mark.parametrize("role", [Role.NATIONAL, Role.PROVINCE, Role.WARD])
def test_ward_official_cannot_grant_their_own_role_or_above(official, area, role):
    response = official.post(
        "/admin/accounts/user/add/",
        {
            "username": "leo.thang",
            "password1": "Mat-khau-manh-2026",
            "password2": "Mat-khau-manh-2026",
            "role": role,
            "province": area.province.pk,
            "ward": area.ward.pk,
        },
    )

    assert "role" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="leo.thang").exists()


def test_ward_official_cannot_put_an_account_in_another_wards_team(official, area):
    official.post(
        "/admin/accounts/user/add/",
        {
            "username": "sai.to",
            "password1": "Mat-khau-manh-2026",
            "password2": "Mat-khau-manh-2026",
            "role": Role.TEAM_MEMBER,
            "team": area.neighbour_team.pk,
        },
    )

    assert not User.objects.filter(username="sai.to").exists()


def test_ward_official_does_not_see_accounts_outside_the_ward(official, users):
    response = official.get("/admin/accounts/user/")

    assert {u.username for u in response.context["cl"].result_list} == {
        "phuong",
        "totruong",
        "thanhvien",
    }


def test_national_administrator_sees_every_hamlet(client, users, area):
    client.force_login(users[Role.NATIONAL])

    response = client.get("/admin/areas/hamlet/")

    assert response.context["cl"].result_count == 3


def test_ward_official_deactivates_a_team_members_account(official, users):
    member = users[Role.TEAM_MEMBER]

    official.post(
        "/admin/accounts/user/%d/change/" % member.pk,
        {
            "username": member.username,
            "role": member.role,
            "team": member.team_id,
            "last_name": member.last_name,
            "first_name": member.first_name,
            "email": "",
        },
    )

    member.refresh_from_db()
    assert member.is_active is False


def test_ward_official_resets_a_team_members_password(official, users):
    member = users[Role.TEAM_MEMBER]

    official.post(
        "/admin/accounts/user/%d/password/" % member.pk,
        {"password1": "Mat-khau-moi-2026", "password2": "Mat-khau-moi-2026"},
    )

    member.refresh_from_db()
    assert member.check_password("Mat-khau-moi-2026")


def test_ward_official_cannot_edit_a_fellow_ward_official(official, area):
    colleague = User.objects.create_user("dong.nghiep", role=Role.WARD, ward=area.ward)

    response = official.post(
        "/admin/accounts/user/%d/change/" % colleague.pk,
        {"username": "doi-ten", "role": Role.WARD, "ward": area.ward.pk},
    )

    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.username == "dong.nghiep"


def test_province_staff_create_ward_officials_in_their_province(client, users, area):
    client.force_login(users[Role.PROVINCE])

    client.post(
        "/admin/accounts/user/add/",
        {
            "username": "can.bo.moi",
            "password1": "Mat-khau-manh-2026",
            "password2": "Mat-khau-manh-2026",
            "role": Role.WARD,
            "ward": area.neighbour_ward.pk,
        },
    )

    user = User.objects.get(username="can.bo.moi")
    assert (user.ward, user.province) == (area.neighbour_ward, area.province)


def test_province_staff_cannot_create_a_ward_official_elsewhere(client, users, area):
    client.force_login(users[Role.PROVINCE])

    client.post(
        "/admin/accounts/user/add/",
        {
            "username": "ngoai.tinh",
            "password1": "Mat-khau-manh-2026",
            "password2": "Mat-khau-manh-2026",
            "role": Role.WARD,
            "ward": area.other_ward.pk,
        },
    )

    assert not User.objects.filter(username="ngoai.tinh").exists()

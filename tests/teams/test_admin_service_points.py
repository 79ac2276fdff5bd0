"""Service points and duty shifts in the admin, each ward keeping its own roster."""

import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings

from accounts.models import Role
from teams.models import Member, ServicePoint, Shift

pytestmark = pytest.mark.django_db

POINTS = "/admin/teams/servicepoint/"
SHIFTS = "/admin/teams/shift/"
DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def roster(area):
    """A service point, a member and a morning shift in each ward of the area."""

    def ward_roster(ward, hamlet, name, member_name, phone):
        point = ServicePoint.objects.create(ward=ward, hamlet=hamlet, name=name)
        member = Member.objects.create(ward=ward, full_name=member_name, phone=phone)
        shift = Shift.objects.create(service_point=point, date=DAY, period="morning")
        shift.members.add(member)
        return SimpleNamespace(point=point, member=member, shift=shift)

    mine = ward_roster(
        area.ward, area.hamlet, "Điểm hỗ trợ Ba Đình", "Lê Văn Hải", "0912000001"
    )
    neighbours = ward_roster(
        area.neighbour_ward,
        area.neighbour_hamlet,
        "Điểm hỗ trợ Hàng Bạc",
        "Phạm Thị Mai",
        "0912000002",
    )
    far = ward_roster(
        area.other_ward,
        area.other_hamlet,
        "Điểm hỗ trợ Sài Gòn",
        "Võ Văn Ba",
        "0912000003",
    )
    return SimpleNamespace(mine=mine, neighbours=neighbours, far=far)


@pytest.fixture
def official(client, users):
    client.force_login(users[Role.WARD])
    return client


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def in_scope(roster, role, kind):
    wards = {
        Role.WARD: ("mine",),
        Role.PROVINCE: ("mine", "neighbours"),
        Role.NATIONAL: ("mine", "neighbours", "far"),
    }[role]
    return {getattr(getattr(roster, ward), kind) for ward in wards}


@pytest.mark.parametrize("role", [Role.WARD, Role.PROVINCE, Role.NATIONAL])
def test_service_point_list_shows_the_users_area(client, users, roster, role):
    client.force_login(users[role])

    listed = set(client.get(POINTS).context["cl"].result_list)

    assert listed == in_scope(roster, role, "point")


@pytest.mark.parametrize("role", [Role.WARD, Role.PROVINCE, Role.NATIONAL])
def test_shift_list_shows_the_users_area(client, users, roster, role):
    client.force_login(users[role])

    listed = set(client.get(SHIFTS).context["cl"].result_list)

    assert listed == in_scope(roster, role, "shift")


@pytest.mark.parametrize("url", [POINTS, SHIFTS])
@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.TEAM_MEMBER])
def test_team_roles_are_sent_to_the_field_app_instead_of_the_list(
    client, users, roster, role, url
):
    client.force_login(users[role])

    response = client.get(url, follow=True)

    assert response.redirect_chain[0] == ("/admin/login/?next=%s" % url, 302)
    assert response.redirect_chain[-1][0] == "/field/"
    assert "Điểm hỗ trợ Ba Đình" not in response.text
    assert "Lê Văn Hải" not in response.text


def test_another_wards_service_point_cannot_be_opened_by_url(official, roster):
    response = official.get(
        "%s%d/change/" % (POINTS, roster.neighbours.point.pk), follow=True
    )

    assert response.redirect_chain == [("/admin/", 302)]
    assert "Điểm hỗ trợ Hàng Bạc" not in response.text


def test_another_wards_shift_cannot_be_opened_by_url(official, roster):
    response = official.get(
        "%s%d/change/" % (SHIFTS, roster.neighbours.shift.pk), follow=True
    )

    assert response.redirect_chain == [("/admin/", 302)]
    assert "Phạm Thị Mai" not in response.text
    assert "0912000002" not in response.text


def test_province_staff_cannot_save_a_shift(client, users, roster):
    client.force_login(users[Role.PROVINCE])
    shift = roster.mine.shift

    response = client.post(
        "%s%d/change/" % (SHIFTS, shift.pk),
        {
            "service_point": shift.service_point_id,
            "date": "02/03/2026",
            "period": "afternoon",
            "note": "Đổi ca",
        },
    )

    assert response.status_code == 403
    shift.refresh_from_db()
    assert (shift.period, shift.note, list(shift.members.all())) == (
        "morning",
        "",
        [roster.mine.member],
    )


def test_ward_official_rosters_members_of_their_ward(official, area, roster):
    colleague = Member.objects.create(
        ward=area.ward, full_name="Đỗ Thị Lan", phone="0912000009"
    )

    response = official.post(
        "%sadd/" % SHIFTS,
        {
            "service_point": roster.mine.point.pk,
            "date": "02/03/2026",
            "period": "afternoon",
            "members": [roster.mine.member.pk, colleague.pk],
            "note": "Hướng dẫn cài VNeID",
        },
    )

    assert response.status_code == 302
    shift = Shift.objects.get(service_point=roster.mine.point, period="afternoon")
    assert shift.date == DAY
    assert set(shift.members.all()) == {roster.mine.member, colleague}


def test_member_of_another_ward_cannot_be_rostered(official, roster):
    response = official.post(
        "%sadd/" % SHIFTS,
        {
            "service_point": roster.mine.point.pk,
            "date": "02/03/2026",
            "period": "afternoon",
            "members": [roster.mine.member.pk, roster.neighbours.member.pk],
        },
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert list(errors) == ["members"]
    assert errors["members"][0].code == "invalid_choice"
    assert not Shift.objects.filter(period="afternoon").exists()


def test_national_admin_cannot_roster_a_member_at_another_wards_point(
    client, users, roster, english
):
    client.force_login(users[Role.NATIONAL])

    response = client.post(
        "%sadd/" % SHIFTS,
        {
            "service_point": roster.mine.point.pk,
            "date": "02/03/2026",
            "period": "afternoon",
            "members": [roster.neighbours.member.pk],
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "members": [
            "Only members of the service point's ward can be on duty: Phạm Thị Mai."
        ]
    }
    assert not Shift.objects.filter(period="afternoon").exists()


def test_second_shift_at_the_same_point_and_half_day_is_refused(
    official, roster, english
):
    response = official.post(
        "%sadd/" % SHIFTS,
        {
            "service_point": roster.mine.point.pk,
            "date": "02/03/2026",
            "period": "morning",
            "members": [roster.mine.member.pk],
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "This service point already has a shift at that time."
    ]
    assert Shift.objects.filter(service_point=roster.mine.point).count() == 1


def test_service_point_autocomplete_offers_only_the_wards_points(official, roster):
    response = official.get(
        "/admin/autocomplete/",
        {
            "app_label": "teams",
            "model_name": "shift",
            "field_name": "service_point",
            "term": "Điểm",
        },
    )

    assert [row["id"] for row in response.json()["results"]] == [
        str(roster.mine.point.pk)
    ]

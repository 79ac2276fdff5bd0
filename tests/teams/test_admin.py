import datetime

import pytest

from accounts.models import Role
from teams.models import Member, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(area):
    here = Member.objects.create(
        ward=area.ward, full_name="Nguyễn Văn An", phone="0912345678"
    )
    there = Member.objects.create(
        ward=area.neighbour_ward, full_name="Phạm Thị Mai", phone="0987654321"
    )
    return here, there


@pytest.mark.parametrize("role", [Role.WARD, Role.PROVINCE, Role.NATIONAL])
def test_member_list_is_scoped(client, users, members, role):
    client.force_login(users[role])

    listed = set(client.get("/admin/teams/member/").context["cl"].result_list)

    expected = {Role.WARD: {members[0]}}.get(role, set(members))
    assert listed == expected


def test_another_wards_member_cannot_be_opened_by_url(client, users, members):
    client.force_login(users[Role.WARD])

    response = client.get("/admin/teams/member/%d/change/" % members[1].pk, follow=True)

    assert "Phạm Thị Mai" not in response.text
    assert "0987654321" not in response.text


def test_ward_official_adds_a_member_to_a_team_inline(client, users, area, members):
    client.force_login(users[Role.WARD])

    client.post(
        "/admin/teams/team/%d/change/" % area.team.pk,
        {
            "ward": area.ward.pk,
            "hamlet": area.hamlet.pk,
            "name": area.team.name,
            "kind": "hamlet",
            "is_active": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-member": members[0].pk,
            "memberships-0-role": "leader",
            "memberships-0-joined_on": "05/01/2026",
        },
    )

    membership = Membership.objects.get(team=area.team)
    assert (membership.member, membership.role) == (members[0], "leader")
    assert membership.joined_on == datetime.date(2026, 1, 5)


def test_a_member_from_another_ward_cannot_be_put_in_the_team(
    client, users, area, members
):
    client.force_login(users[Role.WARD])

    client.post(
        "/admin/teams/team/%d/change/" % area.team.pk,
        {
            "ward": area.ward.pk,
            "name": area.team.name,
            "kind": "hamlet",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-member": members[1].pk,
            "memberships-0-role": "member",
            "memberships-0-joined_on": "05/01/2026",
        },
    )

    assert not Membership.objects.exists()


def test_phone_typed_with_spaces_is_saved_normalised(client, users, area):
    client.force_login(users[Role.WARD])

    client.post(
        "/admin/teams/member/add/",
        {
            "ward": area.ward.pk,
            "full_name": "Đỗ Thị Lan",
            "phone": "+84 912 000 111",
            "affiliation": "youth_union",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert Member.objects.get(full_name="Đỗ Thị Lan").phone == "0912000111"

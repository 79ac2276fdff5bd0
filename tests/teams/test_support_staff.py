"""IT support staff: province staff assign them, ward officials read theirs."""

import datetime

import pytest

from accounts.models import Role
from teams.models import SupportStaff
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/teams/supportstaff/"
ADD = LIST + "add/"


@pytest.fixture
def assigned(area):
    def one(ward, name, phone):
        return SupportStaff.objects.create(
            ward=ward,
            full_name=name,
            organisation=SupportStaff.Organisation.TELECOM,
            organisation_name="VNPT",
            phone=phone,
            starts_on=datetime.date(2026, 1, 1),
        )

    return {
        "here": one(area.ward, "Vũ Đức Thắng", "0912000101"),
        "neighbour": one(area.neighbour_ward, "Hoàng Thị Mai", "0912000102"),
        "far": one(area.other_ward, "Bùi Quang Huy", "0912000103"),
    }


def form(ward, **changes):
    return {
        "ward": ward.pk,
        "full_name": "  Trần  Văn Hỗ Trợ ",
        "organisation": "it_company",
        "organisation_name": "Công ty Giải pháp số",
        "phone": "+84 912 000 200",
        "starts_on": "01/12/2026",
        "ends_on": "",
        **changes,
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.WARD, {"here"}),
        (Role.PROVINCE, {"here", "neighbour"}),
        (Role.NATIONAL, {"here", "neighbour", "far"}),
    ],
)
def test_the_list_is_scoped(client, users, assigned, role, expected):
    client.force_login(users[role])

    listed = set(client.get(LIST).context["cl"].result_list)

    assert listed == {assigned[key] for key in expected}


def test_province_staff_assign_staff_to_a_commune_of_their_province(
    client, users, area
):
    client.force_login(users[Role.PROVINCE])

    response = client.post(ADD, form(area.neighbour_ward))

    assert response.status_code == 302
    added = SupportStaff.objects.get()
    assert (added.ward, added.full_name, added.phone) == (
        area.neighbour_ward,
        "Trần Văn Hỗ Trợ",
        "0912000200",
    )
    assert added.history.get().history_user == users[Role.PROVINCE]


def test_province_staff_cannot_assign_to_another_province(client, users, area):
    client.force_login(users[Role.PROVINCE])

    response = client.post(ADD, form(area.other_ward))

    assert response.status_code == 200  # the form again, with the ward refused
    assert "ward" in response.context["adminform"].form.errors
    assert not SupportStaff.objects.exists()


def test_ward_officials_read_but_do_not_edit(client, users, area, assigned):
    client.force_login(users[Role.WARD])
    change = "%s%d/change/" % (LIST, assigned["here"].pk)

    assert client.get(change).status_code == 200
    assert client.get(ADD).status_code == 403
    client.post(change, form(area.ward, full_name="Đổi Tên"))

    assigned["here"].refresh_from_db()
    assert assigned["here"].full_name == "Vũ Đức Thắng"


def test_another_wards_staff_cannot_be_opened(client, users, assigned):
    client.force_login(users[Role.WARD])

    response = client.get(
        "%s%d/change/" % (LIST, assigned["neighbour"].pk), follow=True
    )

    assert "Hoàng Thị Mai" not in response.text
    assert "0912000102" not in response.text


def test_team_accounts_have_no_access(client, users, assigned):
    client.force_login(users[Role.TEAM_LEADER])

    response = client.get(LIST, follow=True)

    assert response.redirect_chain[0][1] == 302
    assert "Vũ Đức Thắng" not in response.text


def test_an_assignment_cannot_end_before_it_starts(client, area):
    national = UserFactory(username="quantri2", role=Role.NATIONAL)
    client.force_login(national)

    response = client.post(ADD, form(area.ward, ends_on="01/11/2026"))

    assert "Ngày kết thúc phân công không thể trước ngày bắt đầu." in response.text
    assert not SupportStaff.objects.exists()

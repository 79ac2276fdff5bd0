"""The coverage block: households reached and not, on the ward and province pages."""

import io

import pytest
from openpyxl import load_workbook

from accounts.models import Role
from reports.services import registry_recompute
from tests.areas.factories import HamletFactory
from tests.households.factories import HouseholdFactory
from tests.teams.factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(area, activity):
    """Ba Đình: the visited household and two never visited, one of them poor;
    a second hamlet with no household; a ward-level team."""
    HouseholdFactory(ward=area.ward, hamlet=area.hamlet, poverty="poor")
    HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
    HamletFactory(ward=area.ward, name="Tổ dân phố số 2")
    TeamFactory(ward=area.ward, hamlet=None, name="Tổ công nghệ số phường")
    registry_recompute()
    return area


def by_name(table) -> dict:
    return {row["name"]: row for row in table.rows}


def test_the_ward_page_shows_coverage_by_hamlet(client, users, register):
    client.force_login(users[Role.WARD])

    response = client.get("/dashboard/")

    rows = by_name(response.context["coverage_hamlets"])
    first = rows["Tổ dân phố số 1"]
    assert (first["households"], first["reached"], first["not_reached"]) == (3, 1, 2)
    assert first["reached_share"] == 0.3333
    assert (first["priority_households"], first["priority_reached"]) == (1, 0)
    empty = rows["Tổ dân phố số 2"]
    assert (empty["households"], empty["reached_share"]) == (0, None)
    assert "Độ phủ hộ gia đình theo thôn/tổ dân phố" in response.text
    assert "33,3\xa0%" in response.text  # written the Vietnamese way


def test_the_ward_page_gives_each_team_the_coverage_it_serves(client, users, register):
    client.force_login(users[Role.WARD])

    response = client.get("/dashboard/")

    rows = by_name(response.context["coverage_teams"])
    hamlet_team = rows[register.team.name]
    assert hamlet_team["served"] == "Tổ dân phố số 1"
    assert (hamlet_team["households"], hamlet_team["reached"]) == (3, 1)
    ward_team = rows["Tổ công nghệ số phường"]
    assert ward_team["served"] == "Toàn xã/phường"
    assert (ward_team["households"], ward_team["reached"]) == (3, 1)
    assert "Độ phủ hộ gia đình theo tổ công nghệ số" in response.text


def test_the_coverage_table_scrolls_with_its_cue(client, users, register):
    client.force_login(users[Role.WARD])

    html = client.get("/dashboard/").text

    start = html.index('id="table-coverage_hamlets"')
    block = html[start : html.index("</section>", start)]
    assert 'class="table-scroll' in block
    assert "Chưa được hỗ trợ" in block


def test_the_province_page_shows_coverage_by_ward(client, users, register):
    client.force_login(users[Role.PROVINCE])

    response = client.get("/dashboard/")

    html = response.text
    start = html.index('id="table-coverage"')
    block = html[start : html.index("</section>", start)]
    assert "Độ phủ hộ gia đình theo xã/phường" in block
    assert "Phường Ba Đình" in block
    assert "Phường Hoàn Kiếm" in block
    assert "Phường Sài Gòn" not in block  # another province


def test_the_province_coverage_exports_to_excel(client, users, register):
    client.force_login(users[Role.PROVINCE])

    response = client.get("/dashboard/province/01/", {"export": "coverage"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    ba_dinh = next(row for row in rows if row[0] == "Phường Ba Đình")
    assert ba_dinh[header.index("Hộ gia đình")] == 3
    assert ba_dinh[header.index("Đã được hỗ trợ")] == 1


def test_a_ward_official_cannot_export_another_wards_coverage(client, users, register):
    client.force_login(users[Role.WARD])

    response = client.get(
        "/dashboard/ward/%s/" % register.neighbour_ward.pk,
        {"export": "coverage_hamlets"},
    )

    assert response.status_code == 404


def test_province_staff_cannot_open_another_provinces_coverage(client, users, register):
    client.force_login(users[Role.PROVINCE])

    assert client.get("/dashboard/province/79/").status_code == 404
    assert (
        client.get("/dashboard/ward/26734/", {"export": "coverage_hamlets"}).status_code
        == 404
    )

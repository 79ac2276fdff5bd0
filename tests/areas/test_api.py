"""GET /api/v1/areas/…: provinces, their wards and the wards' hamlets, in scope."""

import pytest
from django.urls import reverse

from accounts.models import Role

pytestmark = pytest.mark.django_db

PROVINCES = "/api/v1/areas/provinces/"


def wards(code):
    return "/api/v1/areas/provinces/%s/wards/" % code


def hamlets(code):
    return "/api/v1/areas/wards/%s/hamlets/" % code


def codes(response, field="code"):
    assert response.status_code == 200
    return [row[field] for row in response.json()["results"]]


def test_a_national_key_lists_every_province(with_key, area):
    client = with_key("national")

    response = client.get(PROVINCES)

    assert codes(response) == ["01", "79"]
    assert response.json()["count"] == 2


def test_a_province_key_lists_its_province_and_its_wards(with_key, area):
    client = with_key("province", province=area.province)

    assert codes(client.get(PROVINCES)) == ["01"]
    assert codes(client.get(wards("01"))) == ["00004", "00070"]
    assert client.get(wards("01")).json()["results"][0] == {
        "code": "00004",
        "name": "Phường Ba Đình",
        "kind": "phuong",
        "province": "01",
    }


def test_a_province_key_gets_404_for_another_provinces_wards(with_key, area):
    client = with_key("province", province=area.province)

    assert client.get(wards("79")).status_code == 404
    assert client.get(hamlets("26734")).status_code == 404


def test_a_ward_key_sees_its_own_ward_only(with_key, area):
    client = with_key("ward", ward=area.ward)

    assert codes(client.get(wards("01"))) == ["00004"]
    assert client.get(hamlets("00070")).status_code == 404
    assert codes(client.get(hamlets("00004")), "name") == ["Tổ dân phố số 1"]


def test_a_ward_official_session_is_scoped_the_same_way(api, users, area):
    api.force_login(users[Role.WARD])

    assert codes(api.get(PROVINCES)) == ["01"]
    assert codes(api.get(wards("01"))) == ["00004"]
    assert api.get(hamlets("00070")).status_code == 404
    assert api.get(wards("79")).status_code == 404


def test_hamlets_carry_their_id_and_state(with_key, area):
    client = with_key("ward", ward=area.ward)

    rows = client.get(hamlets("00004")).json()["results"]

    assert rows == [
        {
            "id": area.hamlet.pk,
            "name": "Tổ dân phố số 1",
            "kind": "to_dan_pho",
            "is_active": True,
            "ward": "00004",
        }
    ]


def test_lists_are_paged(with_key, area):
    client = with_key("national")

    first = client.get(PROVINCES, {"page_size": 1}).json()

    assert [row["code"] for row in first["results"]] == ["01"]
    assert first["count"] == 2
    assert first["next"].endswith("page=2&page_size=1")


def test_a_page_past_the_end_is_missing(with_key, area):
    client = with_key("national")

    assert client.get(PROVINCES, {"page": 9}).status_code == 404


@pytest.mark.parametrize("page", ["0", "-3", "abc", "1.5", ""])
def test_a_page_that_is_not_a_whole_number_from_1_is_a_400_naming_it(
    with_key, area, page
):
    response = with_key("national").get(PROVINCES, {"page": page})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page"]


@pytest.mark.parametrize("size", ["0", "501", "x", "null"])
def test_a_page_size_out_of_range_is_a_400_naming_it(with_key, area, size):
    response = with_key("national").get(PROVINCES, {"page_size": size})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page_size"]


def test_an_unknown_parameter_is_a_400_naming_it(with_key, area):
    response = with_key("national").get(PROVINCES, {"pagesize": 5})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["pagesize"]


def test_areas_refuse_anonymous_callers(api, area):
    assert api.get(PROVINCES).status_code == 401


def test_the_areas_urls_are_named_in_their_own_namespace():
    assert reverse("areas-api:provinces") == PROVINCES
    assert reverse("areas-api:wards", args=["01"]) == wards("01")
    assert reverse("areas-api:hamlets", args=["00004"]) == hamlets("00004")

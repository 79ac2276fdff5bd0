"""GET /api/v1/reports/monthly/: every ward's report of a month, scoped."""

import pytest

from accounts.models import ApiKey, Role
from reports.monthly import monthly_report_approve

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/monthly/"


def pull(client, **params):
    return client.get(URL, params)


def test_province_level_lists_each_ward_with_status_and_approved_figures(
    with_key, area, submitted, province_staff, month
):
    monthly_report_approve(user=province_staff, report=submitted)
    client = with_key(ApiKey.Level.PROVINCE, province=area.province)

    response = pull(client, level="province", code="01", month=month.strftime("%Y-%m"))

    assert response.status_code == 200
    body = response.json()
    assert body["month"] == month.strftime("%Y-%m")
    by_ward = {row["ward"]["code"]: row for row in body["reports"]}
    assert set(by_ward) == {area.ward.pk, area.neighbour_ward.pk}
    mine = by_ward[area.ward.pk]
    assert (mine["status"], mine["approved"]) == ("approved", True)
    assert mine["submitted_at"] is not None and mine["approved_at"] is not None
    assert mine["figures"]["month"] == month.isoformat()
    neighbour = by_ward[area.neighbour_ward.pk]
    assert (neighbour["status"], neighbour["figures"]) == ("not_started", None)


def test_ward_level_gives_the_provisional_figures_before_approval(
    api, users, area, submitted, month
):
    api.force_login(users[Role.WARD])

    response = pull(api, level="ward", code=area.ward.pk, month=month.strftime("%Y-%m"))

    [report] = response.json()["reports"]
    assert (report["status"], report["approved"]) == ("submitted", False)
    assert report["figures"]["headline"]["sessions"] == 0


def test_another_province_is_a_404(with_key, area, month):
    client = with_key(ApiKey.Level.PROVINCE, province=area.other_province)
    response = pull(client, level="province", code="01")
    assert response.status_code == 404


def test_another_ward_is_a_404(api, users, area):
    api.force_login(users[Role.WARD])
    response = pull(api, level="ward", code=area.neighbour_ward.pk)
    assert response.status_code == 404


def test_a_bad_month_is_named(api, users):
    api.force_login(users[Role.WARD])
    response = pull(api, month="2026-13")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"month"}


def test_an_unchanged_answer_is_a_304_and_a_change_changes_the_etag(
    with_key, area, submitted, province_staff, month
):
    client = with_key(ApiKey.Level.PROVINCE, province=area.province)
    first = pull(client, level="province", code="01")
    etag = first["ETag"]

    again = client.get(
        URL, {"level": "province", "code": "01"}, HTTP_IF_NONE_MATCH=etag
    )
    assert again.status_code == 304

    monthly_report_approve(user=province_staff, report=submitted)
    changed = client.get(
        URL, {"level": "province", "code": "01"}, HTTP_IF_NONE_MATCH=etag
    )
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_the_schema_describes_it(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/reports/monthly/"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"level", "code", "month"} <= names

"""GET /api/v1/stats/summary/: every indicator of one area and period."""

import csv
import io

import pytest

from accounts.models import Role
from reports.indicators import Area, headline
from tests.reports.api.conftest import SUMMARY

pytestmark = pytest.mark.django_db


def test_the_summary_of_a_province(with_key, area, figures):
    client = with_key("province", province=area.province)
    start, end = figures.days[0], figures.days[-1]

    answer = client.get(SUMMARY, {"date_from": start, "date_to": end}).json()

    assert answer["area"] == {
        "level": "province",
        "code": "01",
        "name": "Thành phố Hà Nội",
    }
    assert (answer["date_from"], answer["date_to"]) == (str(start), str(end))
    assert answer["sessions"] == 6
    assert answer["services_given"] == 9
    assert answer["level2_activations"] == 2
    assert answer["online_filings"] == 3
    assert answer["cashless_setups"] == 1
    assert answer["households_reached"] == 3
    assert answer["priority_sessions"] == 5
    assert answer["open_follow_ups"] == 1
    # Registry figures now: three households, one with a focal person; two
    # residents, one with level-2 e-ID.
    assert (answer["households"], answer["households_with_focal"]) == (3, 1)
    assert answer["focal_share"] == 0.3333
    assert answer["level2_share"] == 0.5
    assert answer["previous"]["sessions"] == 0


def test_the_summary_is_the_indicators_modules_headline(with_key, area, figures):
    client = with_key("national")
    start, end = figures.days[0], figures.days[-1]

    answer = client.get(
        SUMMARY, {"level": "ward", "code": "00004", "date_from": start, "date_to": end}
    ).json()

    expected = headline(Area("ward", "00004"), start, end)
    for name, value in expected.items():
        if name != "previous":
            assert answer[name] == value, name
    assert answer["previous"] == expected["previous"]


def test_the_summary_as_one_csv_row(with_key, area, figures):
    client = with_key("ward", ward=area.ward)

    response = client.get(SUMMARY, {"format": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["area_code"] == "00004"
    assert rows[0]["sessions"] == "4"
    assert rows[0]["previous_sessions"] == "0"
    assert rows[0]["sessions_per_member_day"] == "1.0"


def test_the_summary_of_another_province_is_404(with_key, area, figures):
    client = with_key("province", province=area.province)

    response = client.get(SUMMARY, {"level": "province", "code": "79"})

    assert response.status_code == 404


def test_a_ward_official_gets_their_ward(api, users, figures):
    api.force_login(users[Role.WARD])

    answer = api.get(SUMMARY).json()

    assert answer["area"]["code"] == "00004"
    assert answer["sessions"] == 4


def test_a_bad_summary_parameter_is_named(with_key, area):
    client = with_key("national")

    response = client.get(SUMMARY, {"date_to": "2026-02-30"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["date_to"]

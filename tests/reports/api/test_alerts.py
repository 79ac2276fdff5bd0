"""GET /api/v1/alerts/: officials' alerts, scoped, checked and tagged."""

import pytest

from accounts.models import Role
from reports.services import stats_recompute
from tests.assistance.factories import SessionFactory
from tests.reports.conftest import days_ago

pytestmark = pytest.mark.django_db

ALERTS = "/api/v1/alerts/"


@pytest.fixture
def quiet(area):
    for team in (area.team, area.neighbour_team, area.other_team):
        SessionFactory(team=team, started_at=days_ago(20))
    SessionFactory(
        team=area.neighbour_team,
        started_at=days_ago(20),
        services=[("bill_qr", "follow_up")],
    )
    stats_recompute()


def teams_named(response):
    return sorted(
        alert["area"]["name"]
        for alert in response.json()["results"]
        if alert["kind"] == "team_quiet"
    )


def test_a_ward_official_gets_the_wards_alerts(api, users, area, quiet):
    api.force_login(users[Role.WARD])

    response = api.get(ALERTS)

    assert response.status_code == 200
    body = response.json()
    assert body["area"] == {"level": "ward", "code": "00004", "name": "Phường Ba Đình"}
    [alert] = body["results"]
    assert alert["kind"] == "team_quiet"
    assert alert["area"] == {
        "level": "team",
        "code": str(area.team.pk),
        "name": area.team.name,
    }
    assert alert["ward"] == {"code": "00004", "name": "Phường Ba Đình"}
    assert alert["since"] == days_ago(20).date().isoformat()
    assert alert["count"] == 20
    assert alert["url"] == (
        "/admin/assistance/assistancesession/?team__id__exact=%d" % area.team.pk
    )


def test_province_staff_get_the_provinces_alerts_and_choose_one_kind(
    api, users, area, quiet
):
    api.force_login(users[Role.PROVINCE])

    everything = api.get(ALERTS).json()["results"]
    follow_ups = api.get(ALERTS, {"kind": "follow_ups_old"}).json()["results"]

    assert sorted({alert["ward"]["code"] for alert in everything}) == [
        "00004",
        "00070",
    ]
    assert [(alert["area"]["code"], alert["count"]) for alert in follow_ups] == [
        ("00070", 1)
    ]


def test_a_province_official_asks_for_one_of_its_wards(api, users, area, quiet):
    api.force_login(users[Role.PROVINCE])

    response = api.get(ALERTS, {"level": "ward", "code": "00070"})

    assert teams_named(response) == [area.neighbour_team.name]


@pytest.mark.parametrize(
    ("role", "query"),
    [
        (Role.WARD, {"level": "ward", "code": "00070"}),
        (Role.WARD, {"level": "province", "code": "01"}),
        (Role.PROVINCE, {"level": "ward", "code": "26734"}),
        (Role.PROVINCE, {"level": "national"}),
    ],
)
def test_an_area_outside_the_scope_is_a_404(api, users, quiet, role, query):
    api.force_login(users[role])

    assert api.get(ALERTS, query).status_code == 404


@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.TEAM_MEMBER])
def test_team_accounts_are_refused(api, users, quiet, role):
    api.force_login(users[role])

    assert api.get(ALERTS).status_code == 403


def test_anonymous_callers_are_asked_for_a_key(api, quiet):
    response = api.get(ALERTS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'ApiKey header="X-Api-Key"'
    assert "results" not in response.json()


def test_a_ward_key_reads_its_wards_alerts(with_key, area, quiet):
    client = with_key("ward", province=area.province, ward=area.ward)

    assert teams_named(client.get(ALERTS)) == [area.team.name]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"kind": "hamlet_pace"}, "kind"),
        ({"team": "1"}, "team"),
        ({"kind": ""}, "kind"),
        ({"level": "ward", "code": "01"}, "code"),
        ({"level": "national", "code": "01"}, "code"),
    ],
)
def test_bad_parameters_are_named(api, users, quiet, query, field):
    api.force_login(users[Role.NATIONAL])

    response = api.get(ALERTS, query)

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_an_unchanged_answer_is_a_304_and_a_change_moves_the_etag(
    api, users, area, quiet
):
    api.force_login(users[Role.WARD])
    first = api.get(ALERTS)
    etag = first["ETag"]

    again = api.get(ALERTS, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""

    SessionFactory(team=area.team, started_at=days_ago(0))
    stats_recompute()

    changed = api.get(ALERTS, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["results"] == []
    assert changed["ETag"] != etag

"""GET /api/v1/alerts/: officials' alerts, scoped, checked and tagged."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from assistance.models import CampaignTarget, Indicator
from reports.services import registry_recompute, stats_recompute
from tests.assistance.factories import CampaignFactory, SessionFactory
from tests.households.factories import HouseholdFactory
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


@pytest.fixture
def behind(area):
    """Hà Nội's drive, half gone by, all 10 households due: Ba Đình's and
    Hoàn Kiếm's hamlets reached none of their 5 households each."""
    today = timezone.localdate()
    drive = CampaignFactory(
        name="Hà Nội đến từng hộ",
        province=area.province,
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=9),
    )
    CampaignTarget.objects.create(
        campaign=drive, indicator=Indicator.HOUSEHOLDS_REACHED, target=10
    )
    for ward, hamlet in (
        (area.ward, area.hamlet),
        (area.neighbour_ward, area.neighbour_hamlet),
    ):
        HouseholdFactory.create_batch(5, ward=ward, hamlet=hamlet)
    stats_recompute()
    registry_recompute()
    return drive


def test_hamlets_behind_their_campaigns_pace_in_the_callers_scope(
    api, users, area, behind
):
    api.force_login(users[Role.WARD])

    [alert] = api.get(ALERTS, {"kind": "hamlet_behind"}).json()["results"]

    assert alert["area"] == {
        "level": "hamlet",
        "code": str(area.hamlet.pk),
        "name": area.hamlet.name,
    }
    assert alert["ward"] == {"code": "00004", "name": "Phường Ba Đình"}
    assert (alert["since"], alert["count"]) == (behind.starts_on.isoformat(), 3)
    assert alert["message"] == (
        "Hà Nội đến từng hộ: Tổ dân phố số 1 reached 0\u00a0% of its households "
        "against 50\u00a0% expected by now; 3 more households to get back on pace."
    )
    assert alert["url"] == (
        "/admin/households/household/?hamlet__id__exact=%d"
        "&campaign_not_reached=%d" % (area.hamlet.pk, behind.pk)
    )

    api.force_login(users[Role.PROVINCE])
    province = api.get(ALERTS, {"kind": "hamlet_behind"}).json()["results"]

    assert sorted(alert["area"]["name"] for alert in province) == sorted(
        [area.hamlet.name, area.neighbour_hamlet.name]
    )

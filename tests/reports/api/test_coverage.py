"""GET /api/v1/stats/coverage/: households reached and not, within the scope."""

import datetime

import pytest

from accounts.models import Role
from assistance.models import AssistanceSession
from reports.services import registry_recompute, stats_recompute
from tests.assistance.factories import CampaignFactory, SessionFactory, local
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

COVERAGE = "/api/v1/stats/coverage/"


def get(client, **params):
    return client.get(COVERAGE, params)


def test_a_ward_by_hamlet_counts_households_reached_and_not(with_key, area, figures):
    # Ba Đình: the elderly household (twice) and the plain one reached; a third
    # household of the hamlet never visited.
    HouseholdFactory(ward=area.ward, hamlet=area.hamlet, poverty="near_poor")
    registry_recompute()
    client = with_key("province", province=area.province)

    response = get(client, level="ward", code="00004", group="hamlet")

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["group"] == str(area.hamlet.pk)
    assert row["label"] == "Tổ dân phố số 1"
    assert (row["households"], row["reached"], row["not_reached"]) == (3, 2, 1)
    assert row["reached_share"] == 0.6667
    assert (row["priority_households"], row["priority_reached"]) == (2, 1)
    assert row["priority_reached_share"] == 0.5
    assert (row["focal_households"], row["focal_share"]) == (1, 0.3333)
    assert (row["residents"], row["level2_residents"]) == (2, 1)
    assert row["level2_share"] == 0.5


def test_a_province_by_ward_has_a_row_per_ward_with_figures(with_key, area, figures):
    client = with_key("province", province=area.province)

    response = get(client, level="province", code="01", group="ward")

    rows = {row["group"]: row for row in response.json()["results"]}
    assert set(rows) == {"00004", "00070"}
    assert (rows["00070"]["households"], rows["00070"]["reached"]) == (1, 1)
    assert rows["00070"]["label"] == "Phường Hoàn Kiếm"
    assert (rows["00004"]["households"], rows["00004"]["reached"]) == (2, 2)


def test_without_a_group_one_row_names_the_area(with_key, area, figures):
    client = with_key("national")

    response = get(client, level="national")

    [row] = response.json()["results"]
    assert row["group"] is None
    assert (row["households"], row["reached"], row["priority_households"]) == (4, 4, 2)


def test_only_sessions_in_the_period_reach(with_key, area, figures):
    client = with_key("province", province=area.province)
    last = figures.days[2].isoformat()

    response = get(client, level="ward", code="00004", date_from=last, date_to=last)

    # On the last day Ba Đình saw only a walk-in.
    [row] = response.json()["results"]
    assert (row["households"], row["reached"], row["reached_share"]) == (2, 0, 0.0)


def test_a_household_that_moved_counts_where_it_lives_now(with_key, area, figures):
    figures.plain.ward = area.neighbour_ward
    figures.plain.hamlet = area.neighbour_hamlet
    figures.plain.save()
    registry_recompute()
    client = with_key("province", province=area.province)

    rows = {
        row["group"]: row
        for row in get(client, level="province", code="01", group="ward").json()[
            "results"
        ]
    }

    # Its session was Ba Đình's; Hoàn Kiếm has not knocked on its door yet.
    assert (rows["00004"]["households"], rows["00004"]["reached"]) == (1, 1)
    assert (rows["00070"]["households"], rows["00070"]["reached"]) == (2, 1)


def test_an_empty_area_has_no_share(with_key, area):
    client = with_key("national")

    [row] = get(client, level="ward", code="26734").json()["results"]

    assert (row["households"], row["reached"], row["reached_share"]) == (0, 0, None)


def test_a_campaign_brings_its_area_and_days(with_key, area, figures):
    campaign = CampaignFactory(
        province=area.province,
        ward=area.neighbour_ward,
        starts_on=figures.days[0],
        ends_on=figures.days[0],
    )
    client = with_key("province", province=area.province)

    response = get(client, campaign=campaign.pk)

    assert response.status_code == 200
    body = response.json()
    assert body["area"]["code"] == "00070"
    assert body["campaign"] == campaign.pk
    assert (body["date_from"], body["date_to"]) == (figures.days[0].isoformat(),) * 2
    assert body["results"][0]["reached"] == 1


def test_a_campaign_outside_the_scope_is_a_404(with_key, area, figures):
    campaign = CampaignFactory(
        province=area.other_province,
        ward=None,
        starts_on=figures.days[0],
        ends_on=figures.days[2],
    )
    client = with_key("province", province=area.province)

    assert get(client, campaign=campaign.pk).status_code == 404
    assert get(client, campaign=999999).status_code == 404


@pytest.mark.parametrize(
    "params, name",
    [
        ({"group": "service"}, "group"),
        ({"level": "province", "code": "01", "group": "hamlet"}, "group"),
        ({"level": "national", "group": "ward"}, "group"),
        ({"level": "national", "code": "01"}, "code"),
        ({"date_from": "2025-01-01", "date_to": "2026-01-02"}, "date_from"),
        ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_from"),
        ({"campaign": "x"}, "campaign"),
        ({"campaign": "1", "level": "national"}, "level"),
        ({"campaign": "1", "date_to": "2026-03-01"}, "date_to"),
        ({"interval": "day"}, "interval"),
        ({"format": "xml"}, "format"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(with_key, area, params, name):
    client = with_key("national")

    response = get(client, **params)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [name]


# Scope


@pytest.mark.parametrize(
    "params",
    [
        {"level": "ward", "code": "00070"},
        {"level": "province", "code": "01"},
        {"level": "ward", "code": "26734"},
        {"level": "national"},
    ],
)
def test_a_ward_official_reads_only_their_ward(api, users, area, figures, params):
    api.force_login(users[Role.WARD])

    assert get(api, **params).status_code == 404
    own = get(api, group="hamlet")
    assert own.status_code == 200
    assert own.json()["area"]["code"] == "00004"


@pytest.mark.parametrize(
    "params",
    [
        {"level": "province", "code": "79"},
        {"level": "ward", "code": "26734"},
        {"level": "national"},
    ],
)
def test_province_staff_read_only_their_province(api, users, area, figures, params):
    api.force_login(users[Role.PROVINCE])

    assert get(api, **params).status_code == 404
    assert get(api, level="ward", code="00070").status_code == 200


@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.TEAM_MEMBER])
def test_team_accounts_are_refused(api, users, role):
    api.force_login(users[role])

    assert get(api).status_code == 403


def test_anonymous_callers_are_asked_for_a_key(api, area):
    assert get(api).status_code == 401


# ETag


def test_the_etag_moves_with_a_session_and_only_then(with_key, area, figures):
    client = with_key("province", province=area.province)
    first = get(client, group="ward")

    # The reconcile and the registry's schedule, finding nothing new.
    stats_recompute(day_from=figures.days[0], day_to=figures.days[2])
    registry_recompute()
    again = client.get(COVERAGE, {"group": "ward"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304

    home = HouseholdFactory(ward=area.neighbour_ward, hamlet=area.neighbour_hamlet)
    on = figures.days[1]
    SessionFactory(
        team=area.neighbour_team,
        started_at=local(on.year, on.month, on.day, 15),
        household=home,
    )
    stats_recompute(ward_ids=[area.neighbour_ward.pk], day_from=on, day_to=on)
    registry_recompute()
    moved = client.get(COVERAGE, {"group": "ward"}, HTTP_IF_NONE_MATCH=first["ETag"])

    assert moved.status_code == 200
    assert moved["ETag"] != first["ETag"]
    rows = {row["group"]: row for row in moved.json()["results"]}
    assert (rows["00070"]["households"], rows["00070"]["reached"]) == (2, 2)


def test_a_notes_only_edit_keeps_the_etag(with_key, area, figures):
    client = with_key("province", province=area.province)
    first = get(client, group="ward")
    session = AssistanceSession.objects.filter(ward=area.ward).first()

    AssistanceSession.objects.filter(pk=session.pk).update(notes="Đã gọi lại")
    stats_recompute(
        ward_ids=[area.ward.pk], day_from=session.started_on, day_to=session.started_on
    )
    registry_recompute()

    again = client.get(COVERAGE, {"group": "ward"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_a_priority_change_in_the_register_moves_the_etag(with_key, area, figures):
    client = with_key("province", province=area.province)
    first = get(client, group="ward")

    figures.plain.no_smartphone = True
    figures.plain.save()
    registry_recompute()

    moved = client.get(COVERAGE, {"group": "ward"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert moved.status_code == 200
    rows = {row["group"]: row for row in moved.json()["results"]}
    assert (
        rows["00004"]["priority_households"],
        rows["00004"]["priority_reached"],
    ) == (
        2,
        2,
    )


def test_a_csv_answer_holds_every_row(with_key, area, figures):
    client = with_key("province", province=area.province)

    response = get(client, group="ward", format="csv")

    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("group,label,households,reached,not_reached,")
    assert len(lines) == 3


def test_a_day_is_a_whole_period(with_key, area, figures):
    client = with_key("province", province=area.province)
    one = (figures.days[0] - datetime.timedelta(days=400)).isoformat()

    response = get(client, date_from=one, date_to=one)

    assert response.status_code == 200
    assert response.json()["results"][0]["reached"] == 0


def test_reads_the_summary_tables_never_the_sessions(with_key, area, figures):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = with_key("province", province=area.province)

    with CaptureQueriesContext(connection) as queries:
        response = get(client, group="ward")

    assert response.status_code == 200
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "reports_dayhousehold" in sql
    assert "reports_hamletregistrystat" in sql
    assert "assistance_assistancesession" not in sql


def test_a_household_moved_to_another_province_moves_the_answer_and_its_etag(
    with_key, area, figures
):
    """Coverage by province reads the rollups: after the registry recompute
    follows the move, the kept answer is stale and the figures are new."""
    client = with_key("national")
    before = get(client, level="national", group="province")
    rows = {row["group"]: row for row in before.json()["results"]}
    assert (rows["01"]["households"], rows["01"]["reached"]) == (3, 3)

    figures.elderly.ward, figures.elderly.hamlet = area.other_ward, area.other_hamlet
    figures.elderly.save()
    registry_recompute()
    after = get(client, level="national", group="province")

    assert after["ETag"] != before["ETag"]
    rows = {row["group"]: row for row in after.json()["results"]}
    assert (rows["01"]["households"], rows["01"]["reached"]) == (2, 2)
    # Helped by Ba Đình only: not reached in its new ward's province.
    far = rows[area.other_ward.province_id]
    assert (far["households"], far["reached"]) == (2, 1)


def test_priority_groups_traded_between_two_households_move_the_etag(
    with_key, area, figures
):
    """The register's totals stay as they were (one priority household for
    another), so only the households reached say the figures moved."""
    unvisited = HouseholdFactory(ward=area.ward, hamlet=area.hamlet, disability=True)
    registry_recompute()
    client = with_key("national")
    before = get(client, level="national", group="province")
    rows = {row["group"]: row for row in before.json()["results"]}
    assert (rows["01"]["priority_households"], rows["01"]["priority_reached"]) == (
        3,
        2,
    )

    unvisited.disability = False
    unvisited.save()
    figures.plain.no_smartphone = True
    figures.plain.save()
    registry_recompute()
    after = get(client, level="national", group="province")

    assert after["ETag"] != before["ETag"]
    rows = {row["group"]: row for row in after.json()["results"]}
    assert (rows["01"]["priority_households"], rows["01"]["priority_reached"]) == (
        3,
        3,
    )

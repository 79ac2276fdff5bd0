"""A session deleted in the admin shows in the next incremental pull as a
tombstone, to those who could see it, paged with the live sessions."""

import datetime

import jsonschema
import pytest
from django.utils import timezone

from accounts.models import Role
from assistance.models import AssistanceSession, SessionTombstone
from assistance.tombstones import session_tombstones_purge
from tests.accounts.factories import UserFactory
from tests.assistance.factories import SessionFactory

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/sessions/"
ADMIN = "/admin/assistance/assistancesession/"


@pytest.fixture
def since():
    return timezone.now() - datetime.timedelta(minutes=1)


@pytest.fixture
def official(client, users):
    """The ward official, signed in to the admin."""
    client.force_login(users[Role.WARD])
    return client


def delete_in_admin(official, session):
    response = official.post("%s%d/delete/" % (ADMIN, session.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not AssistanceSession.objects.filter(pk=session.pk).exists()


def pulled(api, since, **query) -> list[dict]:
    response = api.get(SESSIONS, {"updated_after": since.isoformat(), **query})
    assert response.status_code == 200
    return response.json()["results"]


def test_a_session_deleted_in_the_admin_is_a_tombstone_in_the_pull(
    api, users, area, official, since
):
    kept = SessionFactory(team=area.team)
    gone = SessionFactory(team=area.team)
    before = timezone.now()
    delete_in_admin(official, gone)
    api.force_login(users[Role.WARD])

    rows = pulled(api, since)

    assert [(row["id"], row["deleted"]) for row in rows] == [
        (gone.pk, True),
        (kept.pk, False),
    ]
    tombstone = rows[0]
    assert set(tombstone) == {"id", "client_uuid", "deleted", "updated_at"}
    assert tombstone["client_uuid"] == str(gone.client_uuid)
    deleted_at = datetime.datetime.fromisoformat(tombstone["updated_at"])
    assert before <= deleted_at <= timezone.now()


def test_sessions_deleted_together_each_leave_a_tombstone(
    api, users, area, official, since
):
    sessions = [SessionFactory(team=area.team) for _ in range(3)]

    official.post(
        ADMIN,
        {
            "action": "delete_selected",
            "_selected_action": [session.pk for session in sessions[:2]],
            "post": "yes",
        },
    )
    api.force_login(users[Role.WARD])

    rows = pulled(api, since)
    assert {row["id"]: row["deleted"] for row in rows} == {
        sessions[0].pk: True,
        sessions[1].pk: True,
        sessions[2].pk: False,
    }


def test_a_plain_list_shows_live_sessions_only(api, users, area, official):
    kept = SessionFactory(team=area.team)
    delete_in_admin(official, SessionFactory(team=area.team))
    api.force_login(users[Role.WARD])

    rows = api.get(SESSIONS).json()["results"]

    assert [(row["id"], row["deleted"]) for row in rows] == [(kept.pk, False)]


def test_a_deletion_before_the_pulls_moment_is_not_shown(api, users, area, official):
    delete_in_admin(official, SessionFactory(team=area.team))
    api.force_login(users[Role.WARD])

    assert pulled(api, timezone.now()) == []


def test_tombstones_are_seen_only_by_those_who_saw_the_session(
    api, users, area, official, since, sister_team, neighbour_official
):
    mine = SessionFactory(team=area.team)
    sisters = SessionFactory(team=sister_team)
    neighbours = SessionFactory(team=area.neighbour_team)
    delete_in_admin(official, mine)
    delete_in_admin(official, sisters)
    official.force_login(neighbour_official)
    delete_in_admin(official, neighbours)

    def seen(user) -> set[int]:
        api.force_login(user)
        return {row["id"] for row in pulled(api, since)}

    assert seen(users[Role.TEAM_MEMBER]) == {mine.pk}
    assert seen(users[Role.WARD]) == {mine.pk, sisters.pk}
    assert seen(neighbour_official) == {neighbours.pk}
    assert seen(users[Role.PROVINCE]) == {mine.pk, sisters.pk, neighbours.pk}
    other_province = UserFactory(role=Role.PROVINCE, province=area.other_province)
    assert seen(other_province) == set()


def test_the_pulls_filters_apply_to_tombstones(
    api, users, area, official, since, sister_team
):
    day = timezone.make_aware(datetime.datetime(2026, 11, 2, 9))
    mine = SessionFactory(team=area.team, started_at=day)
    sisters = SessionFactory(team=sister_team, started_at=day)
    later = SessionFactory(team=area.team, started_at=day + datetime.timedelta(7))
    for session in (mine, sisters, later):
        delete_in_admin(official, session)
    api.force_login(users[Role.WARD])

    by_team = pulled(api, since, team=area.team.pk)
    by_day = pulled(api, since, date_to="2026-11-05")

    assert {row["id"] for row in by_team} == {mine.pk, later.pk}
    assert {row["id"] for row in by_day} == {mine.pk, sisters.pk}


def test_a_pull_pages_tombstones_and_live_sessions_as_one_list(
    api, users, area, official, since
):
    sessions = [SessionFactory(team=area.team) for _ in range(7)]
    for index in (1, 2, 5):
        delete_in_admin(official, sessions[index])
    api.force_login(users[Role.WARD])

    seen = []
    page = api.get(
        SESSIONS, {"updated_after": since.isoformat(), "page_size": 2}
    ).json()
    while True:
        seen += [(row["id"], row["deleted"]) for row in page["results"]]
        if page["next"] is None:
            break
        page = api.get(page["next"]).json()

    assert seen == [
        (session.pk, index in (1, 2, 5))
        for index, session in reversed(list(enumerate(sessions)))
    ]


def test_tombstones_are_kept_ninety_days(area, official):
    old, recent = SessionFactory(team=area.team), SessionFactory(team=area.team)
    delete_in_admin(official, old)
    delete_in_admin(official, recent)
    SessionTombstone.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=91)
    )
    SessionTombstone.objects.filter(pk=recent.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=89)
    )

    assert session_tombstones_purge() == 1
    assert list(SessionTombstone.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_purge_runs_every_night(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "assistance.tasks.session_tombstones_purge_task" in tasks


def _nullable_as_json_schema(spec):
    """OpenAPI 3.0's ``nullable`` in JSON Schema's words, for jsonschema."""
    if isinstance(spec, list):
        return [_nullable_as_json_schema(item) for item in spec]
    if not isinstance(spec, dict):
        return spec
    spec = {key: _nullable_as_json_schema(value) for key, value in spec.items()}
    if spec.pop("nullable", False):
        spec = {"anyOf": [spec, {"type": "null"}]}
    return spec


def test_a_pulls_page_matches_its_schema_item_by_item(
    client, api, users, area, official, since
):
    SessionFactory(team=area.team)
    delete_in_admin(official, SessionFactory(team=area.team))
    api.force_login(users[Role.WARD])
    page = api.get(SESSIONS, {"updated_after": since.isoformat()}).json()
    schema = client.get("/api/schema/?format=json").json()
    listed = schema["paths"][SESSIONS]["get"]["responses"]["200"]["content"]
    document = _nullable_as_json_schema(
        {
            **listed["application/json"]["schema"],
            "components": schema["components"],
        }
    )

    # oneOf: each item, live or tombstone, matches exactly one of the shapes.
    jsonschema.validate(page, document)
    assert [row["deleted"] for row in page["results"]] == [True, False]


def test_the_list_item_declares_deleted(client):
    schema = client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    listed = schema["paths"][SESSIONS]["get"]["responses"]["200"]["content"]
    page = listed["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    entry = components[page]["properties"]["results"]["items"]["$ref"]

    variants = components[entry.rsplit("/", 1)[1]]["oneOf"]
    declared = {}
    for variant in variants:
        name = variant["$ref"].rsplit("/", 1)[1]
        shape = components[name]
        assert "deleted" in shape["required"]
        (flag,) = shape["properties"]["deleted"]["allOf"]
        declared[name] = components[flag["$ref"].rsplit("/", 1)[1]]
    assert declared == {
        "SessionListItem": {"type": "boolean", "enum": [False]},
        "TombstoneOutput": {"type": "boolean", "enum": [True]},
    }

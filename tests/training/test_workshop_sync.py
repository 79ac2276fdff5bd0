"""Workshops are pulled like sessions: the same filters, tombstones of the
deleted ones, a detail address to read and correct one, with If-Match."""

import datetime
import uuid

import pytest
from django.utils import timezone

from accounts.models import Role
from tests.teams.factories import TeamFactory
from tests.training.factories import WorkshopFactory
from training.models import Workshop, WorkshopTombstone
from training.services import workshop_version
from training.tombstones import workshop_tombstones_purge

pytestmark = pytest.mark.django_db

WORKSHOPS = "/api/v1/workshops/"
ADMIN = "/admin/training/workshop/"


def detail(workshop) -> str:
    return "%s%d/" % (WORKSHOPS, workshop.pk)


def listed(api, **query) -> list[int]:
    response = api.get(WORKSHOPS, query)
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def as_official(api, users):
    api.force_login(users[Role.WARD])
    return api


@pytest.fixture
def since():
    return timezone.now() - datetime.timedelta(minutes=1)


def delete_in_admin(client, user, workshop):
    client.force_login(user)
    response = client.post("%s%d/delete/" % (ADMIN, workshop.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Workshop.objects.filter(pk=workshop.pk).exists()


# Filters


def test_workshops_filter_by_the_day_held(as_official, area):
    early = WorkshopFactory(team=area.team, held_on=datetime.date(2026, 3, 2))
    late = WorkshopFactory(team=area.team, held_on=datetime.date(2026, 3, 20))

    assert listed(as_official, date_from="2026-03-10") == [late.pk]
    assert listed(as_official, date_to="2026-03-10") == [early.pk]
    assert listed(as_official, date_from="2026-03-02", date_to="2026-03-02") == [
        early.pk
    ]


def test_workshops_filter_by_team(as_official, area):
    mine = WorkshopFactory(team=area.team)
    WorkshopFactory(team=TeamFactory(ward=area.ward))

    assert listed(as_official, team=area.team.pk) == [mine.pk]


def test_workshops_filter_by_last_change(as_official, area):
    old = WorkshopFactory(team=area.team)
    changed = WorkshopFactory(team=area.team)
    Workshop.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=2)
    )
    Workshop.objects.filter(pk=changed.pk).update(updated_at=timezone.now())
    since = timezone.now() - datetime.timedelta(days=1)

    assert listed(as_official, updated_after=since.isoformat()) == [changed.pk]


def test_a_bad_filter_value_is_named(as_official):
    response = as_official.get(WORKSHOPS, {"date_from": "hôm qua"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["date_from"]


def test_a_sessions_only_filter_is_unknown_here(as_official):
    response = as_official.get(WORKSHOPS, {"household": "1"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["household"]


# Tombstones


def test_a_workshop_deleted_in_the_admin_is_a_tombstone_in_the_pull(
    api, client, users, area, since
):
    kept = WorkshopFactory(team=area.team)
    gone = WorkshopFactory(team=area.team, client_uuid=uuid.uuid4())
    delete_in_admin(client, users[Role.WARD], gone)
    api.force_login(users[Role.TEAM_LEADER])

    rows = api.get(WORKSHOPS, {"updated_after": since.isoformat()}).json()["results"]

    assert rows[0] == {
        "id": gone.pk,
        "client_uuid": str(gone.client_uuid),
        "deleted": True,
        "updated_at": rows[0]["updated_at"],
    }
    assert (rows[1]["id"], rows[1]["deleted"]) == (kept.pk, False)
    assert len(rows) == 2
    assert listed(api) == [kept.pk]  # a plain list: live rows only


def test_workshop_tombstones_are_seen_only_by_those_who_saw_it(
    api, client, users, area, since
):
    sisters = WorkshopFactory(team=TeamFactory(ward=area.ward))
    delete_in_admin(client, users[Role.WARD], sisters)

    api.force_login(users[Role.TEAM_LEADER])
    assert listed(api, updated_after=since.isoformat()) == []
    api.force_login(users[Role.WARD])
    assert listed(api, updated_after=since.isoformat()) == [sisters.pk]
    assert WorkshopTombstone.objects.get().ward_id == area.ward.pk


def test_workshop_tombstones_are_kept_ninety_days(client, users, area):
    workshop = WorkshopFactory(team=area.team)
    delete_in_admin(client, users[Role.WARD], workshop)
    WorkshopTombstone.objects.update(
        updated_at=timezone.now() - datetime.timedelta(days=91)
    )

    assert workshop_tombstones_purge() == 1
    assert not WorkshopTombstone.objects.exists()


# Reading one


def test_a_workshop_is_read_with_its_version(as_official, area):
    workshop = WorkshopFactory(team=area.team)

    response = as_official.get(detail(workshop))

    assert response.status_code == 200
    assert response.json()["place"] == workshop.place
    assert response["ETag"] == '"%s"' % workshop_version(workshop)


def test_another_wards_workshop_is_a_404(as_official, area):
    theirs = WorkshopFactory(team=area.neighbour_team)

    assert as_official.get(detail(theirs)).status_code == 404
    assert as_official.patch(detail(theirs), {"place": "x"}).status_code == 404


def test_a_new_workshops_answer_says_where_it_lives(api, users, area):
    api.force_login(users[Role.TEAM_LEADER])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = api.post(
        WORKSHOPS,
        {
            "client_uuid": str(uuid.uuid4()),
            "held_on": yesterday.isoformat(),
            "place": "Trường THCS Nguyễn Trãi",
            "topic": "safety",
            "audience": "students",
            "attendees": 42,
        },
        format="json",
    )

    assert response.status_code == 201
    assert response["Location"] == "%s%d/" % (WORKSHOPS, response.json()["id"])
    assert api.get(response["Location"]).json() == response.json()


# Changing one


def test_a_ward_official_corrects_part_of_a_workshop(as_official, area):
    workshop = WorkshopFactory(team=area.team, attendees=30, women=18)
    read = as_official.get(detail(workshop))

    response = as_official.patch(
        detail(workshop),
        {"attendees": 35, "place": " Nhà văn hoá tổ 2 "},
        format="json",
        HTTP_IF_MATCH=read["ETag"],
    )

    assert response.status_code == 200
    workshop.refresh_from_db()
    assert (workshop.attendees, workshop.women, workshop.place) == (
        35,
        18,
        "Nhà văn hoá tổ 2",
    )
    assert response.json()["attendees"] == 35
    assert response["ETag"] == '"%s"' % workshop_version(workshop)
    assert response["ETag"] != read["ETag"]


def test_a_change_on_an_older_version_is_a_412(as_official, area):
    workshop = WorkshopFactory(team=area.team, attendees=30)
    read = as_official.get(detail(workshop))
    as_official.patch(detail(workshop), {"attendees": 31}, format="json")

    response = as_official.patch(
        detail(workshop),
        {"attendees": 40},
        format="json",
        HTTP_IF_MATCH=read["ETag"],
    )

    assert response.status_code == 412
    workshop.refresh_from_db()
    assert workshop.attendees == 31
    assert response["ETag"] == '"%s"' % workshop_version(workshop)
    assert "changed since you read it" in response.json()["detail"]


def test_a_change_that_cannot_be_true_is_refused_naming_the_field(as_official, area):
    workshop = WorkshopFactory(team=area.team, attendees=30, women=18)

    response = as_official.patch(detail(workshop), {"attendees": 10}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["women"]
    workshop.refresh_from_db()
    assert workshop.attendees == 30


@pytest.mark.parametrize("role", [Role.TEAM_LEADER, Role.PROVINCE])
def test_only_ward_officials_change_workshops(api, users, area, role):
    workshop = WorkshopFactory(team=area.team, attendees=30)
    api.force_login(users[role])

    response = api.patch(detail(workshop), {"attendees": 31}, format="json")

    assert response.status_code == 403
    workshop.refresh_from_db()
    assert workshop.attendees == 30


def test_an_official_still_corrects_a_workshop_in_the_admin(client, users, area):
    workshop = WorkshopFactory(team=area.team, attendees=30, women=18)
    client.force_login(users[Role.WARD])
    page = client.get("%s%d/change/" % (ADMIN, workshop.pk))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(place="Nhà văn hoá tổ 3", held_on="12/03/2026")

    response = client.post("%s%d/change/" % (ADMIN, workshop.pk), data)

    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.place == "Nhà văn hoá tổ 3"

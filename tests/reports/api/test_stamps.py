"""ETags and as_of that move when the figures do, and only then."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assistance.models import AssistanceSession
from assistance.services import session_update
from reports.models import PendingRefresh, WardRegistryStat, WardStamp
from reports.services import registry_recompute, stats_recompute
from reports.tasks import bucket_settle, registry_stats_task, stats_reconcile_task
from reports.versions import EPOCH
from teams.models import Membership
from tests.assistance.factories import MembershipFactory, SessionFactory, local
from tests.reports.api.conftest import STATS, SUMMARY
from tests.teams.factories import TeamFactory
from tests.training.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

TRAINING = "/api/v1/stats/training/"
URLS = (STATS, SUMMARY, TRAINING)
SUMMARY_TABLES = ("reports_dayteamstat", "reports_dayservicestat")


@pytest.fixture
def client(with_key, area):
    return with_key("province", province=area.province)


@pytest.fixture
def settled(area, figures):
    """The figures, with a workshop, refreshed and owed nothing."""
    WorkshopFactory(team=area.team, held_on=figures.days[0])
    stats_recompute()
    registry_recompute()
    PendingRefresh.objects.all().delete()
    return figures


def answers(client) -> dict:
    """Each endpoint's (ETag, as_of)."""
    found = {}
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 200
        found[url] = (response["ETag"], response.json()["as_of"])
    return found


def stamps() -> dict:
    return {
        "wards": dict(WardStamp.objects.values_list("ward_id", "changed_at")),
        "workshops": dict(
            WardStamp.objects.values_list("ward_id", "workshops_changed_at")
        ),
        "registry": dict(
            WardRegistryStat.objects.values_list("ward_id", "refreshed_at")
        ),
    }


def owed_settle() -> list:
    """Run the refreshes the saves marked as owed, as the worker would."""
    owed = list(PendingRefresh.objects.values_list("ward_id", "day"))
    for ward_id, day in owed:
        bucket_settle(ward_id, day)
    return owed


def test_recomputes_that_change_nothing_keep_every_tag(client, area, settled):
    before, kept = answers(client), stamps()
    epoch = cache.get(EPOCH)
    days = settled.days

    for _twice in range(2):
        stats_recompute(ward_ids=[area.ward.pk, area.neighbour_ward.pk])
        stats_recompute(day_from=days[0], day_to=days[-1])
        stats_reconcile_task(days=5)
        registry_recompute()
        registry_recompute(ward_ids=[area.ward.pk])
        registry_stats_task()

    assert stamps() == kept
    assert cache.get(EPOCH) == epoch  # no kept version was made stale
    with CaptureQueriesContext(connection) as queries:
        assert answers(client) == before
    # The answers come from what was kept: no figure is computed again.
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert not [table for table in SUMMARY_TABLES if table in sql]
    for url in URLS:
        etag = before[url][0]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_notes_only_edit_leaves_the_statistics_tags(client, area, settled):
    before, kept = answers(client), stamps()
    session = AssistanceSession.objects.filter(
        ward=area.ward, members__isnull=False
    ).first()

    session_update(session=session, notes="Hẹn quay lại tuần sau.")
    owed = owed_settle()

    assert owed == [(session.ward_id, session.started_on)]  # the refresh ran
    assert stamps() == kept
    assert answers(client) == before


def test_a_new_session_moves_the_statistics_not_the_training(client, area, settled):
    before = answers(client)
    day = settled.days[-1]

    SessionFactory(team=area.team, started_at=local(day.year, day.month, day.day, 15))
    owed_settle()
    after = answers(client)

    assert after[STATS][0] != before[STATS][0]
    assert after[STATS][1] > before[STATS][1]
    assert after[SUMMARY][0] != before[SUMMARY][0]
    assert after[TRAINING] == before[TRAINING]
    etag = before[TRAINING][0]
    assert client.get(TRAINING, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_workshop_moves_the_training_tag(client, area, settled):
    before = answers(client)

    WorkshopFactory(team=area.neighbour_team, held_on=settled.days[-1])
    owed_settle()
    after = answers(client)

    assert after[TRAINING][0] != before[TRAINING][0]
    assert after[TRAINING][1] > before[TRAINING][1]
    response = client.get(TRAINING)
    assert sum(row["workshops"] for row in response.json()["results"]) == 2


def test_only_the_ward_that_changed_moves(area, settled):
    kept = stamps()
    day = settled.days[-1]

    SessionFactory(team=area.team, started_at=local(day.year, day.month, day.day, 15))
    stats_reconcile_task(days=5)

    now = stamps()
    assert now["wards"][area.ward.pk] > kept["wards"][area.ward.pk]
    assert {ward: at for ward, at in now["wards"].items() if ward != area.ward.pk} == {
        ward: at for ward, at in kept["wards"].items() if ward != area.ward.pk
    }
    # Sessions are not workshops: the training's stamp stays.
    assert now["workshops"] == kept["workshops"]
    assert now["registry"] == kept["registry"]


def test_a_deleted_session_moves_its_ward_back(client, area, settled):
    day = settled.days[-1]
    session = SessionFactory(
        team=area.team, started_at=local(day.year, day.month, day.day, 15)
    )
    owed_settle()
    with_it = answers(client)[STATS]

    session.delete()
    owed_settle()

    assert answers(client)[STATS][0] != with_it[0]


def test_the_registry_moves_only_the_wards_that_changed(area, settled):
    kept = stamps()["registry"]

    MembershipFactory(member__ward=area.neighbour_ward, team=area.neighbour_team)
    registry_recompute()

    now = stamps()["registry"]
    assert now[area.neighbour_ward.pk] > kept[area.neighbour_ward.pk]
    assert {ward: at for ward, at in now.items() if ward != area.neighbour_ward.pk} == {
        ward: at for ward, at in kept.items() if ward != area.neighbour_ward.pk
    }


def test_a_member_moved_between_teams_of_a_ward_moves_its_registry(area, settled):
    membership = Membership.objects.filter(team=area.team).first()
    other = TeamFactory(ward=area.ward, hamlet=area.hamlet)
    kept = stamps()["registry"]

    # The ward still has as many members; its table by team changed.
    Membership.objects.filter(pk=membership.pk).update(team=other)
    registry_recompute(ward_ids=[area.ward.pk])

    assert stamps()["registry"][area.ward.pk] > kept[area.ward.pk]


def test_a_ward_seen_for_the_first_time_gets_a_stamp_once(area, settled):
    WardStamp.objects.filter(ward=area.other_ward).delete()
    epoch = cache.get(EPOCH)

    stats_reconcile_task()
    first = WardStamp.objects.get(ward=area.other_ward).changed_at
    moved = cache.get(EPOCH)
    stats_reconcile_task()

    assert moved != epoch  # its areas' versions count it now
    assert WardStamp.objects.get(ward=area.other_ward).changed_at == first
    assert cache.get(EPOCH) == moved


@pytest.mark.parametrize("url", URLS)
def test_a_compressed_answers_weak_tag_gets_its_304(client, settled, url):
    compressed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")

    again = client.get(
        url, HTTP_IF_NONE_MATCH=compressed["ETag"], HTTP_ACCEPT_ENCODING="gzip"
    )

    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["ETag"].startswith('W/"')
    assert again.status_code == 304
    assert again["ETag"] == compressed["ETag"]


def test_a_strong_tag_gets_its_304_with_the_strong_tag(client, settled):
    plain = client.get(STATS)

    again = client.get(STATS, HTTP_IF_NONE_MATCH=plain["ETag"])

    assert again.status_code == 304
    assert again["ETag"] == plain["ETag"]
    assert not plain["ETag"].startswith("W/")

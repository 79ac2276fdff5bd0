"""A full rebuild on PostgreSQL: the same rows, the tables as migrated, the stamps.

Outside a transaction the rebuild refills its two halves on two connections,
each in a transaction of its own, so those tests commit their data
(``transaction=True``); inside a caller's transaction it refills every table
in that one. SQLite deletes bucket by bucket instead, which the aggregation
tests cover.
"""

import pytest
from django.db import connection, transaction

from assistance.catalogue import catalogue_load
from assistance.models import ServiceType
from reports import services
from reports.models import (
    DayHousehold,
    DayMemberStat,
    DayServiceStat,
    DayTeamStat,
    DayWorkshopStat,
    WardStamp,
)
from reports.services import stats_recompute
from tests.assistance.factories import MembershipFactory, SessionFactory
from tests.households.factories import HouseholdFactory
from tests.reports.conftest import days_ago
from tests.training.factories import WorkshopFactory

TABLES = (DayTeamStat, DayServiceStat, DayMemberStat, DayHousehold, DayWorkshopStat)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite empties no table whole: buckets are deleted one by one")


@pytest.fixture
def activity(area):
    """Rows for every summary table, in two wards."""
    # A transactional test's database may have been flushed by an earlier one,
    # taking the seeded catalogue with it.
    catalogue_load(ServiceType)
    member = MembershipFactory(member__ward=area.ward, team=area.team).member
    household = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
    for count in (1, 2):
        SessionFactory(
            team=area.team,
            started_at=days_ago(count),
            household=household,
            members=[member],
            services=[("vneid_level2", "done"), ("bill_qr", "follow_up")],
        )
    SessionFactory(team=area.neighbour_team, started_at=days_ago(1))
    WorkshopFactory(team=area.team, ward=area.ward, held_on=days_ago(3).date())


def summary_rows():
    """Every summary row, without its id (a rebuild numbers the rows anew)."""
    return {
        table.__name__: sorted(
            tuple(row.values())
            for row in table.objects.values(
                *(field.attname for field in table._meta.concrete_fields[1:])
            )
        )
        for table in TABLES
    }


def constraints():
    """The summary tables' constraints and indexes, as PostgreSQL holds them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE conrelid = ANY(%s::regclass[])"
            " UNION ALL SELECT tablename, indexname, indexdef FROM pg_indexes"
            " WHERE tablename = ANY(%s) ORDER BY 1, 2, 3",
            [[table._meta.db_table for table in TABLES]] * 2,
        )
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_side_by_side_gives_the_rows_of_one_transaction(activity):
    with transaction.atomic():  # a caller's transaction: every table in it
        stats_recompute()
    expected = summary_rows()
    for table in TABLES:  # no old row may stand in for a table left out
        table.objects.all().delete()

    stats_recompute()

    assert summary_rows() == expected
    assert all(expected.values())


@pytest.mark.django_db(transaction=True)
def test_side_by_side_leaves_the_tables_as_migrated(activity):
    before = constraints()

    stats_recompute()

    assert constraints() == before
    assert any("PRIMARY KEY" in definition for _, _, definition in before)


@pytest.mark.django_db(transaction=True)
def test_side_by_side_moves_every_stamp_after_both_halves(area, activity):
    stats_recompute()
    before = dict(WardStamp.objects.values_list("ward_id", "changed_at"))

    stats_recompute()

    after = dict(WardStamp.objects.values_list("ward_id", "changed_at"))
    assert after.keys() == before.keys() >= {area.ward.pk, area.other_ward.pk}
    assert all(after[ward] > before[ward] for ward in before)


@pytest.mark.django_db(transaction=True)
def test_a_failing_half_is_raised_and_leaves_the_stamps(activity, monkeypatch):
    stats_recompute()
    before = dict(WardStamp.objects.values_list("ward_id", "changed_at"))

    def broken(*args):
        raise RuntimeError("member rows")

    monkeypatch.setattr(services, "_member_rows", broken)  # the other connection's
    with pytest.raises(RuntimeError, match="member rows"):
        stats_recompute()

    assert dict(WardStamp.objects.values_list("ward_id", "changed_at")) == before
    assert DayMemberStat.objects.exists()  # its half rolled back to the old rows


@pytest.mark.django_db
def test_a_rebuild_in_a_callers_transaction_leaves_the_tables_as_migrated(activity):
    before = constraints()

    stats_recompute()

    assert constraints() == before


@pytest.mark.django_db
def test_a_rebuild_in_a_callers_transaction_keeps_its_commit_durable(activity):
    stats_recompute()

    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)

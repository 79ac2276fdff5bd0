"""A bucket's refresh recomputes the bucket whole but writes only what
changed: a new session in a busy bucket leaves the rows it does not change
where they are, and the households' previous days still follow."""

import datetime

import pytest
from django.utils import timezone

from reports.models import DayHousehold, DayTeamStat, WardStamp
from reports.services import bucket_refresh, stats_recompute
from tests.assistance.factories import SessionFactory, local
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

DAY = timezone.localdate() - datetime.timedelta(days=3)
EARLIER = DAY - datetime.timedelta(days=4)


def session_on(area, day, household):
    return SessionFactory(
        team=area.team,
        started_at=local(day.year, day.month, day.day, 9),
        household=household,
    )


@pytest.fixture
def busy(area):
    homes = [HouseholdFactory(ward=area.ward, hamlet=area.hamlet) for _ in range(4)]
    for home in homes:
        session_on(area, DAY, home)
    stats_recompute()
    return homes


def test_a_new_session_of_a_household_already_helped_rewrites_no_household_row(
    area, busy
):
    before = {
        row.pk: (row.household_id, row.previous)
        for row in DayHousehold.objects.filter(ward=area.ward, day=DAY)
    }
    team = DayTeamStat.objects.get(ward=area.ward, day=DAY)
    session_on(area, DAY, busy[0])
    bucket_refresh(ward_id=area.ward.pk, day=DAY)

    after = {
        row.pk: (row.household_id, row.previous)
        for row in DayHousehold.objects.filter(ward=area.ward, day=DAY)
    }
    assert after == before  # the same rows, not deleted and inserted again
    # The team's row changed: written again with one session more.
    assert DayTeamStat.objects.get(ward=area.ward, day=DAY).sessions == (
        team.sessions + 1
    )


def test_a_new_household_adds_its_row_and_the_others_stay(area, busy):
    kept = set(
        DayHousehold.objects.filter(ward=area.ward, day=DAY).values_list(
            "pk", flat=True
        )
    )
    newcomer = HouseholdFactory(ward=area.ward, hamlet=area.hamlet)
    session_on(area, DAY, newcomer)
    bucket_refresh(ward_id=area.ward.pk, day=DAY)

    now = DayHousehold.objects.filter(ward=area.ward, day=DAY)
    assert kept < set(now.values_list("pk", flat=True))
    assert now.exclude(pk__in=kept).get().household_id == newcomer.pk


def test_an_earlier_day_moves_the_previous_day_of_the_rows_after_it(area, busy):
    session_on(area, EARLIER, busy[1])
    bucket_refresh(ward_id=area.ward.pk, day=EARLIER)

    later = DayHousehold.objects.get(ward=area.ward, day=DAY, household=busy[1])
    assert later.previous == EARLIER
    others = DayHousehold.objects.filter(ward=area.ward, day=DAY).exclude(
        household=busy[1]
    )
    assert not others.exclude(previous=None).exists()


def test_a_refresh_that_changes_nothing_keeps_the_wards_stamp(area, busy):
    stamp = WardStamp.objects.get(ward=area.ward).changed_at
    bucket_refresh(ward_id=area.ward.pk, day=DAY)
    assert WardStamp.objects.get(ward=area.ward).changed_at == stamp
    session_on(area, DAY, busy[2])
    bucket_refresh(ward_id=area.ward.pk, day=DAY)
    assert WardStamp.objects.get(ward=area.ward).changed_at > stamp

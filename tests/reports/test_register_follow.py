"""Coverage follows the register: a household that moves or changes its
priority groups after its sessions were counted is counted where, and as,
the register says, once its ward's registry is recomputed (queued by the
save) or the schedule's recompute runs (for bulk changes, which queue
nothing)."""

import datetime

import pytest
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from households.models import Household
from reports import receivers
from reports.coverage import coverage
from reports.indicators import Area
from reports.models import NationDayReach, ProvinceDayReach, ScheduledRun
from reports.services import stats_recompute
from reports.tasks import registry_recompute_task, registry_stats_task
from tests.assistance.factories import SessionFactory, local
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = TODAY - datetime.timedelta(days=29)


@pytest.fixture
def queued(broker):
    """The wards' registry recomputes handed to the broker."""
    return broker(receivers.registry_recompute_task)


@pytest.fixture
def helped(area):
    """Two households of the test ward, each helped twice by its team."""
    homes = [
        HouseholdFactory(ward=area.ward, hamlet=area.hamlet, elderly_alone=True),
        HouseholdFactory(ward=area.ward, hamlet=area.hamlet),
    ]
    for home in homes:
        for days in (2, 5):
            day = TODAY - datetime.timedelta(days=days)
            SessionFactory(
                team=area.team,
                started_at=local(day.year, day.month, day.day, 9),
                household=home,
            )
    stats_recompute()
    registry_stats_task()
    return homes


def figures(area: Area, group: str = "none") -> dict:
    return {
        row["group"]: (row["reached"], row["priority_reached"])
        for row in coverage(area, START, TODAY, group)
        if row["reached"] or row["households"]
    }


def everywhere(area) -> list[dict]:
    """Coverage of the ward, of its province by ward, and of the nation by
    province: the rows, and the two rollups."""
    return [
        figures(Area("ward", area.ward.pk)),
        figures(Area("province", area.province.pk), "ward"),
        figures(Area("province", area.province.pk)),
        figures(Area("national"), "province"),
        figures(Area("national")),
    ]


def test_a_household_that_moves_away_is_no_longer_reached_by_its_old_ward(
    area, helped, queued, django_capture_on_commit_callbacks
):
    moved = helped[0]
    assert everywhere(area)[0] == {None: (2, 1)}

    with django_capture_on_commit_callbacks(execute=True):
        moved.ward, moved.hamlet = area.neighbour_ward, area.neighbour_hamlet
        moved.save()
    assert sorted(queued) == sorted([(area.ward.pk,), (area.neighbour_ward.pk,)])
    for (ward,) in queued:
        registry_recompute_task(ward)

    ward, by_ward, province, by_province, nation = everywhere(area)
    assert ward == {None: (1, 0)}
    # Its new ward never helped it: reached by none.
    assert by_ward[area.ward.pk] == (1, 0)
    assert by_ward.get(area.neighbour_ward.pk, (0, 0)) == (0, 0)
    assert province == {None: (1, 0)}
    assert by_province[area.province.pk] == (1, 0)
    assert nation == {None: (1, 0)}


def test_a_household_moved_back_is_reached_again(area, helped, queued):
    moved = helped[1]
    moved.ward, moved.hamlet = area.neighbour_ward, area.neighbour_hamlet
    moved.save()
    registry_stats_task()
    assert figures(Area("national")) == {None: (1, 1)}

    moved.ward, moved.hamlet = area.ward, area.hamlet
    moved.save()
    registry_stats_task()

    assert figures(Area("national")) == {None: (2, 1)}
    assert figures(Area("province", area.province.pk), "ward") == {area.ward.pk: (2, 1)}


def test_priority_groups_changed_in_bulk_are_followed_by_the_schedule(
    area, helped, queued
):
    homes = list(Household.objects.filter(pk__in=[home.pk for home in helped]))
    for home in homes:
        home.elderly_alone = not home.elderly_alone
    # An import's bulk update: an audit row each, no save signal.
    bulk_update_with_history(homes, Household, ["elderly_alone"])
    assert queued == []

    registry_stats_task()

    for found in everywhere(area):
        assert set(found.values()) == {(2, 1)}
    reach = ProvinceDayReach.objects.filter(province=area.province.pk)
    assert sum(row.priority for row in reach if row.previous is None) == 1
    assert sum(row.registered for row in NationDayReach.objects.all()) == 4


def test_changes_made_while_the_schedule_was_stopped_are_caught_up(
    area, helped, queued
):
    """The schedule follows the audit trail from its last run (an hour back),
    however long ago that was."""
    hours_ago = timezone.now() - datetime.timedelta(hours=4)
    ScheduledRun.objects.filter(job=ScheduledRun.Job.REGISTRY).update(
        finished_at=hours_ago
    )
    moved = helped[0]
    moved.ward, moved.hamlet = area.neighbour_ward, area.neighbour_hamlet
    moved.save()
    # Saved three hours ago, while no worker ran; its queued recompute lost.
    moved.history.update(history_date=hours_ago + datetime.timedelta(hours=1))

    registry_stats_task()

    assert figures(Area("national")) == {None: (1, 0)}

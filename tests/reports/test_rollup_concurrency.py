"""Two wards' buckets refreshed at once leave their province's and the
nation's day equal to the sum of both.

Each refresh re-sums the day from the ward rows it can see; without the
per-day lock, each would miss the other's uncommitted rows and the later
commit would win with one ward missing. The refreshes are held at the point
where both have rewritten their ward rows and neither has summed the day, so
the race happens every run. Only PostgreSQL runs the two transactions at once.
"""

import threading

import pytest
from django.db import connection

from reports import services
from reports.models import NationDayStat, ProvinceDayStat
from reports.services import bucket_refresh
from tests.assistance.factories import SessionFactory
from tests.reports.conftest import days_ago

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 20  # seconds; a thread that waits longer has deadlocked


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs two connections writing at once (SQLite has one writer)")


def test_wards_refreshed_at_once_all_count(area, monkeypatch):
    day = days_ago(1)
    teams = [area.team, area.neighbour_team, area.other_team]
    for count, team in zip((2, 3, 4), teams, strict=True):
        for _ in range(count):
            SessionFactory(team=team, started_at=day)
    both_rewritten = threading.Barrier(len(teams), timeout=TIMEOUT)
    rollups_refresh = services.rollups_refresh

    def held(**bucket):
        both_rewritten.wait()  # every ward's rows rewritten, none committed
        rollups_refresh(**bucket)

    monkeypatch.setattr(services, "rollups_refresh", held)
    errors = []

    def refresh(team):
        try:
            bucket_refresh(ward_id=team.ward_id, day=day.date())
        except BaseException as error:  # reported in the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh, args=[team]) for team in teams]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)

    assert not any(thread.is_alive() for thread in threads), "a refresh hung"
    assert errors == []
    provinces = dict(ProvinceDayStat.objects.values_list("province_id", "sessions"))
    assert provinces == {area.province.pk: 5, area.other_province.pk: 4}
    assert NationDayStat.objects.get(day=day.date()).sessions == 9

"""``seed_demo --scale national``: every commune's figures, written by SQL."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Avg, F, OuterRef, Subquery, Sum

from accounts.models import Role, User
from areas.models import Hamlet, Ward
from areas.services import areas_load
from demo.scale_national import NATIONAL_LOGIN, national_seed
from households.models import Household
from reports.indicators import Area, activity
from reports.models import (
    DayHousehold,
    DayServiceStat,
    DayTeamStat,
    NationDayStat,
    WardRegistryStat,
    WardStamp,
)

pytestmark = pytest.mark.django_db
# About twenty sessions a commune a day, thirty households a commune: small
# enough for a test, the same statements as the year for the whole country.
DAYS = 3
SESSIONS_A_YEAR = 20 * 3_321 * 365


@pytest.fixture
def seeded(db):
    return national_seed(days=DAYS, sessions=SESSIONS_A_YEAR, households_per_ward=30)


def test_every_commune_gets_figures_registry_rollups_and_logins(seeded):
    """One seed, several checks: seeding the country takes a while even small."""
    communes = Ward.objects.count()
    assert communes == 3_321
    assert DayTeamStat.objects.values("ward").distinct().count() == communes
    assert DayServiceStat.objects.values("ward").distinct().count() == communes
    assert WardRegistryStat.objects.count() == communes
    assert WardStamp.objects.count() == communes
    assert DayTeamStat.objects.values("day").distinct().count() == DAYS

    # Urban wards are busier than rural communes.
    def mean(kind):
        return (
            DayTeamStat.objects.filter(ward__kind=kind)
            .values("ward")
            .annotate(total=Sum("sessions"))
            .aggregate(mean=Avg("total"))["mean"]
        )

    assert mean(Ward.Kind.WARD) > 1.5 * mean(Ward.Kind.COMMUNE)

    # The households reached are registry households of their own commune.
    home = Household.objects.filter(pk=OuterRef("household_id")).values("ward_id")
    reached = DayHousehold.objects.annotate(home=Subquery(home))
    assert reached.exists()
    assert not reached.exclude(home=F("ward_id")).exists()

    # The nation's days add up the communes' (the rollups are filled).
    communes_sessions = DayTeamStat.objects.aggregate(total=Sum("sessions"))["total"]
    nation = NationDayStat.objects.aggregate(total=Sum("sessions"))["total"]
    assert communes_sessions > 0
    assert nation == communes_sessions

    # Households reached over the days: each commune's distinct households,
    # from the previous days the seed wrote and the nation's reach rollup.
    first, last = seeded.first, seeded.last
    distinct = DayHousehold.objects.values("ward_id", "household_id").distinct()
    figures = activity(Area("national"), first, last)
    assert figures["households_reached"] == distinct.count()
    figures = activity(Area("national"), last, last)
    helped_last = DayHousehold.objects.filter(day=last).count()
    assert figures["households_reached"] == helped_last

    # The national official can sign in.
    official = User.objects.get(username=NATIONAL_LOGIN)
    assert official.role == Role.NATIONAL
    assert official.check_password("demo1234")


def test_a_database_with_hamlets_is_refused_with_a_message(db):
    areas_load()
    Hamlet.objects.create(ward=Ward.objects.first(), name="Thôn 1")

    # Commands speak the site's language, Vietnamese.
    with pytest.raises(CommandError, match="cơ sở dữ liệu trống"):
        call_command(
            "seed_demo",
            scale="national",
            days=1,
            allow_without_debug=True,
            stdout=io.StringIO(),
        )
    assert not DayTeamStat.objects.exists()

"""Set the register's flags on the household-day rows already stored, and sum
the provinces' and the nation's households reached again, with them.

The rows are derived: reversing leaves them to the previous migration's
column drops.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q


def register_fill(apps, schema_editor):
    DayHousehold = apps.get_model("reports", "DayHousehold")
    Household = apps.get_model("households", "Household")
    if not DayHousehold.objects.exists():
        return
    # As reports.reached.priority_household says, at this migration.
    priority = (
        Q(elderly_alone=True)
        | Q(disability=True)
        | Q(poverty__in=("poor", "near_poor"))
        | Q(ethnic_minority=True)
        | Q(no_smartphone=True)
    )
    here = Household.objects.filter(
        pk=OuterRef("household_id"), ward_id=OuterRef("ward_id")
    )
    DayHousehold.objects.update(
        registered=Exists(here), priority=Exists(here.filter(priority))
    )
    # The live definition: the rollups are summed from the ward rows as they are.
    from reports.rollups import rollups_rebuild

    rollups_rebuild()


class Migration(migrations.Migration):
    dependencies = [("reports", "0018_households_reached_keep_the_register")]

    operations = [migrations.RunPython(register_fill, migrations.RunPython.noop)]

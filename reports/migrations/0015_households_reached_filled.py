"""Set each household-day row's previous day, and sum the provinces' and the
nation's households reached, from the rows already stored.

The rows are derived: reversing leaves them to the previous migration's
column and table drops.
"""

from django.db import migrations


def reached_fill(apps, schema_editor):
    # The live definitions: the rows are derived from the ward tables as they are.
    from reports.reached import previous_fix
    from reports.rollups import rollups_rebuild

    previous_fix(None, None, None)
    rollups_rebuild()


class Migration(migrations.Migration):
    dependencies = [("reports", "0014_households_reached_by_first_day")]

    operations = [migrations.RunPython(reached_fill, migrations.RunPython.noop)]

"""Set each household-day row's previous day from the rows already stored (the
provinces' and the nation's households reached are summed by 0019).

The rows are derived: reversing leaves them to the previous migration's
column and table drops.
"""

from django.db import migrations


def reached_fill(apps, schema_editor):
    # The live definitions: the rows are derived from the ward tables as they
    # are. The rollups are summed by 0019, once their later columns exist.
    from reports.reached import previous_fix

    previous_fix(None, None, None)


class Migration(migrations.Migration):
    dependencies = [("reports", "0014_households_reached_by_first_day")]

    operations = [migrations.RunPython(reached_fill, migrations.RunPython.noop)]

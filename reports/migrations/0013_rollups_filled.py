"""Fill the rollups above the ward from the ward rows already stored.

Without it a province's and the nation's days would read empty until a
rebuild (``rebuild_stats``) or each bucket's next refresh. The rows are
derived: reversing leaves them to the previous migration's table drop.
"""

from django.db import migrations


def rollups_fill(apps, schema_editor):
    # The live sums: the rollups are defined by the ward tables as they are.
    from reports.rollups import rollups_rebuild

    rollups_rebuild()


class Migration(migrations.Migration):
    dependencies = [("reports", "0012_rollups_above_the_ward")]

    operations = [migrations.RunPython(rollups_fill, migrations.RunPython.noop)]

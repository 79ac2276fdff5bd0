"""Fill the rollups above the ward from the ward rows already stored.

Done by 0015_households_reached_filled now, with every rollup of the live
code (this one ran the live rebuild too, which since also writes tables that
only 0014 creates). The rows are derived: nothing to reverse.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0012_rollups_above_the_ward")]

    operations = []

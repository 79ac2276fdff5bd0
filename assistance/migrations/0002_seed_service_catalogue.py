from django.db import migrations

from assistance.catalogue import CATALOGUE
from assistance.catalogue import catalogue_load as _load


def catalogue_load(apps, schema_editor):
    _load(apps.get_model("assistance", "ServiceType"))


def catalogue_unload(apps, schema_editor):
    codes = [row[0] for row in CATALOGUE]
    apps.get_model("assistance", "ServiceType").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("assistance", "0001_service_type")]

    operations = [migrations.RunPython(catalogue_load, catalogue_unload)]

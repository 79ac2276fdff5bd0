from django.db import migrations


def fill_search_text(apps, schema_editor):
    from core.text import search_key

    Member = apps.get_model("teams", "Member")
    members = list(Member.objects.only("full_name", "phone"))
    for member in members:
        member.search_text = search_key(member.full_name, member.phone)
    Member.objects.bulk_update(members, ["search_text"], batch_size=1000)


def clear_search_text(apps, schema_editor):
    apps.get_model("teams", "Member").objects.update(search_text="")


class Migration(migrations.Migration):
    dependencies = [("teams", "0003_service_points_shifts_history")]

    operations = [migrations.RunPython(fill_search_text, clear_search_text)]

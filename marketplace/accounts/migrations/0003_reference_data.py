from django.db import migrations

from marketplace.accounts.reference_data import load_cities, load_skills


def forwards(apps, schema_editor):
    load_skills(apps.get_model("accounts", "Skill"))
    load_cities(apps.get_model("accounts", "City"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_profiles_organisations_pools")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

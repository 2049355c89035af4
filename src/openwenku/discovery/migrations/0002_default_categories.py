"""Seed a default category tree of a Chinese document library.

Operators edit it in the admin afterwards; this only fills an empty table.
"""

from django.db import migrations

def seed(apps, schema_editor):
    from openwenku.discovery.defaults import seed_default_categories

    seed_default_categories(apps.get_model("discovery", "Category"))


class Migration(migrations.Migration):
    dependencies = [("discovery", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

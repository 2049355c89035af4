from django.db import migrations

# The default categories of sensitive words (the operator may rename or change them).
DEFAULTS = ["政治", "色情", "赌博", "暴力", "广告"]


def create(apps, schema_editor):
    WordCategory = apps.get_model("integrity", "WordCategory")
    for name in DEFAULTS:
        WordCategory.objects.get_or_create(name=name, defaults={"action": "hold"})
    WordListVersion = apps.get_model("integrity", "WordListVersion")
    WordListVersion.objects.get_or_create(pk=1, defaults={"version": 0})


def remove(apps, schema_editor):
    WordCategory = apps.get_model("integrity", "WordCategory")
    WordCategory.objects.filter(name__in=DEFAULTS, words__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("integrity", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]

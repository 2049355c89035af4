"""The search insights page needs the permission to view query statistics (staff
status alone no longer opens it); the "Operators" group gets it."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    alias = schema_editor.connection.alias
    create_permissions(global_apps.get_app_config("search"), verbosity=0, using=alias, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(alias).get_or_create(name="Operators")
    group.permissions.add(
        Permission.objects.using(alias).get(
            content_type__app_label="search", codename="view_querystat"
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("market", "0003_operator_permissions"),
        ("search", "0003_vectors_index"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

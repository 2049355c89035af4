"""The group "Operators" (market 0003) also manages coin packages, sees orders,
refunds them and credits a flagged one after a look."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

OPERATORS = "Operators"
PERMISSIONS = [
    ("payments", "view_coinpackage"),
    ("payments", "add_coinpackage"),
    ("payments", "change_coinpackage"),
    ("payments", "view_order"),
    ("payments", "refund_order"),
]


def operators_group(apps, schema_editor):
    db = schema_editor.connection.alias
    create_permissions(global_apps.get_app_config("payments"), verbosity=0, using=db, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(db).get_or_create(name=OPERATORS)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.using(db).get(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("market", "0003_operator_permissions"),
        ("payments", "0001_initial"),
    ]

    operations = [migrations.RunPython(operators_group, migrations.RunPython.noop)]

"""The "Operators" group decides copyright notices, takes documents down and
decides authors' claims (issue 13)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

OPERATORS = "Operators"
PERMISSIONS = ["handle_notice", "take_down", "handle_claim"]


def operators_group(apps, schema_editor):
    alias = schema_editor.connection.alias
    # Permissions are normally created after the last migration; the group needs them now.
    create_permissions(
        global_apps.get_app_config("moderation"), verbosity=0, using=alias, apps=apps
    )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(alias).get_or_create(name=OPERATORS)
    for codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.using(alias).get(
                content_type__app_label="moderation", codename=codename
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("moderation", "0004_copyright_notices_takedowns_claims"),
    ]

    operations = [migrations.RunPython(operators_group, migrations.RunPython.noop)]

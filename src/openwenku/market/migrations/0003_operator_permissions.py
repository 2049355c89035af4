"""Operators' powers become permissions (issue 11, item 10): staff status alone no
longer reads paid content, manages documents, grants coins or decides withdrawals.

A group "Operators" holds every one of them; add staff accounts to it (admin →
Groups) to give them back what they could do before. Superusers hold all anyway.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

OPERATORS = "Operators"
PERMISSIONS = [
    ("documents", "read_all_content"),
    ("documents", "manage_any_document"),
    ("documents", "upload_without_quota"),
    ("market", "grant_coins"),
    ("market", "approve_withdrawal"),
    ("market", "view_wallet"),
    ("market", "view_ledgerentry"),
    ("market", "view_purchase"),
    ("market", "change_purchase"),  # refunds
    ("market", "view_withdrawal"),
]


def operators_group(apps, schema_editor):
    # Permissions are normally created after the last migration; the group needs them now.
    for label in ("documents", "market"):
        create_permissions(
            global_apps.get_app_config(label),
            verbosity=0,
            using=schema_editor.connection.alias,
            apps=apps,
        )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(schema_editor.connection.alias).get_or_create(name=OPERATORS)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.using(schema_editor.connection.alias).get(
                content_type__app_label=app_label, codename=codename
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0006_operator_permissions"),
        ("market", "0002_ledger_triggers"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="wallet",
            options={
                "permissions": [("grant_coins", "Grant or deduct coins")],
                "verbose_name": "wallet",
                "verbose_name_plural": "wallets",
            },
        ),
        migrations.AlterModelOptions(
            name="withdrawal",
            options={
                "ordering": ["-created_at", "-id"],
                "permissions": [("approve_withdrawal", "Approve or reject withdrawals")],
                "verbose_name": "withdrawal",
                "verbose_name_plural": "withdrawals",
            },
        ),
        migrations.RunPython(operators_group, migrations.RunPython.noop),
    ]

"""Moderation's powers join the "Operators" group (as documents 0006 and market 0003
did), and the rejection reasons start with a few common ones (editable in the admin)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

OPERATORS = "Operators"
PERMISSIONS = [
    ("moderation", "review_document"),
    ("moderation", "handle_report"),
    ("moderation", "view_report"),
    ("accounts", "view_penalty"),
    ("audit", "view_auditentry"),
]
REASONS = [
    "内容涉嫌侵犯他人版权",
    "内容违反法律法规或含有不良信息",
    "广告、营销或垃圾内容",
    "文档无实际内容或质量过低",
    "文档无法正常阅读（空白、乱码、损坏）",
    "与站内已有文档重复",
]


def operators_group(apps, schema_editor):
    alias = schema_editor.connection.alias
    for label in ("moderation", "accounts", "audit"):
        create_permissions(
            global_apps.get_app_config(label), verbosity=0, using=alias, apps=apps
        )
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(alias).get_or_create(name=OPERATORS)
    for app_label, codename in PERMISSIONS:
        permission = (
            Permission.objects.using(alias)
            .filter(content_type__app_label=app_label, codename=codename)
            .first()
        )
        if permission is not None:
            group.permissions.add(permission)


def seed_reasons(apps, schema_editor):
    RejectionReason = apps.get_model("moderation", "RejectionReason")
    for position, text in enumerate(REASONS):
        RejectionReason.objects.using(schema_editor.connection.alias).get_or_create(
            text=text, defaults={"position": position}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0003_penalty"),
        ("audit", "0001_audit_log"),
        ("moderation", "0002_review_and_outcomes"),
    ]

    operations = [
        migrations.RunPython(operators_group, migrations.RunPython.noop),
        migrations.RunPython(seed_reasons, migrations.RunPython.noop),
    ]

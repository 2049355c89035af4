"""Category moves from discovery to documents in Django's state only: the table
(discovery_category), its rows and every foreign key stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_unpublished_status"),
        ("discovery", "0002_default_categories"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Category",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=50, verbose_name="name")),
                        ("slug", models.SlugField(allow_unicode=True, max_length=60, unique=True, verbose_name="slug")),
                        ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                        ("parent", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="children", to="documents.category", verbose_name="parent")),
                    ],
                    options={
                        "verbose_name": "category",
                        "verbose_name_plural": "categories",
                        "ordering": ["position", "id"],
                        "db_table": "discovery_category",
                        "constraints": [models.UniqueConstraint(fields=("parent", "name"), name="category_unique_name")],
                    },
                ),
                migrations.AlterField(
                    model_name="document",
                    name="category",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="documents", to="documents.category", verbose_name="category"),
                ),
            ],
            database_operations=[],
        ),
    ]

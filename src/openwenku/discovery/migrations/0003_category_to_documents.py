"""Category now belongs to documents (see documents 0004): drop it from this
app's state only; the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0002_default_categories"),
        ("documents", "0004_category_from_discovery"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Category")],
            database_operations=[],
        ),
    ]

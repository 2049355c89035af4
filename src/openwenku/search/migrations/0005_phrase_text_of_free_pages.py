"""Quoted phrases are checked against the free preview pages only (issue 11,
item 8): entries indexed before kept the text of every page. Recomputed here for
every document with paid pages (priced, or with a preview of its own)."""

from django.conf import settings
from django.db import migrations
from django.db.models import Q

from openwenku.search.analysis import compact


def free_pages_only(apps, schema_editor):
    alias = schema_editor.connection.alias
    SearchEntry = apps.get_model("search", "SearchEntry")
    Document = apps.get_model("documents", "Document")
    DocumentPage = apps.get_model("documents", "DocumentPage")
    MarketSettings = apps.get_model("market", "MarketSettings")
    row = MarketSettings.objects.using(alias).filter(pk=1).first()
    default = row.default_preview_pages if row else settings.OPENWENKU["DEFAULT_PREVIEW_PAGES"]
    documents = Document.objects.using(alias).filter(
        Q(price__gt=0) | Q(preview_pages__isnull=False),
        pk__in=SearchEntry.objects.using(alias).values("document_id"),
    )
    for document in documents.only("pk", "price", "preview_pages", "page_count").iterator():
        # access.policy.preview_limit, as it stands at this migration.
        if document.preview_pages is not None:
            limit = min(document.preview_pages, document.page_count)
        elif document.price == 0:
            limit = document.page_count
        else:
            limit = min(default, document.page_count)
        texts = (
            DocumentPage.objects.using(alias)
            .filter(document_id=document.pk, number__lte=limit)
            .order_by("number")
            .values_list("text", flat=True)
        )
        text = compact("\n".join(t for t in texts if t))
        SearchEntry.objects.using(alias).filter(document_id=document.pk).update(text=text)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0007_held_and_rejected"),
        ("market", "0004_sale_hold_and_clawback"),
        ("search", "0004_operators_view_query_stats"),
    ]

    operations = [migrations.RunPython(free_pages_only, migrations.RunPython.noop)]

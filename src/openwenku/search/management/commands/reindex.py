"""openwenku reindex: rebuild the search index while search stays up."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from openwenku.documents.models import Document
from openwenku.search import services
from openwenku.search.backends import get_backend


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every ready document (search stays up)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", action="store_true", help="only index documents not in the index yet"
        )
        parser.add_argument("--document", type=int, action="append", help="only this document id")
        parser.add_argument(
            "--repair",
            action="store_true",
            help="SQLite: re-read the whole FTS5 table from its rows first (repairs damage)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        if options["document"]:
            for document_id in options["document"]:
                ok = services.search_index_document(document_id=document_id)
                self.stdout.write(f"{document_id}: {'indexed' if ok else 'removed (not ready)'}")
            return
        backend = get_backend()
        if options["repair"] and hasattr(backend, "rebuild"):
            backend.rebuild()
        todo = Document.objects.filter(status=Document.Status.READY)
        if options["missing"]:
            todo = todo.filter(search_entry__isnull=True)
        with tqdm(
            total=todo.count(), unit="doc", disable=options["no_progress"], file=self.stderr
        ) as bar:
            stats = services.search_reindex(only_missing=options["missing"], progress=bar.update)
        self.stdout.write(
            self.style.SUCCESS(
                f"indexed {stats['indexed']}, removed {stats['removed']}, failed {stats['failed']}"
            )
        )

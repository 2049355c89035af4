"""``openwenku import``: bulk import of files and folders by an operator.

Prints one JSON object per file on standard output (``path``, ``id``,
``status``, and once known ``pages``, ``error`` and the failure's ``code``; a held
document: ``"status": "held"`` with its ``reasons``), so
scripts can follow it; a progress bar goes to standard error when it is a
terminal. With ``--wait`` each file is converted (and OCR'd) in this process
before the next, which is why the command belongs to the conversion app.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from openwenku.conversion import ocr_pipeline, pipeline
from openwenku.core.errors import ApplicationError
from openwenku.documents import services
from openwenku.documents.models import Category, Document
from openwenku.documents.status import status_reasons


def iter_files(paths: list[str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(p.startswith(".") for p in child.parts[-1:]):
                    yield child
        else:
            yield path


def find_category(spec: str) -> Any:
    """``办公文档/工作总结``, ``办公文档 > 工作总结``, a slug or an id."""
    node = Category.objects.filter(slug=spec).first()
    if node is None and spec.isdigit():
        node = Category.objects.filter(pk=int(spec)).first()
    if node is None:
        parent = None
        for name in [p.strip() for p in spec.replace(">", "/").split("/") if p.strip()]:
            node = Category.objects.filter(parent=parent, name=name).first()
            if node is None:
                break
            parent = node
    if node is None:
        raise CommandError(_("No such category: %(spec)s") % {"spec": spec})
    return node


class Command(BaseCommand):
    help = "Import files and folders (recursively) as documents."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--owner", help="uploader's username (default: the first operator)")
        parser.add_argument("--category", help="category path, slug or id")
        parser.add_argument("--price", type=int, default=0, help="price in coins (default 0)")
        parser.add_argument(
            "--wait",
            action="store_true",
            help="convert each file now, in this process, before returning",
        )

    def handle(self, *args, paths, owner, category, price, wait, **options):
        owner_user = self._owner(owner)
        node = find_category(category) if category else None
        if price < 0:
            raise CommandError(_("--price must be 0 or more"))
        files = list(iter_files(paths))
        bar = self._progress(len(files))
        failures = 0
        for path in files:
            row = self._import_one(path, owner_user, node, price, wait)
            failures += row["status"] in ("failed", "refused")
            self.stdout.write(json.dumps(row, ensure_ascii=False))
            self.stdout.flush()
            if bar:
                bar.update(1)
        if bar:
            bar.close()
        if failures:
            self.stderr.write(
                ngettext(
                    "%(failed)d of %(total)d file failed or was refused",
                    "%(failed)d of %(total)d files failed or were refused",
                    len(files),
                )
                % {"failed": failures, "total": len(files)}
            )

    def _import_one(
        self, path: Path, owner: Any, node: Any, price: int, wait: bool
    ) -> dict[str, Any]:
        row: dict[str, Any] = {"path": str(path), "id": None}
        if not path.is_file():
            message = _("Not a file, or it does not exist: %(path)s") % {"path": path}
            return {**row, "status": "refused", "error": message}
        try:
            document = services.document_create(
                owner=owner,
                incoming=services.incoming_from_path(path),
                category=node,
                price=price,
                enforce_quota=False,  # an operator's bulk import, not a member's uploads
            )
        except ApplicationError as exc:  # a refused file, a price outside the rules
            return {**row, "status": "refused", "code": exc.code, "error": exc.message}
        except OSError as exc:
            message = _("The file could not be read: %(error)s") % {"error": exc.strerror}
            return {**row, "status": "refused", "error": message}
        row["id"] = document.pk
        if wait:
            if pipeline.convert(document.pk) == Document.Status.READY:
                ocr_pipeline.ocr_document(document.pk)  # no worker may be running
            document = Document.objects.get(pk=document.pk)
        row["status"] = document.status
        if document.page_count:
            row["pages"] = document.page_count
        if document.status == Document.Status.FAILED:
            row["error"] = document.failure_message
            row["code"] = document.failure_code
        elif document.status in (Document.Status.HELD, Document.Status.REJECTED):
            # Held for an operator's review (or refused by a publish gate): say why.
            row["code"] = document.failure_code
            row["reasons"] = status_reasons(document)
        return row

    def _owner(self, username: str | None):
        User = get_user_model()
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(_("No such user: %(username)s") % {"username": username})
            return user
        user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError(_("No operator account yet: pass --owner or run createsuperuser"))
        return user

    def _progress(self, total: int):
        if not sys.stderr.isatty():
            return None
        from tqdm import tqdm

        return tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True)

"""Creating and changing documents."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F

from openwenku.conversion.sniff import UnsupportedFile, sniff_file
from openwenku.core.text import human_size
from openwenku.discovery.models import Category

from .models import Document, Tag

MAX_TAGS = 10
_TAG_SPLIT = re.compile(r"[,，、;；\s]+")


class UploadRefused(Exception):
    """An upload that is refused outright, with a reason for the uploader."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IncomingFile:
    """A file on local disk about to become a document's original."""

    path: Path
    name: str
    size: int
    sha256: str


def incoming_from_upload(upload: UploadedFile) -> IncomingFile:
    path = Path(upload.temporary_file_path())
    sha = getattr(upload, "sha256", None) or _sha256_of(path)
    return IncomingFile(path=path, name=upload.name or "untitled", size=upload.size, sha256=sha)


def incoming_from_path(path: Path) -> IncomingFile:
    size = path.stat().st_size
    _check_size(size, path.name)
    return IncomingFile(path=path, name=path.name, size=size, sha256=_sha256_of(path))


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check_size(size: int, name: str) -> None:
    limit = settings.OPENWENKU["MAX_UPLOAD_BYTES"]
    if size == 0:
        raise UploadRefused(f"“{name}”是空文件（0 字节），无法上传")
    if size > limit:
        raise UploadRefused(f"“{name}”超过了 {human_size(limit)} 的大小上限")


def parse_tags(raw: str) -> list[str]:
    names: list[str] = []
    for part in _TAG_SPLIT.split(raw or ""):
        part = part.strip().lstrip("#")[:30]
        if part and part not in names:
            names.append(part)
    return names[:MAX_TAGS]


def clean_title(title: str, fallback: str) -> str:
    title = re.sub(r"[\x00-\x1f\x7f]", "", (title or "").strip())
    return (title or fallback)[:255]


def document_create(
    *,
    owner,
    incoming: IncomingFile,
    title: str = "",
    description: str = "",
    category: Category | None = None,
    tags: list[str] | None = None,
    price: int = 0,
) -> Document:
    """Store an original privately and queue its conversion after commit.

    The type comes from the content; a name that says otherwise is noted, and
    a file that is no document we can convert is refused with the reason.
    """
    from openwenku.conversion.tasks import convert_document

    _check_size(incoming.size, incoming.name)
    if price < 0:
        raise UploadRefused("价格不能为负数")
    claimed_ext = Path(incoming.name).suffix.lower().lstrip(".")
    try:
        sniffed = sniff_file(incoming.path, claimed_ext)
    except UnsupportedFile as exc:
        raise UploadRefused(f"“{incoming.name}”：{exc.reason}") from None

    original_name = Path(incoming.name).name[:255] or "untitled"
    with transaction.atomic():
        document = Document(
            owner=owner,
            title=clean_title(title, original_name),
            description=(description or "").strip()[:5000],
            category=category,
            price=price,
            original_name=original_name,
            size=incoming.size,
            sha256=incoming.sha256,
            format=sniffed.format,
        )
        with open(incoming.path, "rb") as fh:
            document.original.save("original", File(fh), save=False)
        document.save()
        tag_names = tags or []
        if tag_names:
            document.tags.set([Tag.objects.get_or_create(name=n)[0] for n in tag_names])
        transaction.on_commit(lambda: convert_document.enqueue(document.pk))
    return document


def document_record_view(*, document: Document) -> None:
    Document.objects.filter(pk=document.pk).update(view_count=F("view_count") + 1)


def document_record_download(*, document: Document) -> None:
    Document.objects.filter(pk=document.pk).update(download_count=F("download_count") + 1)

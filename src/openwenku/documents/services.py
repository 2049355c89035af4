"""Creating and changing documents."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import TemporaryUploadedFile, UploadedFile
from django.db import transaction
from django.db.models import Count, F, ProtectedError, Sum
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openwenku.accounts.models import Penalty
from openwenku.accounts.selectors import penalty_in_force
from openwenku.accounts.throttling import allow
from openwenku.core.errors import ApplicationError
from openwenku.core.text import human_size

from . import formats, signals
from .models import UPLOAD_WITHOUT_QUOTA, Category, Document, Tag
from .sniff import UnsupportedFile, sniff_file

if TYPE_CHECKING:
    from openwenku.accounts.types import User

MAX_TAGS = 10
_TAG_SPLIT = re.compile(r"[,，、;；\s]+")


class UploadRefused(ApplicationError):
    """An upload that is refused outright, with a reason for the uploader."""

    code = "upload_refused"
    default_message = _("This upload was refused.")


@dataclass(frozen=True)
class IncomingFile:
    """A file on local disk about to become a document's original."""

    path: Path
    name: str
    size: int
    sha256: str


def incoming_from_upload(upload: UploadedFile) -> IncomingFile:
    """An upload streamed to disk by ``uploads.LimitedHashingUploadHandler`` (the
    site's only upload handler: every upload is a temporary file), which also
    hashed it on the way (``sha256``)."""
    if not isinstance(upload, TemporaryUploadedFile):
        raise TypeError("uploads are streamed to temporary files (FILE_UPLOAD_HANDLERS)")
    path = Path(upload.temporary_file_path())
    sha = getattr(upload, "sha256", None) or _sha256_of(path)
    size = upload.size if upload.size is not None else path.stat().st_size
    return IncomingFile(path=path, name=upload.name or "untitled", size=size, sha256=sha)


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
        raise UploadRefused(_("“%(name)s” is empty (0 bytes) and cannot be uploaded."), name=name)
    if size > limit:
        raise UploadRefused(
            _("“%(name)s” is larger than the limit of %(limit)s."),
            name=name,
            limit=human_size(limit),
        )


def parse_tags(raw: str) -> list[str]:
    names: list[str] = []
    for part in _TAG_SPLIT.split(raw or ""):
        part = part.strip().lstrip("#")[:30]
        if part and part not in names:
            names.append(part)
    return names[:MAX_TAGS]


def title_from_name(name: str) -> str:
    """A title from a file name: the name without the extension of a document
    format we convert (``期末复习.docx`` → ``期末复习``; the format shows as a
    badge). Other dots stay (``v1.2 说明``); a name that is only an extension stays."""
    stem, dot, extension = name.strip().rpartition(".")
    if dot and stem.strip() and formats.for_extension(extension) is not None:
        return stem.strip()
    return name.strip()


def clean_title(title: str, fallback: str) -> str:
    """The title as given (control characters removed), else one made from the
    file name ``fallback``."""
    title = re.sub(r"[\x00-\x1f\x7f]", "", (title or "").strip())
    if not title:
        title = re.sub(r"[\x00-\x1f\x7f]", "", title_from_name(fallback))
    return title[:255]


def taken_down_work_check(sha256: str, name: str) -> None:
    """Refuse, whoever uploads it, a file whose exact bytes were taken down
    (a copyright notice or an operator's takedown)."""
    if Document.objects.filter(sha256=sha256, status=Document.Status.TAKEN_DOWN).exists():
        raise UploadRefused(
            _(
                "“%(name)s” cannot be uploaded: this file was removed from the site after "
                "a copyright or legal notice."
            ),
            code="upload_taken_down",
            name=name,
        )


class UploadQuotaExceeded(ApplicationError):
    """A member's upload quota is used up; the message says which and when it resets."""

    code = "upload_quota"
    status = 429


def _today_start() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))


def upload_quota_check(*, owner: User, files: int = 1, size: int = 0) -> None:
    """Refuse ``files`` more uploads of ``size`` bytes in all if they would pass
    the member's daily quota (settings ``UPLOAD_FILES_PER_DAY``, ``UPLOAD_MB_PER_DAY``).
    Holders of ``documents.upload_without_quota`` are exempt. Checked before
    anything is stored."""
    if owner.has_perm(UPLOAD_WITHOUT_QUOTA):
        return
    conf = settings.OPENWENKU
    resets = timezone.localtime(_today_start() + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    today = Document.objects.filter(owner=owner, created_at__gte=_today_start()).aggregate(
        n=Count("pk"), size=Coalesce(Sum("size"), 0)
    )
    max_files = conf["UPLOAD_FILES_PER_DAY"]
    if max_files and today["n"] + files > max_files:
        raise UploadQuotaExceeded(
            _("You may upload %(n)d files a day; the quota resets at %(resets)s."),
            code="upload_quota_files",
            n=max_files,
            resets=resets,
        )
    max_mb = conf["UPLOAD_MB_PER_DAY"]
    if max_mb and today["size"] + size > max_mb * 1024 * 1024:
        raise UploadQuotaExceeded(
            _("You may upload %(mb)d MB a day; the quota resets at %(resets)s."),
            code="upload_quota_bytes",
            mb=max_mb,
            resets=resets,
        )


class UploadBanned(ApplicationError):
    """The member is banned from uploading (a penalty in force); says why and until when."""

    code = "upload_banned"
    status = 403

    def extra(self) -> dict[str, Any]:
        return {"reason": self.params.get("reason"), "ends_at": self.params.get("ends_at")}


def upload_ban_check(*, owner: User) -> None:
    """Refuse any upload by a member under an upload ban (``accounts.Penalty``), with
    its reason and end; checked by every way in (web, API, the import command)."""
    ban = penalty_in_force(owner, Penalty.Kind.UPLOAD_BAN)
    if ban is None:
        return
    if ban.ends_at is None:
        raise UploadBanned(
            _("You may not upload documents: %(reason)s (permanent)."),
            reason=ban.reason,
            ends_at=None,
        )
    raise UploadBanned(
        _("You may not upload documents until %(end)s: %(reason)s."),
        reason=ban.reason,
        end=timezone.localtime(ban.ends_at).strftime("%Y-%m-%d %H:%M"),
        ends_at=ban.ends_at.isoformat(),
    )


def upload_request_check(*, files: int) -> None:
    """Refuse a request carrying more files than one request may (a setting)."""
    limit = settings.OPENWENKU["UPLOAD_FILES_PER_REQUEST"]
    if limit and files > limit:
        raise UploadQuotaExceeded(
            _("At most %(n)d files may be uploaded at once."),
            code="upload_quota_request",
            status=400,
            n=limit,
        )


def document_create(
    *,
    owner: User,
    incoming: IncomingFile,
    title: str = "",
    description: str = "",
    category: Category | None = None,
    tags: list[str] | None = None,
    price: int = 0,
    preview_pages: int | None = None,
    enforce_quota: bool = True,
) -> Document:
    """Store an original privately and announce it after commit (conversion queues it).

    A member's daily quota is checked first (``enforce_quota=False`` for the
    operators' import command).

    The type comes from the content; a name that says otherwise is noted, and
    a file that is no document we can convert is refused with the reason.
    """
    _check_size(incoming.size, incoming.name)
    upload_ban_check(owner=owner)
    _check_pricing(price, preview_pages)
    if enforce_quota:
        upload_quota_check(owner=owner, size=incoming.size)
    claimed_ext = Path(incoming.name).suffix.lower().lstrip(".")
    try:
        sniffed = sniff_file(incoming.path, claimed_ext)
    except UnsupportedFile as exc:
        raise UploadRefused(
            _("“%(name)s”: %(reason)s"), name=incoming.name, reason=exc.message
        ) from None

    taken_down_work_check(incoming.sha256, incoming.name)
    original_name = Path(incoming.name).name[:255] or "untitled"
    with transaction.atomic():
        if enforce_quota:
            # Again under a lock on the member's row: parallel uploads by one member
            # queue here, so together they cannot pass the quota the first check saw.
            get_user_model().objects.select_for_update().filter(pk=owner.pk).exists()
            upload_quota_check(owner=owner, size=incoming.size)
        document = Document(
            owner=owner,
            title=clean_title(title, original_name),
            description=(description or "").strip()[:5000],
            category=category,
            price=price,
            preview_pages=preview_pages,
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
        signals.send_after_commit(signals.document_uploaded, document.pk)
    return document


# --- Pricing: the rules of a document's price and free pages live here alone -----

MAX_PRICE = 100_000


class PricingRefused(ApplicationError):
    """A price or a number of free pages outside the rules."""

    code = "pricing_invalid"
    default_message = _("This price is not allowed.")


def _check_pricing(price: int, preview_pages: int | None) -> None:
    """The rules of a price and of the free preview pages, for every path that sets them."""
    if price < 0:
        raise PricingRefused(_("The price cannot be negative."), code="price_negative")
    if price > MAX_PRICE:
        raise PricingRefused(
            _("The price cannot be more than %(max)d coins."), code="price_too_high", max=MAX_PRICE
        )
    if preview_pages is not None and preview_pages < 1:
        raise PricingRefused(
            _("Give at least one free preview page."), code="preview_pages_invalid"
        )


def document_update_pricing(
    *, document: Document, price: int, preview_pages: int | None
) -> Document:
    """Set the price (0 = free) and the free preview pages (None = site default).

    Who may do it is the caller's business (market.services.pricing_set checks
    the uploader, operators and an operator's lock). Raises PricingRefused.
    """
    _check_pricing(price, preview_pages)
    with transaction.atomic():
        changed = Document.objects.filter(pk=document.pk).update(
            price=price, preview_pages=preview_pages, updated_at=Now()
        )
        if changed:
            signals.send_after_commit(signals.document_changed, document.pk)
    document.price = price
    document.preview_pages = preview_pages
    return document


# A visitor's views count once per document per window, and at most this many
# documents an hour: a loop cannot lift a document up the rankings.
VIEW_WINDOW_SECONDS = 6 * 3600
VIEWS_PER_VISITOR_PER_HOUR = 120


def document_record_view(*, document: Document, visitor: str) -> bool:
    """Count one view of ``document`` by ``visitor`` (an opaque id: a member's
    number, or a hash of an anonymous visitor's address); False if it did not count.

    Kept in the cache, so counting writes no session and no row for the visitor.
    """
    digest = hashlib.sha256(visitor.encode()).hexdigest()[:32]
    if not cache.add(f"openwenku:viewed:{document.pk}:{digest}", 1, VIEW_WINDOW_SECONDS):
        return False
    if not allow("views", digest, limit=VIEWS_PER_VISITOR_PER_HOUR, window=3600):
        return False
    Document.objects.filter(pk=document.pk).update(view_count=F("view_count") + 1)
    return True


def document_update(
    *,
    document: Document,
    title: str,
    description: str = "",
    category: Category | None = None,
    tags: list[str] | None = None,
) -> Document:
    """Change what readers see of a document (its file stays as uploaded)."""
    with transaction.atomic():
        document.title = clean_title(title, document.original_name)
        document.description = (description or "").strip()[:5000]
        document.category = category
        document.save(update_fields=["title", "description", "category", "updated_at"])
        document.tags.set([Tag.objects.get_or_create(name=n)[0] for n in tags or []])
        signals.send_after_commit(signals.document_changed, document.pk)
    return document


def document_unpublish(*, document: Document) -> None:
    """Take a ready document off the site at once: pages, search, listings."""
    with transaction.atomic():
        updated = Document.objects.filter(pk=document.pk, status=Document.Status.READY).update(
            status=Document.Status.UNPUBLISHED
        )
        if updated:
            signals.send_after_commit(signals.document_removed, document.pk)


def document_approve_held(*, document: Document) -> bool:
    """Publish a document a publish gate held, once an operator approved it.

    The same way out as a conversion's publish (``document_published`` after
    commit: search indexes it, the market rewards the uploader); False if it was
    no longer held."""
    with transaction.atomic():
        updated = Document.objects.filter(pk=document.pk, status=Document.Status.HELD).update(
            status=Document.Status.READY, failure_code="", failure_reason=""
        )
        if updated:
            signals.send_after_commit(signals.document_published, document.pk)
    if updated:
        document.status = Document.Status.READY
        document.failure_code = document.failure_reason = ""
    return bool(updated)


def document_reject_held(*, document: Document, reason: str) -> bool:
    """Refuse a held document for good, with the operator's reason shown to its uploader."""
    updated = Document.objects.filter(pk=document.pk, status=Document.Status.HELD).update(
        status=Document.Status.REJECTED,
        failure_code="review_rejected",
        failure_reason=reason[:1000],
    )
    if updated:
        document.status = Document.Status.REJECTED
        document.failure_code, document.failure_reason = "review_rejected", reason[:1000]
    return bool(updated)


def document_hold(*, document: Document, code: str, reason: str) -> bool:
    """Take a published document off the site for review (a content check found
    something after an edit or OCR); False if it was not published.

    ``code`` is shown to the uploader translated (documents/failures.py),
    ``reason`` is the English text for operators, as conversion stores them.
    """
    with transaction.atomic():
        updated = Document.objects.filter(pk=document.pk, status=Document.Status.READY).update(
            status=Document.Status.HELD, failure_code=code[:32], failure_reason=reason[:1000]
        )
        if updated:
            signals.send_after_commit(signals.document_removed, document.pk)
            signals.send_after_commit(signals.document_held, document.pk)
    if updated:
        document.status = Document.Status.HELD
        document.failure_code = code[:32]
        document.failure_reason = reason[:1000]
    return bool(updated)


def document_republish(*, document: Document) -> None:
    with transaction.atomic():
        updated = Document.objects.filter(
            pk=document.pk, status=Document.Status.UNPUBLISHED
        ).update(status=Document.Status.READY)
        if updated:
            signals.send_after_commit(signals.document_published, document.pk)


def document_delete(*, document: Document) -> bool:
    """Delete a document and its files; return False if records must keep it.

    A document that others have paid for cannot vanish from their history: it is
    unpublished instead (the database refuses the delete through PROTECT).
    """
    names = [document.original.name, document.pdf.name, document.cover.name]
    names += list(document.pages.values_list("image", flat=True))
    pk = document.pk
    try:
        with transaction.atomic():
            document.delete()
            signals.send_after_commit(signals.document_removed, pk)
    except ProtectedError:
        document_unpublish(document=document)
        return False
    for name in filter(None, names):
        transaction.on_commit(partial(default_storage.delete, name))
    return True


# --- Takedown for cause, restore, transfer (moderation calls these) -----------------


def document_take_down(*, document: Document, cause: str, by: User | None) -> bool:
    """Take a document down for cause (copyright, illegal, privacy): every surface
    answers 410 from the next request; search and listings drop it, the market
    freezes its sale earnings (``document_removed_for_cause``). Its status is kept
    for ``document_restore``. False if it was taken down already."""
    if cause not in Document.TakedownCause.values:
        raise ValueError(f"unknown takedown cause {cause!r}")
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status == Document.Status.TAKEN_DOWN:
            return False
        previous = locked.status
        Document.objects.filter(pk=document.pk).update(
            status=Document.Status.TAKEN_DOWN,
            status_before_takedown=previous,
            takedown_cause=cause,
            # A conversion under way loses its lease: its result is discarded, so it
            # cannot publish the document over the takedown.
            lease_owner="",
            lease_expires_at=None,
            updated_at=Now(),
        )
        signals.send_after_commit(signals.document_removed, document.pk)
        signals.send_after_commit(
            signals.document_removed_for_cause, document.pk, cause=cause, by=by
        )
    document.status = Document.Status.TAKEN_DOWN
    document.status_before_takedown = previous
    document.takedown_cause = cause
    return True


def document_restore(*, document: Document, by: User | None) -> bool:
    """Put a taken-down document back in the status it had (search, listings and
    earnings follow through ``document_published`` and ``document_restored``); one
    taken down while converting is converted again. False if it was not taken down."""
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status != Document.Status.TAKEN_DOWN:
            return False
        status = locked.status_before_takedown or Document.Status.READY
        if status in (Document.Status.UPLOADED, Document.Status.CONVERTING):
            # Its conversion was cut off by the takedown: it starts again.
            status = Document.Status.UPLOADED
        Document.objects.filter(pk=document.pk).update(
            status=status, status_before_takedown="", takedown_cause="", updated_at=Now()
        )
        signals.send_after_commit(signals.document_restored, document.pk, status=status, by=by)
        if status == Document.Status.READY:
            signals.send_after_commit(signals.document_published, document.pk)
        elif status == Document.Status.UPLOADED:
            signals.send_after_commit(signals.document_uploaded, document.pk)
    document.status = status
    document.status_before_takedown = ""
    document.takedown_cause = ""
    return True


def document_transfer(*, document: Document, to: User, by: User | None) -> Document:
    """Make ``to`` the document's owner (an upheld claim): its future sales earn
    for them; past sales stay with the previous owner (each sale names its seller)."""
    with transaction.atomic():
        Document.objects.filter(pk=document.pk).update(owner=to, updated_at=Now())
        signals.send_after_commit(signals.document_changed, document.pk)
    document.owner = to
    return document

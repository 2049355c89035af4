import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from openwenku.core.text import human_size

from . import failures, formats

# Operators' powers over documents, granted as Django permissions (through a group
# such as "Operators", or directly): staff status only opens the admin site.
# ``openwenku.access.policy`` builds its rules on them.
READ_ALL_CONTENT = "documents.read_all_content"
MANAGE_ANY_DOCUMENT = "documents.manage_any_document"
UPLOAD_WITHOUT_QUOTA = "documents.upload_without_quota"


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A node of the category tree (办公文档 > 工作总结).

    It lives with the documents it files (it moved here from discovery, which
    lists documents by category and so sits above documents); its table keeps
    its first name.
    """

    name = models.CharField(_("name"), max_length=50)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        related_name="children",
        on_delete=models.PROTECT,
        verbose_name=_("parent"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        db_table = "discovery_category"
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_unique_name"),
        ]

    def __str__(self) -> str:
        return " > ".join(c.name for c in self.ancestry())

    def get_absolute_url(self) -> str:
        return reverse("discovery:category", args=[self.slug])

    def ancestry(self) -> list["Category"]:
        """This category and its parents, root first."""
        chain: list[Category] = []
        node: Category | None = self
        seen: set[int] = set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


def _private_path(prefix: str, instance_uuid: uuid.UUID, name: str) -> str:
    # Paths never carry the document number, title or hash: nothing to guess.
    return f"{prefix}/{instance_uuid.hex[:2]}/{instance_uuid.hex}/{name}"


def original_path(instance: "Document", filename: str) -> str:
    return _private_path("originals", instance.storage_key, "original")


class Document(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting for conversion")
        CONVERTING = "converting", _("Converting")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        # Taken off the site by its uploader or an operator; kept for buyers and records.
        UNPUBLISHED = "unpublished", _("Unpublished")
        # Converted, but a publish gate (documents/publishing.py) held it for review
        # or refused it; failure_code/failure_reason say why. Only READY is public.
        HELD = "held", _("Under review")
        REJECTED = "rejected", _("Rejected")
        # Removed for cause after a copyright notice or an operator's takedown
        # (documents.services.document_take_down): every surface answers 410.
        TAKEN_DOWN = "taken_down", _("Taken down (copyright)")

    class TakedownCause(models.TextChoices):
        COPYRIGHT = "copyright", _("Copyright infringement")
        ILLEGAL = "illegal", _("Illegal or harmful content")
        PRIVACY = "privacy", _("Privacy violation")

    # One member per entry of the format registry (documents/formats.py), e.g. DOCX = "docx".
    Format = models.TextChoices(  # type: ignore[call-overload]  # built from the registry
        "Format", [(code.upper(), (code, label)) for code, label in formats.choices()]
    )

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("uploader"),
    )
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        verbose_name=_("category"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="documents", verbose_name=_("tags"))
    price = models.PositiveIntegerField(_("price (coins)"), default=0)
    # Pages anyone may preview; None means the site default for priced
    # documents (all pages of a free one). See access.policy.preview_limit().
    preview_pages = models.PositiveIntegerField(_("free preview pages"), null=True, blank=True)

    # The original, stored privately.
    storage_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    original = models.FileField(_("original file"), upload_to=original_path, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)

    # Conversion state. The row is the truth; a lease says which worker holds it.
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED, db_index=True
    )
    failure_reason = models.TextField(_("failure reason"), blank=True)
    # Why it failed, as a stable code (documents/failures.py): shown to the uploader
    # in their language. failure_reason keeps the English text for operators.
    failure_code = models.CharField(_("failure code"), max_length=32, blank=True)
    # While taken down: why, and the status it returns to when restored.
    takedown_cause = models.CharField(
        _("takedown cause"), max_length=12, choices=TakedownCause.choices, blank=True
    )
    status_before_takedown = models.CharField(
        _("status before takedown"), max_length=12, choices=Status.choices, blank=True
    )
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    pages_ready = models.PositiveIntegerField(_("pages ready"), default=0)
    text_chars = models.PositiveIntegerField(_("text characters"), default=0)
    pdf = models.FileField(_("PDF"), blank=True, max_length=255)
    cover = models.FileField(_("cover thumbnail"), blank=True, max_length=255)
    attempts = models.PositiveSmallIntegerField(_("conversion attempts"), default=0)
    lease_owner = models.CharField(_("lease owner"), max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    converted_at = models.DateTimeField(_("converted at"), null=True, blank=True)
    conversion_seconds = models.FloatField(_("conversion seconds"), null=True, blank=True)

    view_count = models.PositiveIntegerField(_("views"), default=0)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("read_all_content", _("Read every page and download every original free")),
            (
                "manage_any_document",
                _("Edit, price, lock the price of, unpublish and delete anybody's document"),
            ),
            ("upload_without_quota", _("Upload past the daily upload quota")),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="doc_status_recent"),
            models.Index(fields=["category", "status", "-created_at"], name="doc_category_recent"),
            models.Index(fields=["owner", "-created_at"], name="doc_owner_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pages_ready__lte=models.F("page_count"))
                | models.Q(page_count=0),
                name="document_pages_ready_le_count",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", args=[self.pk])

    def is_managed_by(self, user: Any) -> bool:
        """Its uploader and whoever holds ``documents.manage_any_document`` manage a
        document, and never pay for it.

        The one definition of "manager"; ``openwenku.access`` builds its rules on
        it and the market refuses to sell a document to its managers.
        """
        return bool(
            user is not None
            and user.is_authenticated
            and (user.pk == self.owner_id or user.has_perm(MANAGE_ANY_DOCUMENT))
        )

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def size_display(self) -> str:
        return human_size(self.size)

    @property
    def failure_message(self) -> str:
        """Why the conversion failed, in the reader's language."""
        return failures.failure_message(self)

    @property
    def format_label(self) -> str:
        return self.format.upper()


def page_image_path(instance: "DocumentPage", filename: str) -> str:
    return _private_path("pages", instance.document.storage_key, filename)


class DocumentPage(models.Model):
    """One rendered page: its image and its text."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(_("page number"))
    image = models.FileField(_("image"), upload_to=page_image_path, max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    image_bytes = models.PositiveIntegerField(default=0)
    text = models.TextField(_("text"), blank=True)

    class TextSource(models.TextChoices):
        PDF = "pdf", _("Text layer")
        OCR = "ocr", _("OCR")
        NONE = "none", _("No text")

    text_source = models.CharField(
        _("text source"), max_length=4, choices=TextSource.choices, default=TextSource.PDF
    )
    # Set when the page has no usable text layer; OCR clears it after publishing.
    needs_ocr = models.BooleanField(_("needs OCR"), default=False, db_index=True)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="page_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="page_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}#{self.number}"

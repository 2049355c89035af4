"""The near-duplicate index, in the database: shared by every worker, kept across restarts.

``Fingerprint``: one row per document with what the exact comparison needs
(bottom-k shingle sample, distinct shingle count, page-image hashes) and the
document's band keys. ``BandKey``: one row per (band key, document), looked up
by key through the composite unique index: the LSH index.

``BandKey.document_id`` is a plain integer, not a foreign key: a foreign key
would need a second index (on the document alone) for cascading deletes; a
deleted document's rows are removed by its stored keys instead
(``receivers``, on ``pre_delete``), through the composite index.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from openwenku.documents.models import Document

# Bumped when the signature changes: ``openwenku similarity rebuild`` redoes older ones.
VERSION = 1


class Fingerprint(models.Model):
    class Method(models.TextChoices):
        TEXT = "text", _("Text")
        IMAGE = "image", _("Page images")
        NONE = "none", _("Nothing to compare")

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="fingerprint"
    )
    method = models.CharField(_("method"), max_length=5, choices=Method.choices)
    version = models.PositiveSmallIntegerField(default=VERSION)
    # Distinct shingles (text) or hashed pages (image).
    size = models.PositiveIntegerField(default=0)
    # Text: the smallest distinct shingle hashes, sorted, little-endian uint32.
    # Image: the pages' dhashes, little-endian uint64.
    sample = models.BinaryField(default=b"")
    # This document's band keys, little-endian int64 (to remove its BandKey rows).
    keys = models.BinaryField(default=b"")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("fingerprint")
        verbose_name_plural = _("fingerprints")

    def __str__(self) -> str:
        return f"{self.document_id} ({self.method})"


class BandKey(models.Model):
    # The primary key is the lookup index: no id column, no second index.
    pk = models.CompositePrimaryKey("key", "document_id")
    key = models.BigIntegerField()
    document_id = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.key}→{self.document_id}"

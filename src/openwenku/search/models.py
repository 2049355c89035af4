"""The search index rows and the (anonymous) query log."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import TsVectorField


class SearchEntry(models.Model):
    """One document as the index sees it: segmented text per field.

    The columns hold space-separated tokens from ``analysis``; SQLite's FTS5
    table (``search_fts``) indexes them through triggers, PostgreSQL's ``vector``
    column (GIN-indexed) is computed from them: every page, so words of paid
    pages find a document. ``text`` is the normalised text of the free preview
    pages only, used to check quoted phrases (a phrase test on paid pages would
    reveal what they say); none of it is ever sent to a reader.
    """

    document = models.OneToOneField(
        "documents.Document",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_entry",
        verbose_name=_("document"),
    )
    title = models.TextField(blank=True)
    keywords = models.TextField(blank=True)
    body = models.TextField(blank=True)
    text = models.TextField(blank=True)
    # Characteristic words of the public part of the document: related searches
    # and "more like this" queries are built from them.
    top_terms = models.JSONField(_("top terms"), default=list, blank=True)
    vector = TsVectorField(null=True, blank=True, editable=False)
    indexed_at = models.DateTimeField(_("indexed at"), auto_now=True)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")

    def __str__(self) -> str:
        return f"index:{self.document_id}"


class QueryLog(models.Model):
    """One search as typed, without who typed it (no user, address or session)."""

    query = models.CharField(_("query"), max_length=100)
    results = models.PositiveIntegerField(_("results"))
    created_at = models.DateTimeField(_("searched at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("logged search")
        verbose_name_plural = _("logged searches")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["query", "created_at"], name="search_log_query_time")]

    def __str__(self) -> str:
        return self.query


class QueryStat(models.Model):
    """All-time counts per query: suggestions and related searches come from here."""

    query = models.CharField(_("query"), max_length=100, unique=True)
    count = models.PositiveIntegerField(_("searches"), default=0)
    last_results = models.PositiveIntegerField(_("results last time"), default=0)
    last_searched_at = models.DateTimeField(_("last searched"), auto_now=True)

    class Meta:
        verbose_name = _("query statistic")
        verbose_name_plural = _("query statistics")
        ordering = ["-count"]
        indexes = [models.Index(fields=["-count"], name="search_stat_popular")]

    def __str__(self) -> str:
        return self.query

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _

_CACHE_KEY = "openwenku:site-configuration"


class SiteConfiguration(models.Model):
    """The operator's site-wide texts, editable in the admin (one row)."""

    site_name = models.CharField(_("site name"), max_length=100, blank=True)
    statement = models.TextField(
        _("operator statement"),
        blank=True,
        help_text=_(
            "Shown in every page footer: the platform only stores documents; "
            "earnings go to uploaders."
        ),
    )
    complaint = models.TextField(
        _("complaint instructions"),
        blank=True,
        help_text=_(
            "How to send a copyright or privacy complaint. {email} is replaced "
            "by the complaint address."
        ),
    )
    complaint_email = models.EmailField(_("complaint e-mail"), blank=True)
    icp = models.CharField(_("ICP licence number"), max_length=100, blank=True)
    document_title_template = models.CharField(
        _("document page title"),
        max_length=200,
        blank=True,
        help_text=_(
            "The title of a document's page for browsers and search engines. "
            "Placeholders: {title}, {site_name}, {category}, {pages}, {format}. "
            "Empty: {title} - {site_name}."
        ),
    )
    document_description_template = models.CharField(
        _("document page description"),
        max_length=300,
        blank=True,
        help_text=_(
            "The description of a document's page for search engines. Placeholders: "
            "{description} (the start of the free preview), {title}, {site_name}, "
            "{category}, {pages}, {format}. Empty: {description}."
        ),
    )

    class Meta:
        verbose_name = _("site configuration")
        verbose_name_plural = _("site configuration")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="site_configuration_singleton")
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(_CACHE_KEY)

    @classmethod
    def current(cls) -> dict[str, str]:
        """Effective texts: the operator's row where filled in, else the settings.

        Only the row is cached: the settings' defaults are translatable and are
        resolved in the language of each request."""
        row = cache.get(_CACHE_KEY)
        if row is None:
            fields = (
                "site_name",
                "statement",
                "complaint",
                "complaint_email",
                "icp",
                "document_title_template",
                "document_description_template",
            )
            row = cls.objects.filter(pk=1).values(*fields).first() or {}
            cache.set(_CACHE_KEY, row, 300)
        defaults = settings.OPENWENKU
        email = row.get("complaint_email") or defaults["COMPLAINT_EMAIL"]
        complaint = str(row.get("complaint") or defaults["COMPLAINT"])
        return {
            "site_name": str(row.get("site_name") or defaults["SITE_NAME"]),
            "statement": str(row.get("statement") or defaults["STATEMENT"]),
            "complaint": complaint.replace("{email}", email),
            "complaint_email": email,
            "icp": str(row.get("icp") or defaults["ICP"]),
            "document_title_template": str(
                row.get("document_title_template") or "{title} - {site_name}"
            ),
            "document_description_template": str(
                row.get("document_description_template") or "{description}"
            ),
        }


class RateCounter(models.Model):
    """Events of one kind by one client in the current fixed window (``core.ratelimit``).

    Counted in the database with one atomic statement: the default cache (files)
    cannot add one to a number atomically, and a limit that parallel requests
    read-then-write lets a script through."""

    # A hash of (bucket, client): short, and free of anything the client typed.
    key = models.CharField(max_length=64, primary_key=True)
    # When the window began, in whole seconds since the epoch.
    window_start = models.BigIntegerField()
    hits = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return f"{self.key[:12]}: {self.hits}"

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
        """Effective texts: the operator's row where filled in, else the settings."""
        values = cache.get(_CACHE_KEY)
        if values is None:
            defaults = settings.OPENWENKU
            row = cls.objects.filter(pk=1).first()
            email = (row and row.complaint_email) or defaults["COMPLAINT_EMAIL"]
            complaint = (row and row.complaint) or defaults["COMPLAINT"]
            values = {
                "site_name": (row and row.site_name) or defaults["SITE_NAME"],
                "statement": (row and row.statement) or defaults["STATEMENT"],
                "complaint": complaint.replace("{email}", email),
                "complaint_email": email,
                "icp": (row and row.icp) or defaults["ICP"],
            }
            cache.set(_CACHE_KEY, values, 300)
        return values

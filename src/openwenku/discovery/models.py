from django.db import models
from django.utils.translation import gettext_lazy as _

# The category tree moved to openwenku.documents.models.Category (its table is
# still discovery_category): documents are filed under it, and discovery, which
# lists them, sits above documents. This app keeps its migrations for history.


class RemovedDocument(models.Model):
    """A published document that was deleted: its page answers 410 Gone (search
    engines drop it at once) instead of 404. Only documents that were public are
    kept, so no draft's number is revealed."""

    id = models.PositiveBigIntegerField(primary_key=True)
    removed_at = models.DateTimeField(_("removed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("removed document")
        verbose_name_plural = _("removed documents")

    def __str__(self) -> str:
        return f"removed:{self.id}"

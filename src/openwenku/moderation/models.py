from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Operators' powers over moderation (granted to the "Operators" group by migration).
REVIEW_DOCUMENT = "moderation.review_document"
HANDLE_REPORT = "moderation.handle_report"


class Report(models.Model):
    """A reader's 举报 of a document; operators act on it in the report queue."""

    class Reason(models.TextChoices):
        COPYRIGHT = "copyright", _("Copyright infringement")
        PRIVACY = "privacy", _("Privacy violation")
        ILLEGAL = "illegal", _("Illegal or harmful content")
        SPAM = "spam", _("Spam or advertising")
        BROKEN = "broken", _("Cannot be read / broken")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")
        REJECTED = "rejected", _("Rejected")

    class Outcome(models.TextChoices):
        DISMISSED = "dismissed", _("Dismissed")
        UNPUBLISHED = "unpublished", _("Document unpublished")
        TAKEN_DOWN = "taken_down", _("Document taken down")
        PENALISED = "penalised", _("Uploader penalised")

    # Outcomes that uphold the report (count against the uploader's trust).
    UPHELD = (Outcome.UNPUBLISHED, Outcome.TAKEN_DOWN, Outcome.PENALISED)

    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("document"),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="reports",
        verbose_name=_("reporter"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    detail = models.TextField(_("details"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    note = models.TextField(_("operator's note"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        permissions = [
            ("review_document", _("Review held documents: approve or reject them")),
            ("handle_report", _("Handle reports: dismiss, unpublish, penalise")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "reporter"],
                condition=models.Q(status="open"),
                name="report_one_open_per_reporter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.document_id}"


class RejectionReason(models.Model):
    """One of the reasons an operator picks when rejecting a held document (editable)."""

    text = models.CharField(_("reason"), max_length=200, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("rejection reason")
        verbose_name_plural = _("rejection reasons")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class ReviewDecision(models.Model):
    """An operator's decision on a held document (the queue's history; the audit log has it too)."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.CASCADE,
        related_name="review_decisions",
        verbose_name=_("document"),
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.document_id}"

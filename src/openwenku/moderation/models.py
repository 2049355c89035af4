import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
        OPEN = "open", pgettext_lazy("report status", "Open")
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


def _attachment_path(instance: models.Model, filename: str) -> str:
    # Private, unguessable, never the sender's file name (kept in ``name``).
    return f"moderation/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"


class CopyrightNotice(models.Model):
    """A rights holder's notice (no account needed): the work, the documents of
    this site that copy it, proof of ownership, two sworn statements."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an operator")
        ACCEPTED = "accepted", _("Accepted: documents taken down")
        REJECTED = "rejected", _("Rejected")

    number = models.CharField(_("notice number"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    work = models.TextField(_("the work"))
    urls = models.TextField(_("document addresses"))
    documents = models.ManyToManyField(
        "documents.Document", related_name="copyright_notices", verbose_name=_("documents")
    )
    good_faith = models.BooleanField(_("statement of good faith"), default=False)
    accurate = models.BooleanField(_("statement of accuracy"), default=False)
    client_ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("copyright notice")
        verbose_name_plural = _("copyright notices")
        ordering = ["created_at", "id"]
        permissions = [
            ("handle_notice", _("Decide copyright notices and counter-notices")),
            ("take_down", _("Take any document down at once, and restore it")),
        ]

    def __str__(self) -> str:
        return self.number


class Attachment(models.Model):
    """A file sent as proof with a notice or a claim: stored privately; only
    operators download it."""

    notice = models.ForeignKey(
        CopyrightNotice, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    claim = models.ForeignKey(
        "Claim", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Takedown(models.Model):
    """One document taken down: by accepting a notice, or at once by an operator."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Taken down")
        CONFIRMED = "confirmed", _("Takedown confirmed")
        RESTORED = "restored", _("Restored")

    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.CASCADE,
        related_name="takedowns",
        verbose_name=_("document"),
    )
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="takedowns",
        verbose_name=_("uploader"),
    )
    notice = models.ForeignKey(
        CopyrightNotice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="takedowns",
        verbose_name=_("notice"),
    )
    cause = models.CharField(_("cause"), max_length=12)
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("operator"),
    )
    created_at = models.DateTimeField(_("taken down at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("takedown")
        verbose_name_plural = _("takedowns")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.document_id} ({self.cause})"


class CounterNotice(models.Model):
    """The uploader's answer to a takedown: who they are, why it is theirs to share."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an operator")
        RESTORED = "restored", _("Restored")
        CONFIRMED = "confirmed", _("Takedown confirmed")

    takedown = models.ForeignKey(Takedown, on_delete=models.CASCADE, related_name="counter_notices")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    real_name = models.CharField(_("real name"), max_length=100)
    contact = models.CharField(_("contact"), max_length=200)
    reasons = models.TextField(_("reasons"))
    statement = models.BooleanField(_("statement"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("counter-notice")
        verbose_name_plural = _("counter-notices")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["takedown"],
                condition=models.Q(status="open"),
                name="counter_notice_one_open_per_takedown",
            )
        ]

    def __str__(self) -> str:
        return f"{self.takedown_id}: {self.real_name}"


class Claim(models.Model):
    """An author's claim (认领) that a document is theirs."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an operator")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="claims"
    )
    claimant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="claims"
    )
    previous_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    evidence = models.TextField(_("evidence"))
    contact = models.CharField(_("contact"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["created_at", "id"]
        permissions = [("handle_claim", _("Decide authors' claims of documents"))]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "claimant"],
                condition=models.Q(status="open"),
                name="claim_one_open_per_claimant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.claimant_id}"

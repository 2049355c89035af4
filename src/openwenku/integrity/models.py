from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    INFO = "info", _("Information")
    HOLD = "hold", _("Hold for review")
    REJECT = "reject", _("Reject")


class CheckRun(models.Model):
    """The stored result of one check on one document (replaced on every re-run)."""

    class Outcome(models.TextChoices):
        PASS = "pass", _("Passed")
        INFO = "info", _("Information")
        HOLD = "hold", _("Hold for review")
        REJECT = "reject", _("Reject")

    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.CASCADE,
        related_name="check_runs",
        verbose_name=_("document"),
    )
    check_code = models.CharField(_("check"), max_length=32)
    ran_at = models.DateTimeField(_("checked at"), auto_now=True)
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.PASS, db_index=True
    )

    class Meta:
        verbose_name = _("check result")
        verbose_name_plural = _("check results")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "check_code"], name="integrity_one_run_per_check"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.check_code}: {self.outcome} ({self.document_id})"


class Hit(models.Model):
    """One finding of a check run (registry.Finding, stored)."""

    run = models.ForeignKey(
        CheckRun, on_delete=models.CASCADE, related_name="hits", verbose_name=_("check result")
    )
    kind = models.CharField(_("kind"), max_length=32, db_index=True)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    page = models.PositiveIntegerField(_("page"), null=True, blank=True)
    excerpt = models.CharField(_("excerpt"), max_length=500, blank=True)
    context = models.CharField(_("context"), max_length=500, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "documents.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("duplicate of"),
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    # A moderator reviewed it and let the document through: it never holds again.
    # Kept across re-runs for the same finding (same kind, page and excerpt).
    accepted = models.BooleanField(_("accepted"), default=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["run", "page", "id"]

    def __str__(self) -> str:
        return f"{self.kind} ({self.severity}) p.{self.page or '-'}: {self.excerpt}"


class AcceptedFinding(models.Model):
    """A finding a moderator accepted, remembered across re-runs.

    Re-running a check replaces its hits; a new hit matching an accepted one
    (same document, kind, page and excerpt) is stored accepted again.
    """

    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    page = models.PositiveIntegerField(null=True, blank=True)
    excerpt = models.CharField(max_length=500, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("accepted finding")
        verbose_name_plural = _("accepted findings")

    def __str__(self) -> str:
        return f"{self.kind} p.{self.page or '-'}: {self.excerpt}"


class WordCategory(models.Model):
    """A category of sensitive words and what a hit does to the document."""

    class Action(models.TextChoices):
        INFO = "info", _("Record only")
        HOLD = "hold", _("Hold for review")
        REJECT = "reject", _("Reject")

    name = models.CharField(_("name"), max_length=50, unique=True)
    action = models.CharField(
        _("action"), max_length=8, choices=Action.choices, default=Action.HOLD
    )

    class Meta:
        verbose_name = _("sensitive word category")
        verbose_name_plural = _("sensitive word categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SensitiveWord(models.Model):
    """One word of the operator's list, stored normalised (what the matcher sees)."""

    word = models.CharField(_("word"), max_length=100, unique=True)
    category = models.ForeignKey(
        WordCategory, on_delete=models.PROTECT, related_name="words", verbose_name=_("category")
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sensitive word")
        verbose_name_plural = _("sensitive words")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class WordListVersion(models.Model):
    """One row: bumped on every change to the word list, so every worker rebuilds."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("word list version")
        verbose_name_plural = _("word list version")

    def __str__(self) -> str:
        return str(self.version)

"""The notices moderation sends (registered in ModerationConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from openwenku.notifications.kinds import Kind, register

REVIEW_APPROVED = register(
    Kind(
        "review_approved",
        _("“%(title)s” passed review and is published"),
        _("An operator reviewed your document and published it."),
        email=True,
    )
)
REVIEW_REJECTED = register(
    Kind(
        "review_rejected",
        _("“%(title)s” was rejected in review"),
        _("Reason: %(reason)s"),
        email=True,
    )
)
REPORT_OUTCOME = register(
    Kind(
        "report_outcome",
        _("Your report on “%(title)s” was handled"),
        _("Outcome: %(outcome)s. %(note)s"),
        email=True,
    )
)
REPORT_UPHELD = register(
    Kind(
        "report_upheld",
        _("A report on your document “%(title)s” was upheld"),
        _("Outcome: %(outcome)s. %(note)s"),
        email=True,
    )
)
PENALTY_IMPOSED = register(
    Kind(
        "penalty_imposed",
        _("Penalty: %(penalty)s"),
        _("Reason: %(reason)s. Ends: %(end)s."),
        email=True,
    )
)
PENALTY_LIFTED = register(
    Kind("penalty_lifted", _("Your penalty was lifted: %(penalty)s"), _("Reason was: %(reason)s."))
)

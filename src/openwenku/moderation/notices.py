"""The notices moderation sends members (registered with openwenku.notifications)."""

from django.utils.translation import gettext_lazy as _

from openwenku.notifications.kinds import Kind, register

TAKEN_DOWN = register(
    Kind(
        "takedown",
        _("“%(title)s” was taken down"),
        _(
            "Your document was removed from the site (%(cause)s): %(reason)s. If you have "
            "the right to share it, you may file a counter-notice."
        ),
        email=True,
    )
)
RESTORED = register(
    Kind(
        "takedown_restored",
        _("“%(title)s” is back on the site"),
        _("An operator restored your document after its takedown. %(reason)s"),
        email=True,
    )
)
CONFIRMED = register(
    Kind(
        "takedown_confirmed",
        _("The takedown of “%(title)s” was confirmed"),
        _("An operator reviewed the takedown and keeps the document off the site. %(reason)s"),
        email=True,
    )
)
CLAIM_APPROVED = register(
    Kind(
        "claim_approved",
        _("Your claim of “%(title)s” was approved"),
        _("The document is now yours: its future earnings go to you."),
        email=True,
    )
)
CLAIM_REJECTED = register(
    Kind(
        "claim_rejected",
        _("Your claim of “%(title)s” was rejected"),
        _("Reason: %(reason)s"),
        email=True,
    )
)
CLAIM_LOST = register(
    Kind(
        "claim_transferred",
        _("“%(title)s” now belongs to its author"),
        _(
            "An operator upheld its author's claim: the document and its future earnings "
            "moved to them. Earnings from past sales stay yours."
        ),
        email=True,
    )
)

"""The notices the market sends (registered in MarketConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from openwenku.notifications.kinds import Kind, register

WITHDRAWAL_APPROVED = register(
    Kind(
        "withdrawal_approved",
        _("Your withdrawal of %(amount)s coins was paid"),
        _("Note: %(note)s"),
        email=True,
    )
)
WITHDRAWAL_REJECTED = register(
    Kind(
        "withdrawal_rejected",
        _("Your withdrawal of %(amount)s coins was refused; the coins are back in your wallet"),
        _("Note: %(note)s"),
        email=True,
    )
)
SALE = register(
    Kind(
        "sale",
        _("“%(title)s” was bought"),
        _("You earned %(coins)s coins."),
    )
)

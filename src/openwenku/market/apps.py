from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "openwenku.market"
    label = "market"
    verbose_name = _("Coins and purchases")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import kinds, receivers  # noqa: F401  (signal receivers, notice kinds)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscoveryConfig(AppConfig):
    name = "openwenku.discovery"
    verbose_name = _("Discovery")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)

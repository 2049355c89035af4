from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversionConfig(AppConfig):
    name = "openwenku.conversion"
    verbose_name = _("Conversion")

    def ready(self) -> None:
        from . import receivers

        receivers.connect()

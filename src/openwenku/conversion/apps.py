from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversionConfig(AppConfig):
    name = "openwenku.conversion"
    verbose_name = _("Conversion")

    def ready(self) -> None:
        from openwenku.core.startup import register_worker_check

        from . import receivers, sandbox

        receivers.connect()
        register_worker_check(sandbox.check_sandbox)

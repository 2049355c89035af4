from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "openwenku.moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from . import notices  # noqa: F401  (registers the notice kinds)

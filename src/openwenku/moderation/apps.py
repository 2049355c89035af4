from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "openwenku.moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from openwenku.documents import failures
        from openwenku.documents.publishing import register_gate

        from . import kinds  # noqa: F401  (registers the notice kinds)
        from .gate import REVIEW_FIRST, REVIEW_FIRST_MESSAGE, review_gate

        register_gate(review_gate)
        failures.register_messages({REVIEW_FIRST: REVIEW_FIRST_MESSAGE})

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "openwenku.moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from openwenku.documents import failures
        from openwenku.documents.publishing import register_gate

        from . import kinds, notices  # noqa: F401  (register the notice kinds)
        from .gate import REVIEW_FIRST, REVIEW_FIRST_MESSAGE, review_gate

        register_gate(review_gate)
        from .copyright import takedown_from_report
        from .services import register_takedown

        register_takedown(takedown_from_report)
        failures.register_messages({REVIEW_FIRST: REVIEW_FIRST_MESSAGE})

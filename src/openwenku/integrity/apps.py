"""Content integrity checks (issue 12).

Checks (checks/*.py) register with :mod:`.registry`; :func:`.services.run_checks`
stores one CheckRun per check per document with its Hits; the publish gate
(documents.publishing) holds or rejects on their findings; edits and OCR re-run
them; low content and unreviewed holds veto the upload reward.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "openwenku.integrity"
    verbose_name = _("Content integrity")

    def ready(self) -> None:
        from openwenku.documents import content, failures, publishing

        from . import checks, receivers, selectors, services
        from .messages import REASONS

        checks.register_all()
        publishing.register_gate(services.publish_gate)
        failures.register_messages(REASONS)
        content.register_reward_veto(selectors.blocks_reward)
        receivers.connect()

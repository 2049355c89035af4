"""Near-duplicate detection (issue 12): document fingerprints and their index.

Fingerprints are computed by :func:`.services.fingerprint` (the integrity
app's near-duplicate check calls it on every check run: after conversion,
after OCR added text, on ``checks run``; ``openwenku similarity rebuild``
fingerprints every document). A deleted document's rows are removed here, on
``pre_delete``.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimilarityConfig(AppConfig):
    name = "openwenku.similarity"
    verbose_name = _("Similar documents")

    def ready(self) -> None:
        from . import receivers

        receivers.connect()

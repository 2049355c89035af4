"""The publish policy: which uploads an operator reviews before they go public.

Settings ``OPENWENKU_REVIEW_POLICY`` ("none", "new_members", "all") and
``OPENWENKU_REVIEW_FIRST_UPLOADS`` (N). Under "new_members" a member publishes at
once when N of their documents were accepted and no report on any of them was
upheld; until then each upload is held with the reason ``review_first``. Holders
of ``moderation.review_document`` publish at once; a document an operator already
approved is not held again when it is re-converted. Integrity's own gate holds
documents with "hold" findings whatever this policy says.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from openwenku.documents.models import Document
from openwenku.documents.publishing import Reason, Verdict

from .models import REVIEW_DOCUMENT, ReviewDecision
from .selectors import accepted_count, upheld_report_count

REVIEW_FIRST = "review_first"
REVIEW_FIRST_MESSAGE = _("An operator reviews this document before it is published.")


def review_policy() -> tuple[str, int]:
    conf = settings.OPENWENKU
    return str(conf.get("REVIEW_POLICY", "new_members")), int(conf.get("REVIEW_FIRST_UPLOADS", 3))


def needs_review(document: Document) -> bool:
    policy, first = review_policy()
    if policy == "none":
        return False
    if ReviewDecision.objects.filter(
        document_id=document.pk, decision=ReviewDecision.Decision.APPROVED
    ).exists():
        return False
    owner = document.owner
    if owner.has_perm(REVIEW_DOCUMENT):
        return False
    if policy == "all":
        return True
    return accepted_count(owner, exclude=document.pk) < first or upheld_report_count(owner) > 0


def review_gate(document: object) -> Verdict:
    assert isinstance(document, Document)
    if not needs_review(document):
        return Verdict()
    with translation.override("en"):  # stored for operators; shown translated by code
        message = str(REVIEW_FIRST_MESSAGE)
    return Verdict("hold", [Reason(REVIEW_FIRST, message)])

"""What happens to documents, for other capabilities to follow.

Each signal is sent after the change is committed, with ``document_id``.
Conversion queues new uploads on ``document_uploaded``; search keeps its index
in step with the others; the market grants upload rewards on
``document_published``. Receivers must be quick or enqueue work of their own.
"""

from django.db import transaction
from django.dispatch import Signal

# A new original was stored: it waits for conversion (conversion queues it).
document_uploaded = Signal()
# A document became ready (first conversion, or a re-conversion finished).
document_published = Signal()
# Its text changed without a re-conversion (OCR added text to pages).
document_text_changed = Signal()
# Its metadata changed (title, description, category, tags, price, preview pages).
document_changed = Signal()
# A publish gate held it for review (content checks; moderation queues it).
document_held = Signal()
# It was unpublished or deleted: it must vanish from every public listing at once.
document_removed = Signal()
# It was taken down for cause (copyright, illegal, privacy; ``cause`` says which),
# after ``document_removed``: the market freezes its sale earnings.
document_removed_for_cause = Signal()
# A taken-down document was restored (to ``status``): the market unfreezes them.
document_restored = Signal()


def send_after_commit(signal: Signal, document_id: int, **params: object) -> None:
    transaction.on_commit(lambda: signal.send(sender=None, document_id=document_id, **params))

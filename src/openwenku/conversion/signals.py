"""What the conversion app announces, for the queue and for apps above it.

``conversion_requested`` (``document_id``) is sent after commit when a
document needs converting again (an operator's retry); conversion's own
receivers enqueue the task, so the state changes in services.py never import
the task queue that runs the pipeline that calls them.

``worker_process_started`` is sent once by each worker process as it starts,
from a background thread: apps whose work follows every conversion (search
loads its word segmenter) get ready before the first document arrives.
"""

from django.dispatch import Signal

conversion_requested = Signal()
worker_process_started = Signal()

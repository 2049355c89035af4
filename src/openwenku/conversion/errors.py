"""How conversion says no: :class:`ConversionError`, an application error with a
stable code per failure kind.

It is defined in documents/failures.py, beside the codes, their messages and the
``Document.failure_code`` they are stored in, because sniffing at upload
(documents/sniff.py) raises it too; conversion code imports it from here.
"""

from openwenku.documents.failures import ConversionError, UnsupportedFile

__all__ = ["ConversionError", "UnsupportedFile"]

"""Upload streaming: size limit and SHA-256 computed while the bytes arrive.

A file never sits in memory whole: Django writes it to a temporary file chunk
by chunk, and this handler counts and hashes each chunk on the way. A file
over the limit is dropped at the chunk that crosses it; the rest of its bytes
are read off the socket and discarded, never stored.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler


class LimitedHashingUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self._sha256 = hashlib.sha256()
        self._size = 0
        self._limit = settings.OPENWENKU["MAX_UPLOAD_BYTES"]

    def receive_data_chunk(self, raw_data, start):
        self._size += len(raw_data)
        if self._size > self._limit:
            # The view reads which files were too large from the request.
            rejected = getattr(self.request, "rejected_uploads", [])
            rejected.append(self.file_name)
            self.request.rejected_uploads = rejected  # type: ignore[union-attr]
            self.file.close()
            raise SkipFile()
        self._sha256.update(raw_data)
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size):
        uploaded = super().file_complete(file_size)
        if uploaded is not None:
            uploaded.sha256 = self._sha256.hexdigest()  # type: ignore[attr-defined]
        return uploaded

"""A stream on a full disk: every write fails as /dev/full's does (ENOSPC)."""

from __future__ import annotations

import errno
import io

__all__ = ["FullDisk"]


class FullDisk(io.StringIO):
    """A text stream whose every write (and flush of something written) fails with ENOSPC."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

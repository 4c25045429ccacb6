"""Names the Tab key fetched, kept a short while on disk, so the next Tab sends nothing.

One small JSON file per question (which server, which profile, which kind of name, in which
space, dataset or task), under the user cache directory (``platformdirs``, so
``XDG_CACHE_HOME`` is honoured): ``<cache>/ax-tasks/completion/<digest>.json``, readable by the
user only.  An entry younger than :data:`FRESH` seconds is used without asking the API; an
older one is still offered when the API cannot answer in time.  No key is ever written: the
question names the server and the profile, not the credentials.  A write by ax-tasks makes
every answer stale (:meth:`NameCache.mark_stale`).  Every failure to read or write is a miss,
never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FRESH", "Cached", "NameCache"]

FRESH = 120.0
"""Seconds an answer is used as is (a new task shows at the Tab key within two minutes)."""

_WRITTEN = "written"
"""The file that holds when ax-tasks last wrote: answers from before it are stale."""


@dataclass(frozen=True)
class Cached:
    """A cached answer: (value, help) pairs, and whether it is still fresh."""

    items: list[tuple[str, str]]
    fresh: bool


class NameCache:
    def __init__(self, folder: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.folder = folder
        self._clock = clock

    @classmethod
    def default(cls) -> NameCache:
        import platformdirs

        return cls(Path(platformdirs.user_cache_dir("ax-tasks")) / "completion")

    def _path(self, question: Sequence[str]) -> Path:
        digest = hashlib.sha256(json.dumps(list(question)).encode()).hexdigest()[:32]
        return self.folder / f"{digest}.json"

    def get(self, question: Sequence[str]) -> Cached | None:
        try:
            data = json.loads(self._path(question).read_text(encoding="utf-8"))
            items = [(str(value), str(help)) for value, help in data["items"]]
            at = float(data["at"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        age = self._clock() - at
        return Cached(items, fresh=0 <= age < FRESH and at > self._written())

    def mark_stale(self) -> None:
        """Every answer so far is stale: ax-tasks itself just wrote, so a name may be new or
        gone, and the next Tab asks again (an answer is still offered if the API cannot)."""
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            (self.folder / _WRITTEN).write_text(repr(self._clock()), encoding="utf-8")

    def _written(self) -> float:
        """When ax-tasks last wrote (0: never, or unknown)."""
        try:
            return float((self.folder / _WRITTEN).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return 0.0

    def put(self, question: Sequence[str], items: Sequence[tuple[str, str]]) -> None:
        data = {"at": self._clock(), "items": [list(item) for item in items]}
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as file:
                    json.dump(data, file)
                os.replace(temporary, self._path(question))  # whole, or not at all
            except OSError:
                os.unlink(temporary)
                raise

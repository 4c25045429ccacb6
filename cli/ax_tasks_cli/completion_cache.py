"""Names the Tab key fetched, kept a short while on disk, so the next Tab sends nothing.

One small JSON file per question (which server, which profile, which kind of name, in which
space, dataset or task), under the user cache directory (``platformdirs``, so
``XDG_CACHE_HOME`` is honoured): ``<cache>/ax-tasks/completion/<digest>.json``, readable by the
user only.  An entry younger than :data:`FRESH` seconds is used without asking the API; an
older one is still offered when the API cannot answer in time.  No key is ever written: the
question names the server and the profile, not the credentials.  Every failure to read or
write is a miss, never an error.
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
            age = self._clock() - float(data["at"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return Cached(items, fresh=0 <= age < FRESH)

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

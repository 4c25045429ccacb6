"""Where something is in a tasks file, and the error that says it.

Every problem with a file (its syntax, a field of the wrong type, a name that resolves to
nothing) is one :class:`FileError`: a ValidationError (each face shows it as a usage error)
whose message starts with ``file:line:column`` and names the field in the file's own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ax_tasks_mcp.service.errors import ValidationError

__all__ = ["FileError", "Where"]


@dataclass(frozen=True)
class Where:
    """A place in a file: its name as given, and a line and column counted from 1."""

    source: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}"


class FileError(ValidationError):
    """A tasks file that cannot be planned: ``where`` it is wrong, and which ``field`` (its
    path in the file, e.g. ``tasks[2].sampling_rate``), if a field is to blame."""

    def __init__(self, where: Where, problem: str, *, field: str | None = None) -> None:
        said = f"{field}: {problem}" if field else problem
        super().__init__(f"{where}: {said}")
        self.where = where
        self.field_path = field
        self.reason = problem

    def render(self, words: Any) -> str:
        """The file's words: what the message says of the file is already in them; only a
        way out that a face offers (its space option, say) is said in the face's words."""
        return str(words.render(self.template))

    def _extra(self) -> dict[str, Any]:
        extra: dict[str, Any] = {
            "file": self.where.source,
            "line": self.where.line,
            "column": self.where.column,
        }
        if self.field_path:
            extra["field"] = self.field_path
        return extra

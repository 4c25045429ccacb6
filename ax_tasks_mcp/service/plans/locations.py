"""Where something is in a tasks file, and the error that says it.

Every problem with a file (its syntax, a field of the wrong type, a name that resolves to
nothing) is a :class:`FileError`: a ValidationError (each face shows it as a usage error)
whose message starts with ``file:line:column`` and names the field in the file's own words.
Problems found together (every field the schema refuses, say) are one FileError of several
lines, one per problem in file order (:meth:`FileError.of`), so one run shows them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from ax_tasks_mcp.service.errors import ValidationError

__all__ = ["MAX_PROBLEMS", "FileError", "Where"]

#: Problems told at once; past this, their number.
MAX_PROBLEMS: Final = 20


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
        #: Every problem this error tells (itself alone, unless made by :meth:`of`).
        self.problems: tuple[FileError, ...] = (self,)

    @classmethod
    def of(cls, problems: Sequence[FileError]) -> FileError:
        """One error for ``problems`` (at least one): each a line, in file order, at most
        MAX_PROBLEMS of them; its place and field are the first one's."""
        ordered = sorted(problems, key=lambda p: (p.where.line, p.where.column))
        first = ordered[0]
        if len(ordered) == 1:
            return first
        told = ordered[:MAX_PROBLEMS]
        lines = [p.template for p in told]
        more = len(ordered) - len(told)
        if more:
            lines.append(f"{first.where.source}: {more} more problem{'s' if more > 1 else ''}.")
        combined = cls(first.where, first.reason, field=first.field_path)
        ValidationError.__init__(combined, "\n".join(lines))
        combined.problems = tuple(told)
        return combined

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
        if len(self.problems) > 1:
            extra["problems"] = [{**p._extra(), "message": p.message} for p in self.problems]
        return extra

"""How a service message names a field or an operation, so each face can say it its own way.

The service writes ``field("sampling_rate")`` and ``operation("get_run")`` into its messages:
marks that read as the API's field name and the service's method name when shown plainly
(:data:`PLAIN`, what ``str(error)`` gives), and that each face renders with its own
:class:`Words`: the CLI says ``--sampling-rate`` and ``ax-tasks get-run``, the MCP server
``sampling_rate`` and ``get_task_run``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

__all__ = ["PLAIN", "Words", "field", "fields", "mentioned_fields", "operation", "quoted"]

_MARK: Final = re.compile(r"\{(field|op):([a-z][a-z0-9_]*)\}")


def field(name: str) -> str:
    """A mark for the API field ``name`` (e.g. ``sampling_rate``) in a message."""
    return "{field:" + name + "}"


def fields(names: Iterable[str]) -> str:
    """Several field marks, comma-separated."""
    return ", ".join(field(name) for name in names)


def operation(name: str) -> str:
    """A mark for the service operation ``name`` (a TasksService method, e.g. ``get_run``)."""
    return "{op:" + name + "}"


#: A name longer than this is cut in messages (a message echoes a short prefix, never a flood).
QUOTED_CHARS: Final = 80


def quoted(name: object) -> str:
    """A name in quotes as it is written, nothing added: single quotes, double when it holds a
    single one, typographic when it holds both.  A name with control characters is shown
    escaped, so it cannot move a terminal's cursor; a long one is cut, saying its length."""
    text = str(name)
    if len(text) > QUOTED_CHARS:
        return f"{quoted(text[: QUOTED_CHARS - 1] + '…')} ({len(text):,} characters)"
    if not text.isprintable():
        return repr(text)
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return f"\u201c{text}\u201d"


def mentioned_fields(text: str) -> list[str]:
    """The fields a message names, in order, each once."""
    found = [m.group(2) for m in _MARK.finditer(text) if m.group(1) == "field"]
    return list(dict.fromkeys(found))


def _same(name: str) -> str:
    return name


@dataclass(frozen=True)
class Words:
    """A face's vocabulary: how it calls an API field and a service operation."""

    field: Callable[[str], str] = _same
    operation: Callable[[str], str] = _same

    def render(self, text: str) -> str:
        def say(mark: re.Match[str]) -> str:
            kind, name = mark.group(1), mark.group(2)
            return self.field(name) if kind == "field" else self.operation(name)

        return _MARK.sub(say, text)


PLAIN: Final = Words()
"""The library's own words: API field names and TasksService method names."""

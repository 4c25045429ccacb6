"""Reading a profile file: TOML whose faults are located (file, line, key) and worded for whoever
owns the file.

Our own ``profiles.toml`` is the user's to edit; the official ``ax`` CLI's files are read only
and never to be deleted on our say-so.  A fault is a :class:`ProfileFileError`, so settings can
skip a file a command does not need and raise its fault when it does.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final, Literal

from ax_tasks_mcp.service.errors import ConfigError

__all__ = ["Owner", "ProfileFileError", "file_problem", "read_toml"]

Owner = Literal["ax-tasks", "ax"]

_ADVICE: Final[dict[str, str]] = {
    "ax-tasks": "Fix it there; the file is yours to edit.",
    "ax": (
        "The file belongs to the official ax CLI: fix that line, or have the ax CLI write "
        "the profile again; ax-tasks only reads it."
    ),
}
_AT_LINE: Final = re.compile(r"\s*\(at line (\d+), column \d+\)")
_KEY_AT: Final = re.compile(r"^\s*([A-Za-z0-9_.\"'-]+)\s*=")


class ProfileFileError(ConfigError):
    """A profile file that cannot be used: the message names the file, line and key;
    ``where`` is that place alone (``<path>, line 3 (api_key)``)."""

    def __init__(
        self, message: str, *, path: Path, where: str | None = None, owner: Owner = "ax-tasks"
    ) -> None:
        super().__init__(message)
        self.path = path
        self.where = where or str(path)
        self.owner = owner


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _line_of(path: Path, key: str, section: str | None) -> int | None:
    """The line where ``key`` is set (inside ``[section]`` when given), 1-based."""
    inside = section is None
    for number, text in enumerate(_lines(path), start=1):
        stripped = text.strip()
        if stripped.startswith("["):
            inside = section is None or stripped.strip("[] ") == section
            continue
        found = _KEY_AT.match(text)
        if inside and found and found.group(1).strip("\"'") == key:
            return number
    return None


def file_problem(
    path: Path,
    reason: str,
    *,
    owner: Owner,
    key: str | None = None,
    section: str | None = None,
    line: int | None = None,
) -> ProfileFileError:
    """``<path>, line 3 (api_key): <reason>. <advice>``: as precise as the fault allows."""
    if line is None and key is not None:
        line = _line_of(path, key, section)
    where = str(path) + (f", line {line}" if line else "")
    if key is not None:
        where += f" ({f'[{section}] ' if section else ''}{key})"
    text = reason.rstrip(".")
    return ProfileFileError(
        f"{where}: {text}. {_ADVICE[owner]}", path=path, where=where, owner=owner
    )


def read_toml(path: Path, owner: Owner) -> dict[str, Any] | None:
    """The parsed file, None if it does not exist; a :class:`ProfileFileError` for anything
    unreadable."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):  # no such file, nor such folder
        return None
    except OSError as exc:
        raise file_problem(path, f"cannot be read ({exc.strerror or exc})", owner=owner) from None
    import tomllib  # only when a file exists: most commands read none

    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise file_problem(path, "is not UTF-8 text", owner=owner) from None
    except tomllib.TOMLDecodeError as exc:
        found = _AT_LINE.search(str(exc))
        line = int(found.group(1)) if found else None
        key = None
        if line is not None and 0 < line <= len(lines := _lines(path)):
            named = _KEY_AT.match(lines[line - 1])
            key = named.group(1).strip("\"'") if named else None
        reason = f"not valid TOML: {_AT_LINE.sub('', str(exc))}"
        raise file_problem(path, reason, owner=owner, key=key, line=line) from None

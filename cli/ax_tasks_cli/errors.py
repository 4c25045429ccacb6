"""How the CLI shows a failure: one line of text, or a JSON object for machine formats.

The service's errors (``ax_tasks_mcp.AxTasksError``) carry a message that says what to do and a
``kind``; the CLI renders the message in its own words (flags, commands), picks the exit code
from the kind (:mod:`ax_tasks_cli.exitcodes`), and adds a few errors of its own for mistakes it
finds before calling the service.  This module imports nothing heavy, so ``--help`` stays fast.
"""

from __future__ import annotations

import json
import traceback
from typing import Any, TextIO

from ax_tasks_cli.exitcodes import USAGE, code_for

__all__ = ["CliProblem", "Declined", "UsageProblem", "describe", "show_error", "tell"]

PROG = "ax-tasks"


class CliProblem(Exception):
    """A failure the CLI itself detected; shown like a service error."""

    kind: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message}


class UsageProblem(CliProblem):
    """Bad arguments: exit 2."""

    kind = "usage_error"


class Declined(CliProblem):
    """The user answered no to a confirmation: nothing was changed."""

    kind = "declined"


def describe(exc: BaseException) -> dict[str, Any]:
    """The machine-readable description of any error we show, in the CLI's words."""
    data: dict[str, Any] = {"kind": "internal_error", "message": str(exc) or type(exc).__name__}
    to_dict = getattr(exc, "to_dict", None)
    if callable(to_dict):
        described = to_dict()
        if isinstance(described, dict):
            data = described
    render = getattr(exc, "render", None)
    if callable(render):  # a service error: its fields and operations said as flags and commands
        from ax_tasks_cli.words import CLI_WORDS

        data["message"] = render(CLI_WORDS)
    data["exit_code"] = code_for(exc)
    return data


def show_error(
    stream: TextIO,
    exc: BaseException,
    *,
    machine: bool,
    verbose: bool = False,
    secrets: tuple[str | None, ...] = (),
) -> None:
    """Write ``exc`` to ``stream``: ``{"error": {...}}`` when machine, else ``ax-tasks: ...``."""
    data = describe(exc)
    message = _redact(str(data.get("message", "")), secrets)
    data["message"] = message
    mistake = isinstance(exc, CliProblem) or data.get("exit_code") == USAGE
    text = ""
    if verbose and not mistake:  # a user's mistake needs its message, not a traceback
        original = getattr(exc, "cause", None)
        shown = original if isinstance(original, BaseException) else exc
        text = _redact("".join(traceback.format_exception(shown)), secrets)
    if machine:
        text += json.dumps({"error": data}, ensure_ascii=False, default=str) + "\n"
    else:  # several problems (a tasks file's) are a line each
        text += "".join(f"{PROG}: error: {line}\n" for line in message.split("\n"))
    tell(stream, text)


def tell(stream: TextIO, text: str) -> None:
    """Write a message on stderr.  A stderr that cannot take it (a full disk, a closed pipe)
    loses the message and nothing more: the exit code stays the one of what was being told."""
    try:
        stream.write(text)
        stream.flush()
    except OSError:
        from ax_tasks_cli.writing import silence

        silence(stream)


def _redact(text: str, secrets: tuple[str | None, ...]) -> str:
    from ax_tasks_mcp import redact

    return redact(text, secrets)

"""Where a misplaced option goes, told as the line to type: an option of ``ax-tasks`` itself
given after the command moves before it, and a command's option given before the command moves
after it.  Used only when Click has already refused the line, so nothing here runs on a good one.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import Any, Final

from ax_tasks_cli.errors import PROG

__all__ = ["GLOBAL_OPTIONS", "after_the_command", "before_the_command"]

#: The root's options, and whether each takes a value: they go before the command.
GLOBAL_OPTIONS: Final = {
    "--profile": True,
    "--base-url": True,
    "--sandbox": False,
    "--verbose": False,
    "-v": False,
    "--version": False,
}


def before_the_command(option: str, args: Sequence[str]) -> str:
    """Why ``option`` (one of ``ax-tasks`` itself) cannot follow the command, and the line with
    it moved before the command."""
    if option == "--version":  # it answers alone: a command after it would be ignored
        fixed = f"{PROG} --version"
    else:
        rest = list(args)
        moved = _take(rest, option, GLOBAL_OPTIONS[option])
        fixed = shlex.join([PROG, *moved, *rest])
    return f"{option} is an option of {PROG} itself, so it goes before the command: {fixed}"


def after_the_command(root: Any, ctx: Any, option: str, args: Sequence[str]) -> str | None:
    """Why ``option``, given before the command, is not one of ``ax-tasks`` itself, and the line
    with what stands between the global options and the command moved after the command; None
    when the command does not take ``option`` either."""
    start = _skip_globals(args)
    for at in range(start, len(args)):
        command = root.get_command(ctx, args[at])
        if command is not None:
            break
    else:
        return None
    end = at + 1
    while end < len(args) and hasattr(command, "get_command"):  # a group: its subcommand
        sub = command.get_command(ctx, args[end])
        if sub is None:
            break
        command, end = sub, end + 1
    if not any(option in (*p.opts, *p.secondary_opts) for p in getattr(command, "params", ())):
        return None
    words = list(args[at:end])
    fixed = shlex.join([PROG, *args[:start], *words, *args[start:at], *args[end:]])
    shown = " ".join([PROG, *words])
    return f"{option} is an option of '{shown}', so it goes after the command: {fixed}"


def _take(rest: list[str], option: str, takes_value: bool) -> list[str]:
    """Remove ``option`` (and its value, unless given as ``--opt=value``) from ``rest``."""
    at = next((i for i, arg in enumerate(rest) if arg.split("=", 1)[0] == option), None)
    if at is None:
        return [option]
    count = 1 + (takes_value and "=" not in rest[at])
    moved = rest[at : at + count]
    del rest[at : at + count]
    return moved


def _skip_globals(args: Sequence[str]) -> int:
    """The index of the first argument that is not a global option or its value."""
    at = 0
    while at < len(args) and args[at].split("=", 1)[0] in GLOBAL_OPTIONS:
        at += 1 + GLOBAL_OPTIONS.get(args[at], False)
    return at

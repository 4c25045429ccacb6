"""The private APIs of Typer (and the Click it vendors) this CLI uses, in one room.

Typer 0.29 keeps Click inside itself (``typer._click``), so even Click's documented completion
helpers are private names here.  Each one is used only through this module, and
tests/cli/test_cli_compat.py checks each still behaves as relied on, so an upgrade that moves
one fails there, not at a user's Tab key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["completion_context", "completion_target"]


def completion_context(group: Any, prog: str, args: Sequence[str]) -> Any:
    """The context the words before the cursor lead to (the innermost command's), parsed
    leniently, as Click's own completion does: nothing is invoked."""
    from typer._click.shell_completion import _resolve_context

    return _resolve_context(group, {}, prog, list(args))


def completion_target(context: Any, args: Sequence[str], incomplete: str) -> tuple[Any, str]:
    """What the word at the cursor completes: a command (its subcommands and options), or a
    parameter (its value); and the word as that target sees it (``--opt=val`` gives ``val``)."""
    from typer._click.shell_completion import _resolve_incomplete

    target, word = _resolve_incomplete(context, list(args), incomplete)
    return target, word

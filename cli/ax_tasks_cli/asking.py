"""Asking before a destructive command (delete, cancel-run): on a terminal the user answers yes
or no; with no terminal to ask on, the command refuses unless --force was given, so a script
never destroys anything by accident."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from ax_tasks_cli.errors import Declined, UsageProblem

if TYPE_CHECKING:
    from ax_tasks_cli.runtime import Session

__all__ = ["confirm_or_refuse"]

T = TypeVar("T")


def confirm_or_refuse(
    session: Session,
    *,
    action: str,
    target: str,
    read: Callable[[], T],
    question: Callable[[T], str],
    unchanged: Callable[[T], str],
) -> T:
    """What ``read`` returns (the object as it is just before the question), once the user said
    yes to ``question`` about it.  UsageProblem when there is no terminal to ask on (nothing is
    read), Declined saying ``unchanged`` when the answer is no."""
    if not session.can_prompt:
        raise UsageProblem(
            f"Refusing to {action} {target} without confirmation: there is no terminal to ask "
            f"on. Pass --force (-f) to {action} it, or --dry-run to see the request."
        )
    current = read()
    if not session.confirm(question(current)):
        raise Declined(unchanged(current))
    return current

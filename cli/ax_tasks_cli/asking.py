"""Asking before a command changes what cannot be undone (delete, cancel-run, apply): on a
terminal the user answers yes or no; with no terminal to ask on, the command refuses unless its
flag (--force, --yes) said yes already, so a script never destroys anything by accident."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from ax_tasks_cli.errors import Declined, UsageProblem

if TYPE_CHECKING:
    from ax_tasks_cli.runtime import Session

__all__ = ["ask_or_decline", "confirm_or_refuse", "require_terminal"]

T = TypeVar("T")


def require_terminal(session: Session, refusing: str, instead: str) -> None:
    """UsageProblem when there is no terminal to ask on: refusing to ``refusing`` without
    confirmation, and ``instead``, what to pass to go ahead or to look first."""
    if not session.can_prompt:
        raise UsageProblem(
            f"Refusing to {refusing} without confirmation: there is no terminal to ask on. "
            f"{instead}"
        )


def ask_or_decline(session: Session, question: str, unchanged: str) -> None:
    """Declined, saying ``unchanged``, unless the user answers yes to ``question``."""
    if not session.confirm(question):
        raise Declined(unchanged)


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
    yes to ``question`` about it: refused with no terminal (nothing is read), declined when the
    answer is no."""
    require_terminal(
        session,
        f"{action} {target}",
        f"Pass --force (-f) to {action} it, or --dry-run to see the request.",
    )
    current = read()
    ask_or_decline(session, question(current), unchanged(current))
    return current

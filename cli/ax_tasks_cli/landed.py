"""What a command does after its write has landed: a failure then says what was changed.

Every check that can fail without the server runs before the first request (arguments, files,
the output destination).  What can still fail after a write - writing the result to a file,
waiting for a triggered run - is run inside :func:`after_write`: a failure there exits with
:data:`ax_tasks_cli.exitcodes.LANDED`, names what landed with its ID, and puts the result on stdout
when the file could not take it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer

from ax_tasks_cli.errors import CliProblem, UsageProblem, describe
from ax_tasks_cli.exitcodes import LANDED, WAIT_TIMEOUT, code_for

if TYPE_CHECKING:
    from ax_tasks_cli.runtime import Session

__all__ = ["WriteLanded", "after_write", "positive_seconds"]


class WriteLanded(CliProblem):
    """The write happened; a later step did not."""

    exit_code = LANDED
    kind = "write_landed"

    def __init__(self, done: str, cause: BaseException) -> None:
        reason = str(describe(cause).get("message", "")) or type(cause).__name__
        super().__init__(f"{done}, but then: {reason.rstrip('.')}.")


@contextmanager
def after_write(
    session: Session, done: str, result: Mapping[str, Any] | None = None
) -> Iterator[None]:
    """Run the steps after a landed write; ``done`` says what landed ("Created task 'x' (ID)").
    The command's own outcomes (a waited-for run's code, a wait timeout) and Ctrl-C pass."""
    try:
        yield
    except (typer.Exit, KeyboardInterrupt, WriteLanded):
        raise
    except Exception as exc:
        if code_for(exc) == WAIT_TIMEOUT:
            raise  # a documented outcome of waiting, whose message names the run
        if result is not None and session.choice.path is not None:
            session.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
            session.stdout.flush()
        raise WriteLanded(done, exc) from exc


def positive_seconds(option: str, value: float | None) -> None:
    """Refuse zero or negative seconds before anything is sent (the parser refuses NaN)."""
    if value is not None and value <= 0:
        raise UsageProblem(f"{option} must be a positive number of seconds, not {value:g}.")

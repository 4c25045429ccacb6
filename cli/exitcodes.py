"""The CLI's exit codes, as plain numbers so that ``--help`` never imports the service.

They mirror ``ax_tasks_mcp.service.errors.ExitCode`` (a test keeps the two in step).
"""

from __future__ import annotations

from typing import Final

OK: Final = 0
API_ERROR: Final = 1
USAGE: Final = 2
AUTH: Final = 3
NOT_FOUND: Final = 4
RUN_FAILED: Final = 5
RUN_CANCELLED: Final = 6
WAIT_TIMEOUT: Final = 7
INTERRUPTED: Final = 130

#: (code, meaning) in the order the help and the docs list them.
TABLE: Final[tuple[tuple[int, str], ...]] = (
    (OK, "success (a waited-for run COMPLETED)"),
    (API_ERROR, "API or network error, conflict, rate limit; or a declined confirmation"),
    (USAGE, "invalid arguments, input or configuration"),
    (AUTH, "authentication failed or permission denied"),
    (NOT_FOUND, "not found, or a name matching several resources"),
    (RUN_FAILED, "the waited-for run ended FAILED"),
    (RUN_CANCELLED, "the waited-for run ended CANCELLED"),
    (WAIT_TIMEOUT, "the run did not finish within --timeout (it keeps running)"),
    (INTERRUPTED, "interrupted (Ctrl-C)"),
)


def help_epilog() -> str:
    """The exit-code table for ``--help`` (click keeps ``\\b`` paragraphs as written)."""
    lines = ["\b", "Exit codes:"]
    lines += [f"  {code:>3}  {meaning}" for code, meaning in TABLE]
    return "\n".join(lines)

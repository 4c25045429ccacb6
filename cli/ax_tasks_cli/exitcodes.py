"""The CLI's exit codes, and the one table from an error's kind to its code.

Exit codes belong to the CLI: the service's errors carry a ``kind`` (``validation_error``,
``not_found``, ...) and nothing more.  Plain numbers and strings, so ``--help`` never imports the
service.
"""

from __future__ import annotations

from typing import Final

__all__ = ["TABLE", "code_for", "help_epilog"]

OK: Final = 0
API_ERROR: Final = 1
USAGE: Final = 2
AUTH: Final = 3
NOT_FOUND: Final = 4
RUN_FAILED: Final = 5
RUN_CANCELLED: Final = 6
WAIT_TIMEOUT: Final = 7
LANDED: Final = 8
"""A write was made, then a later step of the command failed; the message names what landed."""
CHANGES: Final = 9
"""plan --exit-code: the plan has changes (0: it has none)."""
INTERRUPTED: Final = 130

#: (code, meaning) in the order the help and the docs list them.
TABLE: Final[tuple[tuple[int, str], ...]] = (
    (OK, "success (a waited-for run COMPLETED)"),
    (API_ERROR, "API or network error, conflict, rate limit, unwritable output; or declined"),
    (USAGE, "invalid arguments, input or configuration"),
    (AUTH, "authentication failed or permission denied"),
    (NOT_FOUND, "not found, or a name matching several resources"),
    (RUN_FAILED, "the waited-for run ended FAILED"),
    (RUN_CANCELLED, "the waited-for run ended CANCELLED"),
    (WAIT_TIMEOUT, "the run did not finish within --timeout (it keeps running)"),
    (LANDED, "the change was made (its ID is shown), but a later step failed"),
    (CHANGES, "plan --exit-code: the plan has changes"),
    (INTERRUPTED, "interrupted (Ctrl-C)"),
)


#: Every error kind that does not exit API_ERROR (1), by the code it exits with.
_CODES: Final[dict[int, frozenset[str]]] = {
    USAGE: frozenset({"validation_error", "config_error", "usage_error"}),
    AUTH: frozenset({"authentication_failed", "permission_denied"}),
    NOT_FOUND: frozenset({"not_found", "ambiguous_name"}),
    WAIT_TIMEOUT: frozenset({"wait_timeout"}),
    LANDED: frozenset({"write_landed"}),
}
_CODE_OF_KIND: Final = {kind: code for code, kinds in _CODES.items() for kind in kinds}


def code_for(error: BaseException) -> int:
    """The exit code for an error the CLI shows, from its ``kind`` (API_ERROR if unknown)."""
    return _CODE_OF_KIND.get(str(getattr(error, "kind", "")), API_ERROR)


def help_epilog() -> str:
    """The exit-code table for ``--help`` (click keeps ``\\b`` paragraphs as written)."""
    lines = ["\b", "Exit codes:"]
    lines += [f"  {code:>3}  {meaning}" for code, meaning in TABLE]
    return "\n".join(lines)

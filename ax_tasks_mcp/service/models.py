"""The types the service layer hands to its faces (CLI and MCP server).

Resources travel as plain JSON-shaped dicts with the API's own field names (UPPERCASE enums,
RFC 3339 times), so a face can print or return them without knowing the generated client.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, TypeAlias

Resource: TypeAlias = dict[str, Any]
"""A task, run, space, project, ... exactly as the API returns it (JSON-shaped)."""


class _Unchanged(enum.Enum):
    UNCHANGED = "UNCHANGED"

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Final = _Unchanged.UNCHANGED
"""Update sentinel: leave the field as it is. `None` means clear it (sends null)."""

Unchanged: TypeAlias = _Unchanged


@dataclass(frozen=True)
class Page:
    """One page of a list: its items and the cursor of the next page (None on the last)."""

    items: list[Resource]
    next_cursor: str | None = None

    @property
    def has_more(self) -> bool:
        return self.next_cursor is not None


@dataclass(frozen=True)
class PlannedRequest:
    """A write that --dry-run would have sent: names already resolved, nothing sent."""

    method: str
    url: str
    body: Any = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RunProgress:
    """What a wait reports after each poll."""

    run_id: str
    status: str
    num_successes: int
    num_errors: int
    num_skipped: int
    elapsed: float
    polls: int
    transient_errors: int = 0
    notice: str | None = None
    """Something to tell the one waiting, once (e.g. a status this version does not know)."""


ProgressCallback: TypeAlias = Callable[[RunProgress], None]

# The statuses this version knows are the spec's (service/wire.py RUN_STATUSES); a run in any
# other is not finished.
TERMINAL_STATUSES: Final = frozenset({"COMPLETED", "FAILED", "CANCELLED"})
TASK_TYPES: Final = ("TEMPLATE_EVALUATION", "CODE_EVALUATION", "RUN_EXPERIMENT")
EVALUATION_TYPES: Final = ("TEMPLATE_EVALUATION", "CODE_EVALUATION")

"""What the list tools add to the API's lists so a model's common jobs take one call.

* Filters the API lacks: the tasks that run an evaluator (by name or ID), the runs created in a
  time window (RFC 3339, or a duration back from now such as ``24h``), with the window's totals.
* Names beside IDs: a task's project or dataset by name, and, when a list spans every space the
  key can see, each item's space.
* A failure reason several runs share is said once, in ``failure_reasons``.
* A filter value newer than this version is passed on, with a note.

Everything here runs in the worker thread of one tool call, over the public service.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from ax_tasks_mcp.server.calls import ShownError
from ax_tasks_mcp.server.paging import Listing

if TYPE_CHECKING:
    from ax_tasks_mcp import Resource, TasksService

__all__ = [
    "RunWindow",
    "evaluator_matches",
    "newer_value_note",
    "require_evaluator",
    "share_failure_reasons",
    "space_names",
    "spans_spaces",
    "target_names",
    "window_totals",
]

_DURATION: Final = re.compile(r"(\d+(?:\.\d+)?)\s*([mhdw])", re.IGNORECASE)
_UNITS: Final = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_LOOKUP_PAGE: Final = 100


# -- tasks ---------------------------------------------------------------------------------


def evaluator_matches(evaluator: str) -> Callable[[Resource], bool]:
    """Whether a task runs ``evaluator``, given by exact name or by ID."""

    def runs_it(task: Resource) -> bool:
        for entry in task.get("evaluators") or ():
            if isinstance(entry, Mapping) and evaluator in (
                entry.get("evaluator_id"),
                entry.get("evaluator_name"),
            ):
                return True
        return False

    return runs_it


def require_evaluator(s: TasksService, evaluator: str, space: str | None) -> None:
    """No task runs ``evaluator``: make sure it names one (else the resolver's teaching
    not-found error, with the closest names)."""
    s.resolver.evaluator_id(evaluator, space)


def spans_spaces(s: TasksService, space: str | None) -> bool:
    """True when a list is not held to one space (none given, none configured)."""
    return not (space or s.settings.space)


def space_names(s: TasksService) -> dict[str, str]:
    """Space names by ID (the first 100 spaces the key can see)."""
    return _names(s.list_lookup("spaces", limit=_LOOKUP_PAGE).items)


def target_names(
    s: TasksService, tasks: Iterable[Resource], space: str | None
) -> dict[str, tuple[str, str | None]]:
    """(name, space ID) of each project and dataset the tasks target, one request per kind.

    From the first 100 of each in the space (or across spaces); a target not among them keeps
    its ID only.  A convenience: if they cannot be listed, the summaries carry IDs alone.
    """
    from ax_tasks_mcp import AxTasksError

    tasks = list(tasks)
    found: dict[str, tuple[str, str | None]] = {}
    for kind in ("project", "dataset"):
        if not any(task.get(f"{kind}_id") for task in tasks):
            continue
        try:
            listed = s.list_lookup(f"{kind}s", space=space, limit=_LOOKUP_PAGE).items
        except AxTasksError:
            continue
        for item in listed:
            space_id = item.get("space_id")
            found[str(item["id"])] = (str(item["name"]), str(space_id) if space_id else None)
    return found


def _names(items: Iterable[Resource]) -> dict[str, str]:
    return {str(item["id"]): str(item["name"]) for item in items if "id" in item}


# -- runs ----------------------------------------------------------------------------------


def _instant(value: str, what: str, now: datetime) -> datetime:
    text = value.strip()
    if (duration := _DURATION.fullmatch(text)) is not None:
        amount, unit = float(duration.group(1)), _UNITS[duration.group(2).lower()]
        return now - timedelta(**{unit: amount})
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise ShownError(
            f"{what}: not a time: give RFC 3339 (2026-03-01T00:00:00Z) or a duration back from"
            " now (90m, 24h, 7d, 2w). Nothing was done."
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _created(run: Resource) -> datetime | None:
    value = run.get("created_at")
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class RunWindow:
    """Runs created in [since, until): the list is newest first, so the first run older than
    ``since`` ends the search."""

    since: datetime | None
    until: datetime | None

    @classmethod
    def of(cls, since: str | None, until: str | None, now: datetime) -> RunWindow | None:
        if since is None and until is None:
            return None
        start = _instant(since, "since", now) if since is not None else None
        end = _instant(until, "until", now) if until is not None else None
        if start is not None and end is not None and start >= end:
            raise ShownError(
                f"since ({start.isoformat()}) must be before until ({end.isoformat()})."
                " Nothing was done."
            )
        return cls(start, end)

    def keep(self, run: Resource) -> bool:
        created = _created(run)
        if created is None:
            return False
        return (self.since is None or created >= self.since) and (
            self.until is None or created < self.until
        )

    def past(self, run: Resource) -> bool:
        created = _created(run)
        return self.since is not None and created is not None and created < self.since


def window_totals(listing: Listing) -> dict[str, Any]:
    """How many runs the window holds, by status, and their counts summed."""
    runs = listing.items
    totals: dict[str, Any] = {"runs": len(runs)}
    totals.update(Counter(str(run.get("status")) for run in runs))
    for count in ("num_successes", "num_errors", "num_skipped"):
        totals[count] = sum(v for run in runs if isinstance(v := run.get(count), int))
    if listing.searched_out:
        totals["partial"] = True  # the search stopped before the window's end
    return totals


def share_failure_reasons(items: list[Any]) -> dict[str, str]:
    """Give a failure reason several items share once: those items carry ``#n``, and the
    returned table maps ``#n`` to the reason (empty when no reason repeats)."""
    reasons: Counter[str] = Counter(
        str(item["failure_reason"])
        for item in items
        if isinstance(item, dict) and isinstance(item.get("failure_reason"), str)
    )
    keys = {reason: f"#{n}" for n, reason in enumerate((r for r, c in reasons.items() if c > 1), 1)}
    for item in items:
        if isinstance(item, dict) and item.get("failure_reason") in keys:
            item["failure_reason"] = keys[item["failure_reason"]]
    return {key: reason for reason, key in keys.items()}


# -- filters the API may know better --------------------------------------------------------


def newer_value_note(what: str, value: str | None, known: Iterable[str]) -> str | None:
    """A note when a filter's value is not one this version knows: it went to the API as is."""
    if value is None:
        return None
    word = re.sub(r"[\s-]+", "_", value.strip()).upper()
    if word in set(known):
        return None
    return (
        f"{what} {word} is not one this version knows ({', '.join(known)}); it was passed to"
        " the API as is, which knows its own values."
    )

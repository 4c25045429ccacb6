"""Refusals that are conflicts with what exists: a task name taken in its space, a run that
has already ended.

A dry run checks both with reads, as the send would meet them.  When the API refuses a send
for either (a 422 for the name, a 400 for the cancel; it declares no 409 there), the refusal
is looked into the same way, so the user reads a conflict that says what to do rather than
"fix the request's arguments".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ax_tasks_mcp.service.errors import AxTasksError, ConflictError, ValidationError
from ax_tasks_mcp.service.lenient import normalize_enum
from ax_tasks_mcp.service.models import TERMINAL_STATUSES
from ax_tasks_mcp.service.resolve import iterate_pages
from ax_tasks_mcp.service.words import operation, quoted

if TYPE_CHECKING:
    from ax_tasks_mcp.service.models import Resource
    from ax_tasks_mcp.service.wire import ArizeApi

__all__ = ["name_taken", "refused_as_conflict", "run_ended"]

_PAGE = 100
R = TypeVar("R")


def name_taken(
    api: ArizeApi, name: str, space_id: str, label: str, *, other_than: str | None = None
) -> ConflictError | None:
    """The conflict of naming a task ``name`` in the space, if another task (not
    ``other_than``) has that name already."""

    def fetch(cursor: str | None) -> tuple[list[Resource], str | None]:
        page = api.list_page("tasks", limit=_PAGE, cursor=cursor, space_id=space_id, name=name)
        return page.items, page.next_cursor

    for task in iterate_pages(fetch, "tasks"):
        if task.get("name") == name and task.get("id") != other_than:
            return ConflictError(
                f"A task named {quoted(name)} already exists in {label}: {task.get('id')}. "
                "Task names are unique in a space: choose another name, or change that task "
                f"with {operation('update_task')}."
            )
    return None


def run_ended(run: Mapping[str, Any]) -> ConflictError | None:
    """The conflict of cancelling ``run``, if it has already ended."""
    status = normalize_enum(run.get("status"))
    if status not in TERMINAL_STATUSES:
        return None
    return ConflictError(
        f"Run {run.get('id')} has already ended ({status}): only a PENDING or RUNNING run can "
        f"be cancelled, so nothing was changed. See it with {operation('get_run')}; to stop "
        f"a later run of its task, list them with {operation('list_runs')}."
    )


def refused_as_conflict(send: Callable[[], R], conflict: Callable[[], ConflictError | None]) -> R:
    """``send()``; when the API refuses it as invalid, ``conflict()`` looks whether what exists
    is the reason, and that conflict is raised instead (the refusal otherwise)."""
    try:
        return send()
    except ValidationError as refused:
        try:
            found = conflict()
        except AxTasksError:
            found = None  # the look itself failed: the API's own refusal stands
        if found is not None:
            raise found from refused
        raise

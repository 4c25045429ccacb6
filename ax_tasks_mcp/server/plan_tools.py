"""The plan tool (toolset ``plans``): plan_tasks, read-only.

A model shows a user what a tasks file would change before they apply it with the CLI.  The
file comes as text, at most 1 MiB; the answer is compact: the counts, and for each task that
changes, its action and the fields that change (old, new), long values cut with a marker.
Applying stays with the CLI, where a person confirms it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any, Final

from mcp_types import CallToolResult
from pydantic import Field

from ax_tasks_mcp.server.calls import Ctx, call_service, tool_result
from ax_tasks_mcp.server.parameters import SpaceArg
from ax_tasks_mcp.server.toolkit import READ, Toolset

if TYPE_CHECKING:
    from ax_tasks_mcp import Plan, TaskChange, TasksService

__all__ = ["MAX_CONTENT", "PLANS"]

PLANS = Toolset("plans")

#: The largest file a model may send (characters).
MAX_CONTENT: Final = 1024 * 1024
#: Changes listed in one answer; the counts cover every task.
MAX_CHANGES: Final = 100
#: A value longer than this (as JSON) is cut.
MAX_VALUE: Final = 300
CUT: Final = "…[cut]"

PLAN: Final = {
    "type": "object",
    "required": ["summary", "changes"],
    "properties": {"changes": {"type": "array", "items": {"type": "object"}}},
}


@PLANS.tool(title="Plan a tasks file", effect=READ, output=PLAN)
async def plan_tasks(
    ctx: Ctx,
    content: Annotated[
        str,
        Field(
            description="A tasks file (YAML or JSON) in the tasks-file format.",
            min_length=1,
            max_length=MAX_CONTENT,
        ),
    ],
    space: SpaceArg = None,
    prune: Annotated[
        bool, Field(description="Also plan deleting tasks the file leaves out.")
    ] = False,
) -> CallToolResult:
    """What applying a tasks file would change, per task: create, update (fields old, new),
    replace or delete. Changes nothing (get_task shows a task as it is); the user applies the
    file with the ax-tasks CLI."""

    def planned(s: TasksService) -> dict[str, Any]:
        from ax_tasks_mcp import load_tasks
        from ax_tasks_mcp import plan_tasks as plan_spaces

        spaces = load_tasks(texts=[("content", content)])
        return _answer(plan_spaces(s, spaces, prune=prune, space=space))

    return tool_result(await call_service(ctx, "plan_tasks", planned))


def _answer(plan: Plan) -> dict[str, Any]:
    changed = [c for c in plan.changes if c.action != "unchanged"]
    answer: dict[str, Any] = {
        "summary": plan.totals(),  # the CLI's JSON speaks the same data
        "changes": [_change(c) for c in changed[:MAX_CHANGES]],
    }
    if len(changed) > MAX_CHANGES:
        answer["more_changes"] = len(changed) - MAX_CHANGES
    return answer


def _change(change: TaskChange) -> dict[str, Any]:
    item: dict[str, Any] = {"action": change.action, "task": change.name, "space": change.space}
    if change.task_id:
        item["id"] = change.task_id
    if change.replaced_by:
        item["replaced_by"] = list(change.replaced_by)
    if change.note:
        item["note"] = change.note
    if change.action == "create":
        item["fields"] = {f.field: _clip(f.new) for f in change.fields}
    elif change.action != "delete":
        item["fields"] = {f.field: [_clip(f.old), _clip(f.new)] for f in change.fields}
    return item


def _clip(value: Any) -> Any:
    """The value, or its JSON cut to MAX_VALUE characters with a marker."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return value if len(text) <= MAX_VALUE else text[: MAX_VALUE - len(CUT)] + CUT

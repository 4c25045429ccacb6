"""The lookup tools (toolset ``lookups``): list_spaces, list_projects, list_datasets,
list_evaluators, list_ai_integrations and list_experiments.

They list what the task tools take by name or ID, as summaries: id, name and the few fields
that tell one from another.  Each is one page of the service's list of the same name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mcp_types import CallToolResult

from ax_tasks_mcp.server.calls import Ctx, call_service, tool_result
from ax_tasks_mcp.server.listings import space_names, spans_spaces
from ax_tasks_mcp.server.outputs import lookup_page, lookup_summary
from ax_tasks_mcp.server.paging import render_page, scan
from ax_tasks_mcp.server.parameters import (
    DEFAULT_LIMIT,
    CursorArg,
    DatasetArg,
    LimitArg,
    NameFilterArg,
    SpaceArg,
)
from ax_tasks_mcp.server.toolkit import READ, Toolset

if TYPE_CHECKING:
    from ax_tasks_mcp import Page, TasksService

__all__ = ["LOOKUPS"]

LOOKUPS = Toolset("lookups")


async def _list_page(
    ctx: Ctx, plural: str, *, limit: int, cursor: str | None, **filters: Any
) -> CallToolResult:
    """One page of the service's lookup list ``plural``, as ``{plural: [...], next_cursor}``;
    each item says its space when the list spans every space."""
    tool = f"list_{plural}"

    def page(s: TasksService) -> dict[str, Any]:
        def fetch(at: str | None, size: int) -> Page:
            return s.list_lookup(plural, limit=size, cursor=at, **filters)

        found = scan(fetch, cursor, limit, tool=tool)
        across = (
            plural != "spaces"
            and not filters.get("dataset")
            and spans_spaces(s, filters.get("space"))
        )
        spaces = space_names(s) if across and found.items else None
        return render_page(plural, found, lambda item: lookup_summary(plural, item, spaces))

    return tool_result(await call_service(ctx, tool, page))


@LOOKUPS.tool(title="List spaces", effect=READ, output=lookup_page("spaces"))
async def list_spaces(
    ctx: Ctx, name: NameFilterArg = None, limit: LimitArg = DEFAULT_LIMIT, cursor: CursorArg = None
) -> CallToolResult:
    """The spaces the API key can see; pass one as `space` to the other tools, e.g.
    list_projects."""
    return await _list_page(ctx, "spaces", name=name, limit=limit, cursor=cursor)


@LOOKUPS.tool(title="List projects", effect=READ, output=lookup_page("projects"))
async def list_projects(
    ctx: Ctx,
    space: SpaceArg = None,
    name: NameFilterArg = None,
    limit: LimitArg = DEFAULT_LIMIT,
    cursor: CursorArg = None,
) -> CallToolResult:
    """A space's projects, whose spans create_evaluation_task can score."""
    return await _list_page(ctx, "projects", space=space, name=name, limit=limit, cursor=cursor)


@LOOKUPS.tool(title="List datasets", effect=READ, output=lookup_page("datasets"))
async def list_datasets(
    ctx: Ctx,
    space: SpaceArg = None,
    name: NameFilterArg = None,
    limit: LimitArg = DEFAULT_LIMIT,
    cursor: CursorArg = None,
) -> CallToolResult:
    """A space's datasets, what create_run_experiment_task runs over (list_experiments shows
    their experiments)."""
    return await _list_page(ctx, "datasets", space=space, name=name, limit=limit, cursor=cursor)


@LOOKUPS.tool(title="List evaluators", effect=READ, output=lookup_page("evaluators"))
async def list_evaluators(
    ctx: Ctx,
    space: SpaceArg = None,
    name: NameFilterArg = None,
    limit: LimitArg = DEFAULT_LIMIT,
    cursor: CursorArg = None,
) -> CallToolResult:
    """A space's evaluators, for create_evaluation_task's evaluators."""
    return await _list_page(ctx, "evaluators", space=space, name=name, limit=limit, cursor=cursor)


@LOOKUPS.tool(title="List AI integrations", effect=READ, output=lookup_page("ai_integrations"))
async def list_ai_integrations(
    ctx: Ctx,
    space: SpaceArg = None,
    name: NameFilterArg = None,
    limit: LimitArg = DEFAULT_LIMIT,
    cursor: CursorArg = None,
) -> CallToolResult:
    """LLM provider accounts, for ai_integration_id in create_run_experiment_task."""
    return await _list_page(
        ctx, "ai_integrations", space=space, name=name, limit=limit, cursor=cursor
    )


@LOOKUPS.tool(title="List experiments", effect=READ, output=lookup_page("experiments"))
async def list_experiments(
    ctx: Ctx,
    space: SpaceArg = None,
    dataset: DatasetArg = None,
    name: NameFilterArg = None,
    limit: LimitArg = DEFAULT_LIMIT,
    cursor: CursorArg = None,
) -> CallToolResult:
    """Experiments of a space or dataset, for experiment_ids in create_evaluation_task or
    trigger_task_run."""
    return await _list_page(
        ctx, "experiments", space=space, dataset=dataset, name=name, limit=limit, cursor=cursor
    )

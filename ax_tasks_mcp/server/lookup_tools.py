"""The MCP lookup tools: list_spaces, list_projects, list_datasets, list_evaluators,
list_ai_integrations and list_experiments.

They list what the task tools take by name or ID.  Each is one page of the service's list of
the same name; only the parameters (and so the schemas) differ.
"""

from __future__ import annotations

from typing import Annotated, Any

from mcp_types import CallToolResult

from ax_tasks_mcp.server.calls import Ctx, call_service, page_result
from ax_tasks_mcp.server.outputs import (
    AiIntegrationList,
    DatasetList,
    EvaluatorList,
    ExperimentList,
    ProjectList,
    SpaceList,
)
from ax_tasks_mcp.server.parameters import CursorArg, DatasetArg, LimitArg, NameFilterArg, SpaceArg

__all__ = [
    "list_ai_integrations",
    "list_datasets",
    "list_evaluators",
    "list_experiments",
    "list_projects",
    "list_spaces",
]


async def _list_page(ctx: Ctx, plural: str, **filters: Any) -> CallToolResult:
    """One page of the service's lookup list ``plural``, as ``{plural: [...], next_cursor}``."""
    page = await call_service(ctx, f"list_{plural}", lambda s: s.list_lookup(plural, **filters))
    return page_result(plural, page)


async def list_spaces(
    ctx: Ctx, name: NameFilterArg = None, limit: LimitArg = None, cursor: CursorArg = None
) -> Annotated[CallToolResult, SpaceList]:
    return await _list_page(ctx, "spaces", name=name, limit=limit, cursor=cursor)


async def list_projects(
    ctx: Ctx,
    space: SpaceArg = None,
    name: NameFilterArg = None,
    limit: LimitArg = None,
    cursor: CursorArg = None,
) -> Annotated[CallToolResult, ProjectList]:
    return await _list_page(ctx, "projects", space=space, name=name, limit=limit, cursor=cursor)


async def list_datasets(
    ctx: Ctx,
    space: SpaceArg = None,
    name: NameFilterArg = None,
    limit: LimitArg = None,
    cursor: CursorArg = None,
) -> Annotated[CallToolResult, DatasetList]:
    return await _list_page(ctx, "datasets", space=space, name=name, limit=limit, cursor=cursor)


async def list_evaluators(
    ctx: Ctx,
    space: SpaceArg = None,
    name: NameFilterArg = None,
    limit: LimitArg = None,
    cursor: CursorArg = None,
) -> Annotated[CallToolResult, EvaluatorList]:
    return await _list_page(ctx, "evaluators", space=space, name=name, limit=limit, cursor=cursor)


async def list_ai_integrations(
    ctx: Ctx,
    space: SpaceArg = None,
    name: NameFilterArg = None,
    limit: LimitArg = None,
    cursor: CursorArg = None,
) -> Annotated[CallToolResult, AiIntegrationList]:
    return await _list_page(
        ctx, "ai_integrations", space=space, name=name, limit=limit, cursor=cursor
    )


async def list_experiments(
    ctx: Ctx,
    space: SpaceArg = None,
    dataset: DatasetArg = None,
    name: NameFilterArg = None,
    limit: LimitArg = None,
    cursor: CursorArg = None,
) -> Annotated[CallToolResult, ExperimentList]:
    return await _list_page(
        ctx, "experiments", space=space, dataset=dataset, name=name, limit=limit, cursor=cursor
    )

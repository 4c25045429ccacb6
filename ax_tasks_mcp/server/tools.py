"""The MCP server over TasksService: which tools it offers, and how a call reaches one.

The tools are defined whole in ``task_tools``, ``run_tools`` and ``lookup_tools`` (one
:class:`Toolset` each); this module offers the toolsets the operator chose, leaves out what
``read_only`` or ``destructive=False`` forbid, checks arguments before the SDK validates them
and words every refusal for the model.  ``app`` holds the process entry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.shared.exceptions import MCPError
from mcp_types import CallToolResult, InputRequiredResult
from pydantic import ValidationError

from ax_tasks_mcp.server import compat
from ax_tasks_mcp.server.calls import Ctx, ServiceHandle, ShownError
from ax_tasks_mcp.server.features import add_features
from ax_tasks_mcp.server.identity import ICONS, WEBSITE_URL
from ax_tasks_mcp.server.lookup_tools import LOOKUPS
from ax_tasks_mcp.server.plan_tools import PLANS
from ax_tasks_mcp.server.run_tools import RUNS
from ax_tasks_mcp.server.schemas import ArgumentError, check_arguments, plain_errors
from ax_tasks_mcp.server.task_tools import TASKS
from ax_tasks_mcp.server.tool_spans import traced_tool_call
from ax_tasks_mcp.server.toolkit import ToolDef

if TYPE_CHECKING:
    from ax_tasks_mcp import TasksService

__all__ = [
    "ALL_TOOLS",
    "READ_TOOLS",
    "TOOLSETS",
    "WRITE_TOOLS",
    "ServiceHandle",
    "TasksMCPServer",
    "build_server",
]

SERVER_NAME = "ax-tasks"

INSTRUCTIONS = """\
Manage Arize AX tasks: evaluation tasks score a project's spans or a dataset's experiments;
run-experiment tasks run a prompt over a dataset. Tasks, spaces, projects, datasets,
evaluators and integrations are taken by exact name (case included) or ID; names are looked
up in `space` (name or ID; default: the configured space). Fixed values take any case. Runs
have IDs only. list_* tools return summaries and next_cursor; get_* the whole object.
"""

TOOLSETS: dict[str, tuple[ToolDef, ...]] = {
    kit.name: tuple(kit) for kit in (TASKS, RUNS, LOOKUPS, PLANS)
}
ALL_TOOLS: dict[str, ToolDef] = {d.name: d for kit in TOOLSETS.values() for d in kit}
WRITE_TOOLS: frozenset[str] = frozenset(n for n, d in ALL_TOOLS.items() if not d.read_only)
READ_TOOLS: frozenset[str] = frozenset(ALL_TOOLS) - WRITE_TOOLS

AsyncSleep = Callable[[float], Awaitable[object]]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class TasksMCPServer(MCPServer[Any]):
    """MCPServer with the service handle, the offered tools, and errors worded for the model."""

    def __init__(
        self,
        handle: ServiceHandle,
        offered: Iterable[ToolDef],
        *,
        why_not: dict[str, str],
        sleep: AsyncSleep = anyio.sleep,
        now: Callable[[], datetime] = _utcnow,
        asks_users: bool = True,
        **kwargs: Any,
    ) -> None:
        self.offered = {d.name: d for d in offered}
        super().__init__(tools=[d.build() for d in self.offered.values()], **kwargs)
        self.asks_users = asks_users  # False: confirmations take the confirm argument
        self.handle = handle
        self.sleep = sleep  # between polls of a wait: async, so a wait holds no thread
        self.now = now  # "24h" in a run window is back from this
        self._why_not = why_not

    @traced_tool_call
    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Ctx | None = None
    ) -> CallToolResult | InputRequiredResult:
        if name not in self.offered:
            reason = self._why_not.get(name)
            if reason is None:
                raise ToolError(f"Unknown tool {name!r}; tools/list shows the tools offered.")
            raise ShownError(f"{name} is not available: {reason} Nothing was changed.")
        tool = compat.registered_tool(self, name)
        assert tool is not None  # offered tools are all registered
        try:
            checked = check_arguments(name, tool.parameters, arguments, self.offered[name].hints)
            return await super().call_tool(name, checked, context)
        except ArgumentError as exc:
            raise ShownError(f"{exc}\nNothing was done.") from None
        except ToolError as exc:
            # The SDK prefixes "Error executing tool <name>: "; ours are written for the model.
            cause = exc.__cause__
            if isinstance(cause, ShownError):
                raise cause from None
            if compat.is_resolver_failure(exc):
                raise ShownError(
                    f"{name} could not read the user's answer to its question (it did not fit"
                    " the form asked). Nothing was changed; ask the user again."
                ) from None
            if isinstance(cause, ValidationError) and not isinstance(exc, UnexpectedToolError):
                raise ShownError(f"{plain_errors(cause)}\nNothing was done.") from None
            raise
        except MCPError as exc:
            # e.g. the client failed the confirmation question: an answer, not a protocol fault.
            raise ShownError(
                f"{name} could not complete: {exc.error.message}. Nothing was changed."
            ) from None


def _choose(
    toolsets: Iterable[str] | None, *, read_only: bool, destructive: bool
) -> tuple[list[ToolDef], dict[str, str]]:
    """The tools to offer, and for each one left out, why (said to a model that calls it)."""
    chosen = set(TOOLSETS) if toolsets is None else set(toolsets)
    unknown = chosen - set(TOOLSETS)
    if unknown:
        raise ValueError(
            f"unknown toolset {', '.join(sorted(unknown))}; choose from {', '.join(TOOLSETS)}"
        )
    offered: list[ToolDef] = []
    why_not: dict[str, str] = {}
    for name, tool in ALL_TOOLS.items():
        if tool.toolset not in chosen:
            why_not[name] = f"this server does not offer the {tool.toolset} tools."
        elif read_only and not tool.read_only:
            why_not[name] = (
                "this server was started read-only, so tasks and runs cannot be created,"
                " changed, triggered, cancelled or deleted."
            )
        elif tool.destructive and not destructive:
            why_not[name] = "this server never deletes tasks or cancels runs."
        else:
            offered.append(tool)
    return offered, why_not


def serve_only_what_exists(server: MCPServer[Any]) -> None:
    """Advertise prompts and resources only when there are some to serve.

    The SDK registers their handlers (and so their capabilities) whatever is registered; a
    client that sees them asks for lists that are always empty.  Call after adding any.
    """
    if not compat.has_prompts(server):
        compat.drop_request_handlers(server, ("prompts/list", "prompts/get"))
    if not compat.has_resources(server):
        methods = ("resources/list", "resources/read", "resources/templates/list")
        compat.drop_request_handlers(server, methods)


def build_server(
    service: TasksService | ServiceHandle,
    *,
    read_only: bool = False,
    toolsets: Iterable[str] | None = None,
    destructive: bool = True,
    sleep: AsyncSleep = anyio.sleep,
    now: Callable[[], datetime] = _utcnow,
    version: str = "",
    stateless: bool = False,
    state_keys: Sequence[str] = (),
) -> TasksMCPServer:
    """The MCP server over ``service`` (a TasksService, or a handle that creates one lazily).

    ``toolsets``: which of tasks, runs, lookups, plans to offer (default all); ``read_only``
    leaves out every tool that writes; ``stateless``: served by processes that keep nothing
    between requests, so confirmations need ``state_keys`` (shared request-state keys, the
    first seals) or fall back to the confirm argument; ``destructive=False`` leaves out
    delete_task and cancel_task_run.  ``sleep`` pauses a wait between polls and ``now`` tells
    the time (tests pass fake ones).
    """
    handle = service if isinstance(service, ServiceHandle) else ServiceHandle.of(service)
    offered, why_not = _choose(toolsets, read_only=read_only, destructive=destructive)
    security: dict[str, Any] = {}
    if state_keys:
        from mcp.server.mcpserver import RequestStateSecurity

        security["request_state_security"] = RequestStateSecurity(keys=list(state_keys))
    server = TasksMCPServer(
        handle,
        offered,
        why_not=why_not,
        sleep=sleep,
        now=now,
        # A question asked by one stateless process is answered to any: only a shared key
        # lets that one read the answer's sealed state.
        asks_users=not stateless or bool(state_keys),
        name=SERVER_NAME,
        title="Arize AX tasks",
        instructions=INSTRUCTIONS,
        version=version,
        website_url=WEBSITE_URL,
        icons=ICONS,
        log_level="WARNING",
        **security,
    )
    add_features(server, handle)
    serve_only_what_exists(server)
    return server

"""How a tool calls TasksService: in a worker thread, with errors written for the model.

The service is synchronous, so each call runs in a worker thread.  Errors the service raises
reach the model as tool errors carrying the service's own message (secrets redacted); anything
else is logged and reported as an internal error.  Waiting for a run forwards the service's
progress reports to the client as progress notifications.
"""

from __future__ import annotations

import json
import logging
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import anyio.from_thread
import anyio.to_thread
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent

if TYPE_CHECKING:
    from ax_tasks_mcp import AxTasksError, Resource, RunProgress, TasksService

# The service errors (and so httpx) are imported on the first tool call, not at start: a client's
# first tools/list should not wait for the API client's imports.

__all__ = [
    "Ctx",
    "ServiceHandle",
    "ShownError",
    "call_service",
    "page_result",
    "tool_result",
    "wait_with_progress",
]

logger = logging.getLogger("ax_tasks_mcp.mcp")

T = TypeVar("T")
Ctx = Context[Any, Any]


class ServiceHandle:
    """The TasksService behind the tools, created on first use.

    Listing tools never needs the service, so a server starts (and answers tools/list) without
    importing the API client or reading credentials.  A failed creation is retried on the next
    call and its error is shown to the model like any other.
    """

    def __init__(
        self,
        factory: Callable[[], TasksService],
        *,
        secrets: Sequence[str | None] = (),
    ) -> None:
        self._factory = factory
        self._service: TasksService | None = None
        self._lock = threading.Lock()
        self.secrets: list[str] = [s for s in secrets if s]

    @classmethod
    def of(cls, service: TasksService, *, secrets: Sequence[str | None] = ()) -> ServiceHandle:
        handle = cls(lambda: service, secrets=secrets)
        handle._service = service
        return handle

    def get(self) -> TasksService:
        with self._lock:
            if self._service is None:
                self._service = self._factory()
            return self._service

    def close(self) -> None:
        with self._lock:
            service, self._service = self._service, None
        if service is not None:
            service.close()


class ShownError(ToolError):
    """A tool error whose message is meant for the model, shown as is (no SDK prefix)."""


class _WaitAbandoned(Exception):
    """Raised inside the worker thread to stop polling once the tool call is gone."""


def _handle_of(ctx: Ctx) -> ServiceHandle:
    """The service handle of the server the call came to (a TasksMCPServer has one)."""
    handle = getattr(ctx.mcp_server, "handle", None)
    if not isinstance(handle, ServiceHandle):  # pragma: no cover - wiring error
        raise TypeError("these tools need a TasksMCPServer")
    return handle


def _message_for(exc: AxTasksError) -> str:
    """The text the model sees for a service error: its fields as parameters, its operations
    as tools."""
    from ax_tasks_mcp import ValidationError
    from ax_tasks_mcp.server.words import MCP_WORDS

    message = exc.render(MCP_WORDS)
    if isinstance(exc, ValidationError) and exc.valid_fields:
        missing = [f for f in exc.valid_fields if f not in message]
        if missing:
            message += " Valid fields for this task type: " + ", ".join(exc.valid_fields) + "."
    return message


async def call_service(
    ctx: Ctx, tool: str, work: Callable[[TasksService], T], *, write: bool = False
) -> T:
    """Run ``work(service)`` in a worker thread; service errors become tool errors.

    Reads are abandoned at once when the call is cancelled; a write is let finish (its answer
    is then dropped), so cancelling never leaves a write half-known.
    """
    from ax_tasks_mcp import AxTasksError, redact

    handle = _handle_of(ctx)

    def run() -> T:
        return work(handle.get())

    try:
        return await anyio.to_thread.run_sync(run, abandon_on_cancel=not write)
    except AxTasksError as exc:
        raise ShownError(redact(_message_for(exc), handle.secrets)) from None
    except (ToolError, _WaitAbandoned):
        raise
    except Exception as exc:
        details = "".join(traceback.format_exception(exc))
        logger.error("%s failed unexpectedly: %s", tool, redact(details, handle.secrets))
        raise ShownError(
            f"{tool} failed with an unexpected internal error ({type(exc).__name__}); the"
            " details are in the MCP server's log."
            + (" Check whether the change happened before retrying." if write else "")
        ) from None


def tool_result(data: Any) -> CallToolResult:
    """Structured content exactly as the API gave it, and the same JSON as text."""
    text = json.dumps(data, ensure_ascii=False, default=str)
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)


def page_result(key: str, page: Any) -> CallToolResult:
    """One page of a list, as ``{key: [...], next_cursor}``."""
    return tool_result({key: list(page.items), "next_cursor": page.next_cursor})


def _progress_text(p: RunProgress) -> str:
    text = (
        f"Run {p.run_id}: {p.status}, {p.num_successes} succeeded, {p.num_errors} errors,"
        f" {p.num_skipped} skipped ({p.elapsed:.0f}s elapsed)"
    )
    return f"{text}. {p.notice}" if p.notice else text


async def _report(ctx: Ctx, p: RunProgress) -> None:
    try:
        await ctx.report_progress(float(p.polls), None, _progress_text(p))
    except Exception:  # a client that went away must not break the wait
        logger.debug("progress notification failed", exc_info=True)


async def wait_with_progress(
    ctx: Ctx, tool: str, run_id: str, timeout: float, *, known: Resource | None = None
) -> Resource:
    """The service's own wait for a run, in a worker thread, its progress forwarded to the client.

    On cancellation the call returns at once; the worker stops at its next poll.
    """
    stop = threading.Event()

    def on_progress(p: RunProgress) -> None:
        if stop.is_set():
            raise _WaitAbandoned
        anyio.from_thread.run(_report, ctx, p)

    try:
        return await call_service(
            ctx,
            tool,
            lambda s: s.wait_for_run(run_id, timeout=timeout, on_progress=on_progress, known=known),
        )
    finally:
        stop.set()

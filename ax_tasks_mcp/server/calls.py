"""How a tool calls TasksService: in a worker thread, with errors written for the model.

The service is synchronous, so each call runs in a worker thread.  Errors the service raises
reach the model as tool errors carrying the service's own message (secrets redacted); anything
else is logged and reported as an internal error.  Waiting for a run polls in a worker thread
but pauses in the event loop (the server's async sleep), so open waits hold no thread; the
service's progress reports reach the client as progress notifications.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import traceback
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import anyio.to_thread
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent

from ax_tasks_mcp.server.clipping import AnswerTooLarge, cut_text, fit

if TYPE_CHECKING:
    from ax_tasks_mcp import AxTasksError, Resource, RunProgress, TasksService

# The service errors (and so httpx) are imported on the first tool call, not at start: a client's
# first tools/list should not wait for the API client's imports.

__all__ = [
    "Ctx",
    "ServiceHandle",
    "ShownError",
    "call_service",
    "now_of",
    "tool_result",
    "wait_with_progress",
]

logger = logging.getLogger("ax_tasks_mcp.mcp")

T = TypeVar("T")
#: Characters of an error message, at most (each quoted value in it is short already).
MAX_MESSAGE = 4_000
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
    """A tool error whose message is meant for the model, shown as is (no SDK prefix), and
    never longer than MAX_MESSAGE characters."""

    def __init__(self, message: str) -> None:
        super().__init__(cut_text(message, MAX_MESSAGE))


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
    except ToolError:
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
    """Structured content, and the same JSON, compact, as the text block; cut to fit the
    answer budget (``clipping``), so no data anyone wrote can flood the model.

    The text carries the data rather than a summary of it: several hosts hand the model only
    the text, so IDs and the cursor must be there.  Compact separators cut about a tenth.
    """
    try:
        data = fit(data)
    except AnswerTooLarge:
        raise ShownError(
            "The answer is too large to show, even cut down; ask for less (a smaller limit,"
            " or summaries instead of full objects)."
        ) from None
    text = json.dumps(data, ensure_ascii=False, default=str, separators=(",", ":"))
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=data)


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


AsyncSleep = Callable[[float], Awaitable[object]]


def now_of(ctx: Ctx) -> datetime:
    """The time now on the server's clock (tests give it a fake one)."""
    now = getattr(ctx.mcp_server, "now", None)
    return now() if callable(now) else datetime.now(UTC)


def _sleep_of(ctx: Ctx) -> AsyncSleep:
    sleep = getattr(ctx.mcp_server, "sleep", None)
    return sleep if callable(sleep) else anyio.sleep


async def wait_with_progress(
    ctx: Ctx, tool: str, run_id: str, timeout: float, *, known: Resource | None = None
) -> Resource:
    """The service's wait for a run, its progress forwarded to the client; a timeout is an answer.

    Each poll runs in a worker thread; the pauses between polls are async sleeps, so a long
    wait holds no thread and many waits at once cannot starve the other tools.  Returns the
    run with ``timed_out``: false when it finished, true when the time ran out first.
    """
    from ax_tasks_mcp import WaitTimeoutError

    reports: list[RunProgress] = []
    steps = await call_service(
        ctx,
        tool,
        lambda s: s.wait_steps(run_id, timeout=timeout, on_progress=reports.append, known=known),
    )

    def step(_: TasksService) -> tuple[float, Resource | None]:
        """One poll: the pause before the next, or the answer (timed_out set)."""
        try:
            return next(steps), None
        except StopIteration as done:
            return 0.0, {**done.value, "timed_out": False}
        except WaitTimeoutError as exc:
            if not isinstance(exc.last, dict):
                raise  # no poll ever succeeded: there is no run to show, only the error
            return 0.0, {**exc.last, "timed_out": True}

    sleep = _sleep_of(ctx)
    try:
        while True:
            pause, answer = await call_service(ctx, tool, step)
            for report in reports[:]:
                await _report(ctx, report)
            reports.clear()
            if answer is not None:
                return answer
            await sleep(pause)
    finally:
        with contextlib.suppress(ValueError):  # a poll abandoned mid-way still owns it
            steps.close()

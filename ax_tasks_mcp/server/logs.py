"""The server's logs: plain lines on stderr, and MCP log notifications to the client.

On stderr every record is one plain line (no colours, no wrapping, newlines escaped) when stderr
is not a terminal, so a host that keeps the log keeps one record per line; on a terminal a
traceback may take its usual lines.

To the client, the records of ax-tasks' own loggers that are written while serving a request
(the API requests it made, retries, failures) go as ``notifications/message`` on that request,
at the level the client chose: ``logging/setLevel`` on the 2025-11-25 protocol (until it is
called, warnings and worse), the request's ``io.modelcontextprotocol/logLevel`` on 2026-07-28
(nothing without it).  Secrets are redacted before anything leaves.
"""

from __future__ import annotations

import contextvars
import logging
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, TextIO, get_args

import anyio.from_thread
import anyio.lowlevel
from mcp.server.connection import allowed_log_levels
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp_types import (
    EmptyResult,
    LoggingLevel,
    LoggingMessageNotification,
    LoggingMessageNotificationParams,
    SetLevelRequestParams,
)
from mcp_types.version import MODERN_PROTOCOL_VERSIONS

from ax_tasks_mcp.server import compat

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer
    from mcp.server.session import ServerSession

    from ax_tasks_mcp.server.calls import ServiceHandle

__all__ = ["CLIENT_HANDLER", "PlainFormatter", "add_client_logging", "configure_stderr"]

#: The loggers whose records may reach the client: ours, not the SDK's or the web server's.
CLIENT_LOGGERS: Final = ("ax_tasks", "ax_tasks_mcp")
#: Requests whose work is worth telling the client about.
LOGGED_METHODS: Final = frozenset(
    {"tools/call", "resources/read", "prompts/get", "completion/complete"}
)
LEGACY_DEFAULT: Final[LoggingLevel] = "warning"
_LEVELS: Final[tuple[LoggingLevel, ...]] = get_args(LoggingLevel)
_LEVEL_KEY: Final = "ax_tasks.log_level"
_STDERR_FORMAT: Final = "%(asctime)s %(levelname)s %(name)s: %(message)s"

timer = time.perf_counter


class PlainFormatter(logging.Formatter):
    """A record as plain text with secrets redacted; with ``one_line``, traceback included on
    one line (newlines become a visible ``\\n``)."""

    def __init__(self, fmt: str, *, one_line: bool = True, secrets: Sequence[str] = ()) -> None:
        super().__init__(fmt)
        self.one_line = one_line
        self.secrets = list(secrets)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        if self.secrets:
            from ax_tasks_mcp import redact

            text = redact(text, self.secrets)
        return text.replace("\r", "\\r").replace("\n", "\\n") if self.one_line else text


def configure_stderr(
    level: str, stream: TextIO | None = None, *, secrets: Sequence[str | None] = ()
) -> logging.Handler:
    """Send every log record at ``level`` or above to stderr as plain lines, ``secrets``
    redacted (a request URL at DEBUG may carry what a user typed).

    Installed on the root logger before the MCP SDK configures its own (a rich, wrapping
    console handler), which it then leaves alone.
    """
    stream = stream if stream is not None else sys.stderr
    handler = logging.StreamHandler(stream)
    handler.setLevel(level)  # our loggers pass debug records on for the client's sake
    is_tty = bool(getattr(stream, "isatty", lambda: False)())
    kept = [s for s in secrets if s]
    handler.setFormatter(PlainFormatter(_STDERR_FORMAT, one_line=not is_tty, secrets=kept))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in CLIENT_LOGGERS:  # a client may ask for debug lines; stderr keeps its level
        logging.getLogger(name).setLevel(logging.DEBUG)
    return handler


def _mcp_level(levelno: int) -> LoggingLevel:
    if levelno >= logging.CRITICAL:
        return "critical"
    if levelno >= logging.ERROR:
        return "error"
    if levelno >= logging.WARNING:
        return "warning"
    if levelno >= logging.INFO:
        return "info"
    return "debug"


@dataclass
class _RequestLog:
    """Where the records written while serving one request go."""

    session: ServerSession
    request_id: Any
    allowed: frozenset[LoggingLevel]
    secrets: Sequence[str]
    token: Any
    loop_thread: int
    pending: list[LoggingMessageNotification] = field(default_factory=list)

    async def send(self, note: LoggingMessageNotification) -> None:
        await self.session.send_notification(note, related_request_id=self.request_id)

    async def flush(self) -> None:
        pending, self.pending = self.pending, []
        for note in pending:
            await self.send(note)


_current: contextvars.ContextVar[_RequestLog | None] = contextvars.ContextVar(
    "ax_tasks_request_log", default=None
)


class ClientLogHandler(logging.Handler):
    """Forwards records to the client of the request being served (if it asked for them)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(PlainFormatter("%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        target = _current.get()
        if target is None:
            return
        level = _mcp_level(record.levelno)
        if level not in target.allowed:
            return
        from ax_tasks_mcp import redact

        note = LoggingMessageNotification(
            params=LoggingMessageNotificationParams(
                level=level, logger=record.name, data=redact(self.format(record), target.secrets)
            )
        )
        if threading.get_ident() == target.loop_thread:
            target.pending.append(note)  # cannot await here: sent before the response
            return
        try:
            anyio.from_thread.run(target.send, note, token=target.token)
        except Exception:  # a request already answered or a client gone: drop the line
            return


#: One handler for every server in the process: a record is forwarded once, to its request.
CLIENT_HANDLER: Final = ClientLogHandler()


def _levels_from(level: LoggingLevel) -> frozenset[LoggingLevel]:
    return frozenset(_LEVELS[_LEVELS.index(level) :])


def _allowed(ctx: ServerRequestContext[Any, Any]) -> frozenset[LoggingLevel]:
    if ctx.protocol_version in MODERN_PROTOCOL_VERSIONS:  # the request's own opt-in decides
        return allowed_log_levels(ctx.protocol_version, ctx.meta)
    chosen = compat.connection_state(ctx.session).get(_LEVEL_KEY, LEGACY_DEFAULT)
    return _levels_from(chosen)


async def set_level(
    ctx: ServerRequestContext[Any, Any], params: SetLevelRequestParams
) -> EmptyResult:
    """``logging/setLevel``: the level and above, for the rest of this connection."""
    compat.connection_state(ctx.session)[_LEVEL_KEY] = params.level
    return EmptyResult()


class RequestLogging:
    """Middleware: the records written while serving a request go to its client."""

    def __init__(self, handle: ServiceHandle) -> None:
        self._handle = handle

    async def __call__(
        self, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        return await _serve_logged(ctx, call_next, self._handle.secrets)


async def _serve_logged(
    ctx: ServerRequestContext[Any, Any], call_next: CallNext, secrets: Sequence[str]
) -> HandlerResult:
    if ctx.method not in LOGGED_METHODS or ctx.request_id is None:
        return await call_next(ctx)
    allowed = _allowed(ctx)
    if not allowed:
        return await call_next(ctx)
    target = _RequestLog(
        ctx.session,
        ctx.request_id,
        allowed,
        secrets,
        anyio.lowlevel.current_token(),
        threading.get_ident(),
    )
    reset = _current.set(target)
    started = timer()
    try:
        result = await call_next(ctx)
        params = ctx.params or {}
        what = " ".join(str(p) for p in (ctx.method, params.get("name") or params.get("uri")) if p)
        logging.getLogger("ax_tasks_mcp.mcp").debug(
            "%s served in %.0f ms", what, (timer() - started) * 1000
        )
        return result
    finally:
        _current.reset(reset)
        await target.flush()


def add_client_logging(server: MCPServer[Any], handle: ServiceHandle) -> None:
    """Serve ``logging/setLevel`` and forward ax-tasks' log records to the client."""
    compat.add_request_handler(server, "logging/setLevel", SetLevelRequestParams, set_level)
    server.middleware.append(RequestLogging(handle))
    for name in CLIENT_LOGGERS:
        logger = logging.getLogger(name)
        if CLIENT_HANDLER not in logger.handlers:
            logger.addHandler(CLIENT_HANDLER)

"""Subscribing to a run's resource, in both protocol eras.

A subscription to ``arize-run://{run_id}`` watches the run with the service's own wait (its
clock, its polling backoff) in a thread of its own, and tells the client each time the run's
status or counts change, the last time when it is final; then the watch ends by itself.

* 2025-11-25: ``resources/subscribe`` starts the watch; updates go out as
  ``notifications/resources/updated`` on the connection, so this needs the one long-lived
  connection (stdio, or stateful HTTP).  Unsubscribing, or the client going away, stops it.
* 2026-07-28: a ``subscriptions/listen`` request naming run URIs starts one watch per run; the
  updates reach that listen stream through the SDK's subscription bus, and the watches stop
  when the stream ends.  The stream is one request, so this works on stateless HTTP too.  A
  server built with ``subscriptions=False`` serves no listen, and so watches nothing here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

import anyio.from_thread
import anyio.lowlevel
import anyio.to_thread
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.shared.exceptions import MCPError
from mcp.shared.subscriptions import ResourceUpdated
from mcp_types import INVALID_PARAMS, EmptyResult, SubscribeRequestParams, UnsubscribeRequestParams

from ax_tasks_mcp.server import compat
from ax_tasks_mcp.server.resources import RUN_TEMPLATE, run_id_of

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer
    from mcp.server.session import ServerSession
    from mcp.server.subscriptions import SubscriptionBus

    from ax_tasks_mcp import RunProgress
    from ax_tasks_mcp.server.calls import ServiceHandle

__all__ = [
    "MAX_WATCHES",
    "WATCH_LIMIT",
    "RunWatches",
    "add_run_subscriptions",
    "drop_run_subscriptions",
]

logger = logging.getLogger("ax_tasks_mcp.mcp")

#: A watch gives up after this long (seconds on the service's clock).
WATCH_LIMIT: Final = 24 * 3600.0
#: Runs one connection may watch at once.
MAX_WATCHES: Final = 20
_STATE_KEY: Final = "ax_tasks.run_watches"


class _Stopped(Exception):
    """Raised inside a watch's thread to end the service's wait."""


class _Watch:
    """One run watched for one connection."""

    def __init__(self, uri: str, run_id: str, notify: Callable[[], None]) -> None:
        self.uri = uri
        self.run_id = run_id
        self._notify = notify
        self.stop = threading.Event()
        self._last: tuple[str, int, int, int] | None = None

    def _changed(self, key: tuple[str, int, int, int]) -> None:
        if self.stop.is_set():
            raise _Stopped
        if key != self._last:
            self._last = key
            self._notify()

    def on_progress(self, p: RunProgress) -> None:
        self._changed((p.status, p.num_successes, p.num_errors, p.num_skipped))

    def on_final(self, run: dict[str, Any]) -> None:
        counts = [run.get(k) for k in ("num_successes", "num_errors", "num_skipped")]
        ints = [c if isinstance(c, int) else 0 for c in counts]
        self._changed((str(run.get("status")), ints[0], ints[1], ints[2]))


class RunWatches:
    """The run watches of every connection of one server."""

    def __init__(self, handle: ServiceHandle, bus: SubscriptionBus) -> None:
        self._handle = handle
        self._bus = bus

    @staticmethod
    def of(session: ServerSession) -> dict[str, _Watch]:
        """The watches of the session's connection; they stop when it closes."""
        state = compat.connection_state(session)
        watches: dict[str, _Watch] | None = state.get(_STATE_KEY)
        if watches is None:
            watches = state[_STATE_KEY] = {}
            every = watches

            def stop_all_watches() -> None:
                for watch in list(every.values()):
                    watch.stop.set()
                every.clear()

            compat.on_connection_close(session, stop_all_watches)
        return watches

    async def subscribe(
        self, ctx: ServerRequestContext[Any, Any], params: SubscribeRequestParams
    ) -> EmptyResult:
        uri = str(params.uri)
        run_id = run_id_of(uri)
        if run_id is None:
            raise MCPError(
                code=INVALID_PARAMS,
                message=f"Only runs can be subscribed to ({RUN_TEMPLATE}); {uri!r} is not one.",
            )
        watches = self.of(ctx.session)
        if uri in watches:
            return EmptyResult()
        if len(watches) >= MAX_WATCHES:
            raise MCPError(
                code=INVALID_PARAMS,
                message=f"At most {MAX_WATCHES} runs can be watched at once; unsubscribe"
                " from one first.",
            )
        run = await self._first_read(run_id)
        self._start(_Watch(uri, run_id, self._notifier(ctx.session, uri)), run, watches)
        return EmptyResult()

    async def unsubscribe(
        self, ctx: ServerRequestContext[Any, Any], params: UnsubscribeRequestParams
    ) -> EmptyResult:
        watch = self.of(ctx.session).pop(str(params.uri), None)
        if watch is not None:
            watch.stop.set()
        return EmptyResult()

    async def listen(
        self, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        """Middleware: while a ``subscriptions/listen`` stream naming runs is open, watch them."""
        if ctx.method != "subscriptions/listen":
            return await call_next(ctx)
        watches: dict[str, _Watch] = {}
        for uri in _listened_runs(ctx.params)[:MAX_WATCHES]:
            run_id = run_id_of(uri)
            try:
                run = await self._first_read(run_id or "")
            except MCPError:  # an unknown run is honoured and never fires, as the SDK does
                continue
            self._start(_Watch(uri, run_id or "", self._publisher(uri)), run, watches)
        try:
            return await call_next(ctx)
        finally:
            for watch in watches.values():
                watch.stop.set()

    def _start(self, watch: _Watch, run: dict[str, Any], watches: dict[str, _Watch]) -> None:
        watches[watch.uri] = watch
        thread = threading.Thread(
            target=self._watch, args=(watch, run, watches), name=f"watch {watch.run_id}"
        )
        thread.daemon = True
        thread.start()

    async def _first_read(self, run_id: str) -> dict[str, Any]:
        """The run as it is now; a run that does not exist is refused at once."""
        from ax_tasks_mcp import AxTasksError, redact

        try:
            run: dict[str, Any] = await anyio.to_thread.run_sync(
                lambda: self._handle.get().get_run(run_id), abandon_on_cancel=True
            )
        except AxTasksError as exc:
            raise MCPError(
                code=INVALID_PARAMS, message=redact(exc.message, self._handle.secrets)
            ) from None
        return run

    @staticmethod
    def _notifier(session: ServerSession, uri: str) -> Callable[[], None]:
        token = anyio.lowlevel.current_token()

        def notify() -> None:
            anyio.from_thread.run(session.send_resource_updated, uri, token=token)

        return notify

    def _publisher(self, uri: str) -> Callable[[], None]:
        token = anyio.lowlevel.current_token()
        event = ResourceUpdated(uri=uri)

        def publish() -> None:
            anyio.from_thread.run(self._bus.publish, event, token=token)

        return publish

    def _watch(self, watch: _Watch, run: dict[str, Any], watches: dict[str, _Watch]) -> None:
        """The watch's thread: wait for the run, telling the client of each change."""
        from ax_tasks_mcp import AxTasksError

        watch.on_final(run)  # what the client read is the baseline: no notification for it
        try:
            final = self._handle.get().wait_for_run(
                watch.run_id, timeout=WATCH_LIMIT, on_progress=watch.on_progress, known=run
            )
            watch.on_final(final)
        except _Stopped:
            return
        except AxTasksError as exc:
            logger.info("stopped watching run %s: %s", watch.run_id, exc.message)
        except Exception:  # a client gone mid-notification must not leave a traceback behind
            logger.debug("watch of run %s ended", watch.run_id, exc_info=True)
        finally:
            if watches.get(watch.uri) is watch:
                del watches[watch.uri]


def _listened_runs(params: Any) -> list[str]:
    """The run URIs a raw subscriptions/listen request names."""
    wanted = params.get("notifications") if isinstance(params, Mapping) else None
    uris = wanted.get("resourceSubscriptions") if isinstance(wanted, Mapping) else None
    if not isinstance(uris, list):
        return []
    return [u for u in dict.fromkeys(uris) if isinstance(u, str) and run_id_of(u)]


def add_run_subscriptions(server: MCPServer[Any], handle: ServiceHandle) -> RunWatches:
    """Serve run subscriptions on ``server``: resources/subscribe and resources/unsubscribe
    (2025-11-25), and watches for the runs a subscriptions/listen names (2026-07-28)."""
    # The SDK's bus behind subscriptions/listen (what ctx.notify_resource_updated publishes to).
    watches = RunWatches(handle, compat.subscription_bus(server))
    if compat.has_request_handler(server, "subscriptions/listen"):  # not when built
        server.middleware.append(watches.listen)  # with subscriptions=False
    compat.add_request_handler(
        server, "resources/subscribe", SubscribeRequestParams, watches.subscribe
    )
    compat.add_request_handler(
        server, "resources/unsubscribe", UnsubscribeRequestParams, watches.unsubscribe
    )
    return watches


def drop_run_subscriptions(server: MCPServer[Any]) -> None:
    """Serve no resources/subscribe (stateless HTTP keeps no connection to send its updates
    on), so the 2025-11-25 capabilities say ``subscribe: false``; a 2026-07-28 listen stream
    still carries run updates."""
    compat.drop_request_handlers(server, ("resources/subscribe", "resources/unsubscribe"))

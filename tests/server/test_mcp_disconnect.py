"""A client that hangs up in the middle of a wait stops it: the server polls no more.

The server runs in the test's event loop, served by uvicorn on 127.0.0.1; a raw HTTP client
starts wait_for_task_run on a run that never ends, and drops its connection once the wait is
pausing between polls.  The pause is the server's own (injected), so nothing sleeps: the test
waits for events, and the wait must end by cancellation, with no poll after the hang-up.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import anyio
import httpx
import pytest
import uvicorn

from ax_tasks_mcp import RunRequest
from ax_tasks_mcp.server.app import build_server, http_app
from ax_tasks_mcp.service.connect import TasksService
from tests.server.mcp_helpers import SPACE

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
CLIENT = {"name": "hangs-up", "version": "0"}


class Gate:
    """The server's pause between polls: it never ends by itself; cancelling it is seen."""

    def __init__(self) -> None:
        self.pauses = 0
        self.pausing = anyio.Event()
        self.cancelled = anyio.Event()

    async def pause(self, seconds: float) -> None:
        self.pauses += 1
        self.pausing.set()
        try:
            await anyio.sleep_forever()
        except anyio.get_cancelled_exc_class():
            self.cancelled.set()
            raise


@asynccontextmanager
async def served(app: Any) -> AsyncIterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    async with anyio.create_task_group() as tg:
        tg.start_soon(server.serve, [sock])
        try:
            yield f"http://127.0.0.1:{sock.getsockname()[1]}/mcp"
        finally:
            server.should_exit = True
    sock.close()


async def _headers(http: httpx.AsyncClient, url: str, protocol: str) -> dict[str, str]:
    """The headers each request carries: a session's on 2025-11-25, none needed on 2026."""
    headers = {**HEADERS, "mcp-protocol-version": protocol}
    if protocol == "2026-07-28":
        return headers
    hello = {"protocolVersion": protocol, "capabilities": {}, "clientInfo": CLIENT}
    answer = await http.post(
        url,
        json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": hello},
        headers=HEADERS,
    )
    headers["mcp-session-id"] = answer.headers["mcp-session-id"]
    note = {"jsonrpc": "2.0", "method": "notifications/initialized"}
    await http.post(url, json=note, headers=headers)
    return headers


def _wait_call(run_id: str, protocol: str) -> dict[str, Any]:
    params: dict[str, Any] = {
        "name": "wait_for_task_run",
        "arguments": {"run_id": run_id, "timeout_seconds": 3600},
    }
    if protocol == "2026-07-28":
        params["_meta"] = {
            "io.modelcontextprotocol/protocolVersion": protocol,
            "io.modelcontextprotocol/clientCapabilities": {},
            "io.modelcontextprotocol/clientInfo": CLIENT,
        }
    return {"jsonrpc": "2.0", "id": 7, "method": "tools/call", "params": params}


async def _read_all(http: httpx.AsyncClient, request: httpx.Request) -> None:
    response = await http.send(request, stream=True)
    await response.aread()


async def test_a_client_that_hangs_up_stops_its_wait(service: TasksService, protocol: str) -> None:
    start = datetime(2026, 3, 6, tzinfo=UTC)
    run = service.trigger_run(
        "chatbot-hallucination", RunRequest(data_start_time=start), space=SPACE
    )
    gate = Gate()
    app = http_app(build_server(service, sleep=gate.pause))
    with anyio.fail_after(30):
        async with served(app) as url:
            async with httpx.AsyncClient(timeout=30) as http:
                headers = await _headers(http, url, protocol)
                routed = {**headers, "mcp-method": "tools/call", "mcp-name": "wait_for_task_run"}
                call = _wait_call(run["id"], protocol)
                request = http.build_request("POST", url, json=call, headers=routed)
                async with anyio.create_task_group() as calling:
                    calling.start_soon(_read_all, http, request)
                    await gate.pausing.wait()  # the wait polled once and pauses until the next
                    calling.cancel_scope.cancel()  # hang up, mid-wait
            await gate.cancelled.wait()
            assert gate.pauses == 1  # no poll after the hang-up

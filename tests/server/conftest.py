"""Fixtures for the MCP server tests: a sandbox per test, fake time, in-process clients.

Every in-process test runs under both protocol versions mcp 2.3 negotiates with an in-process
server: the initialize handshake (``mode="legacy"``, 2025-11-25) and the stateless per-request
envelope (a pinned modern version, 2026-07-28).  Time is fake: the service's sleep moves both its
monotonic clock and the sandbox's wall clock, so simulated runs progress and nothing sleeps.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer

from ax_tasks_mcp.server import app as entry
from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.service.connect import TasksService
from tests.server.mcp_helpers import PROTOCOLS, START, make_service
from tests.support.clock import FakeTime


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime(START)


@pytest.fixture
def sandbox_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "sandbox.db"
    monkeypatch.setenv("AX_TASKS_SANDBOX_DB", str(path))
    return path


@pytest.fixture
def service(sandbox_db: Path, fake_time: FakeTime) -> Iterator[TasksService]:
    svc = make_service(sandbox_db, fake_time)
    yield svc
    svc.close()


@pytest.fixture
def server(service: TasksService, fake_time: FakeTime) -> MCPServer[Any]:
    return build_server(service, sleep=fake_time.pause, now=fake_time.now)


@pytest.fixture(
    params=[
        version
        if version == max(PROTOCOLS)
        else pytest.param(version, marks=pytest.mark.older_protocol)
        for version in PROTOCOLS
    ]
)
def protocol(request: pytest.FixtureRequest) -> str:
    """Each in-process MCP test runs under both protocol versions (the fast loop, ``--fast``,
    under the newest alone)."""
    return str(request.param)


Connect = Callable[..., Client]


@pytest.fixture
def connect(protocol: str) -> Connect:
    """``connect(server, **client_options)``: a Client speaking the test's protocol version."""

    def _connect(target: Any, **options: Any) -> Client:
        return Client(target, mode=PROTOCOLS[protocol], **options)

    return _connect


@pytest.fixture
async def client(server: MCPServer[Any], connect: Connect, protocol: str) -> AsyncIterator[Client]:
    async with connect(server) as c:
        assert c.protocol_version == protocol
        yield c


@pytest.fixture
def would_serve(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What main would serve, without serving: the server options and the token it chose."""
    seen: dict[str, Any] = {}
    real_build = entry.build_server

    def build(service: Any, **options: Any) -> Any:
        seen["options"] = options
        return real_build(service, **options)

    def serve(server: Any, args: Any, token: str | None, limits: tuple[int, float]) -> None:
        seen["token"] = token
        seen["tools"] = sorted(server.offered)
        seen["limits"] = limits
        seen["server"] = server

    monkeypatch.setattr(entry, "build_server", build)
    monkeypatch.setattr(entry, "_serve_http", serve)
    return seen

"""Scale out: two `ax-tasks-mcp --transport http --stateless` processes on two loopback ports,
behind a round-robin proxy on loopback that sends one client's consecutive requests to them in
turn.  Every call succeeds, and a task one process creates the other reads: no state lives in a
process.  A confirmation one process asks, the other finishes, because they share a
request-state key (without one, the tools take the confirm argument instead of failing on the
other process: tests/server/test_mcp_deployment.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp.client.streamable_http import streamable_http_client
from mcp_types import ElicitRequestParams, ElicitResult

from ax_tasks_mcp.server import app as entry
from ax_tasks_mcp.server.sessions import STATE_KEY_ENV
from tests.server.conftest import Connect
from tests.server.mcp_helpers import SPACE, error, ok
from tests.server.test_mcp_e2e import http_server
from tests.server.test_resources import new_task
from tests.support.round_robin import RoundRobinProxy, round_robin

STATE_KEY = "k" * 16 + "e" * 16 + "y" * 16  # 48 characters: a shared request-state key


class Yes:
    """A user who agrees to every question; counts them."""

    def __init__(self) -> None:
        self.asked = 0

    async def __call__(self, context: Any, params: ElicitRequestParams) -> ElicitResult:
        self.asked += 1
        return ElicitResult(action="accept", content={"confirm": True})


@asynccontextmanager
async def balanced(
    tmp_path: Path, env: dict[str, str] | None = None
) -> AsyncIterator[tuple[RoundRobinProxy, str]]:
    """Two stateless processes behind a round-robin proxy; (the proxy, its MCP URL)."""
    async with AsyncExitStack() as stack:
        servers = [
            await stack.enter_async_context(http_server(tmp_path, "--stateless", env=env))
            for _ in range(2)
        ]
        assert servers[0].process.pid != servers[1].process.pid
        backends = [s.url.removesuffix("/mcp") for s in servers]
        assert backends[0] != backends[1]
        proxy = await stack.enter_async_context(round_robin(backends))
        yield proxy, f"{proxy.url}/mcp"


@pytest.mark.anyio
@pytest.mark.e2e
async def test_calls_and_a_confirmation_are_served_by_either_process(
    tmp_path: Path, connect: Connect, protocol: str
) -> None:
    user = Yes()
    with anyio.fail_after(120):
        async with (
            balanced(tmp_path, env={STATE_KEY_ENV: STATE_KEY}) as (proxy, url),
            connect(streamable_http_client(url), elicitation_callback=user) as client,
        ):
            assert client.protocol_version == protocol
            results: list[Any] = [ok(await client.call_tool("list_spaces", {}))]
            created = await new_task(client, "scaled-out")
            for _ in range(3):
                before = len(proxy.sent)
                read = ok(await client.call_tool("get_task", {"task": created["id"]}))
                results.append(read)
                assert read["name"] == "scaled-out"
                assert proxy.sent[before] != proxy.sent[before - 1]  # the other process
            results.append(await client.read_resource(f"arize-task://{SPACE}/scaled-out"))
            if protocol == "2025-11-25":  # the handshake said there are no subscriptions
                resources = client.server_capabilities.resources
                assert resources is not None
                assert resources.subscribe is False

            before = len(proxy.sent)
            deleted = await client.call_tool("delete_task", {"task": created["id"]})
            rounds = proxy.sent[before:]
            if protocol == "2026-07-28":
                # The question and the answer: two requests, each to another process.
                assert ok(deleted)["deleted"] is True
                assert user.asked == 1
                assert len(set(rounds)) == 2
            else:  # a stateless 2025-11-25 server cannot ask mid-call: confirm=true it is
                assert "needs confirm=true" in error(deleted)
                assert user.asked == 0
                again = {"task": created["id"], "confirm": True}
                assert ok(await client.call_tool("delete_task", again))["deleted"] is True
            listed = ok(await client.call_tool("list_tasks", {"space": SPACE, "limit": 100}))
    assert created["id"] not in {t["id"] for t in listed["tasks"]}
    assert set(proxy.sent) == set(proxy.backends)
    assert len(results) == 5


def test_stateless_is_for_http_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert entry.main(["--stateless", "--sandbox"]) == 2
    assert "--stateless applies to --transport http only" in capsys.readouterr().err

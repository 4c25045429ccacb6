"""Scale out: two `ax-tasks-mcp --transport http --stateless` processes on two loopback ports,
and one client whose consecutive requests a round-robin balancer sends to them in turn.  Every
call succeeds, and a task one process creates the other reads: no state lives in a process.
A confirmation one process asks, another finishes when they share a request-state key; without
one, the tools take the confirm argument instead of failing on the other process.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp_types import ElicitRequestParams, ElicitResult

from ax_tasks_mcp.server import app as entry
from ax_tasks_mcp.server.sessions import STATE_KEY_ENV
from tests.server.conftest import Connect
from tests.server.mcp_helpers import SPACE, error, ok
from tests.server.test_mcp_e2e import http_server
from tests.server.test_resources import new_task
from tests.support.round_robin import RoundRobinProxy, round_robin


class RoundRobin(httpx2.AsyncBaseTransport):
    """A load balancer in miniature: each request goes to the next backend port, in turn."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.sent: list[tuple[str, int]] = []  # (HTTP method, backend port)
        self._inner = httpx2.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        port = self.ports[len(self.sent) % len(self.ports)]
        self.sent.append((request.method, port))
        request.url = request.url.copy_with(port=port)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class Yes:
    """A user who agrees to every question; counts them."""

    def __init__(self) -> None:
        self.asked = 0

    async def __call__(self, context: Any, params: ElicitRequestParams) -> ElicitResult:
        self.asked += 1
        return ElicitResult(action="accept", content={"confirm": True})


@pytest.mark.anyio
@pytest.mark.e2e
async def test_consecutive_calls_land_on_different_processes(
    tmp_path: Path, connect: Connect, protocol: str
) -> None:
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(http_server(tmp_path, "--stateless"))
        second = await stack.enter_async_context(http_server(tmp_path, "--stateless"))
        assert first.process.pid != second.process.pid
        ports = [httpx2.URL(s.url).port or 0 for s in (first, second)]
        assert ports[0] != ports[1]
        balancer = RoundRobin(ports)
        http = await stack.enter_async_context(
            httpx2.AsyncClient(transport=balancer, timeout=httpx2.Timeout(30, read=120))
        )
        user = Yes()
        with anyio.fail_after(120):
            async with connect(
                streamable_http_client(first.url, http_client=http), elicitation_callback=user
            ) as client:
                assert client.protocol_version == protocol
                results: list[Any] = [ok(await client.call_tool("list_spaces", {}))]
                created = ok(
                    await client.call_tool(
                        "create_evaluation_task",
                        {
                            "space": SPACE,
                            "name": "scaled-out",
                            "task_type": "TEMPLATE_EVALUATION",
                            "project": "chatbot",
                            "evaluators": [{"evaluator": "relevance"}],
                        },
                    )
                )
                for _ in range(3):
                    before = len(balancer.sent)
                    read = ok(await client.call_tool("get_task", {"task": created["id"]}))
                    results.append(read)
                    assert read["name"] == "scaled-out"
                    assert balancer.sent[before][1] != balancer.sent[before - 1][1]
                results.append(await client.read_resource(f"arize-task://{SPACE}/scaled-out"))
                if protocol == "2025-11-25":  # the handshake said there are no subscriptions
                    resources = client.server_capabilities.resources
                    assert resources is not None
                    assert resources.subscribe is False
                # No shared request-state key: no question another process could not finish.
                refused = error(await client.call_tool("delete_task", {"task": created["id"]}))
                assert "Invalid or expired" not in refused
                assert "Nothing was deleted. This client cannot ask" in refused
                deleted = await client.call_tool(
                    "delete_task", {"task": created["id"], "confirm": True}
                )
                assert ok(deleted)["task"]["id"] == created["id"]
                assert user.asked == 0
        posts = [port for method, port in balancer.sent if method == "POST"]
        assert set(posts) == set(ports)
        assert len(results) == 5


def test_stateless_is_for_http_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert entry.main(["--stateless", "--sandbox"]) == 2
    assert "--stateless applies to --transport http only" in capsys.readouterr().err


# -- confirmations across processes ------------------------------------------------------------

STATE_KEY = "k" * 16 + "e" * 16 + "y" * 16  # 48 characters: a shared request-state key


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
        backends = [s.url.removesuffix("/mcp") for s in servers]
        proxy = await stack.enter_async_context(round_robin(backends))
        yield proxy, f"{proxy.url}/mcp"


async def _new_task(client: Client, name: str) -> str:
    return str((await new_task(client, name))["id"])


@pytest.mark.anyio
@pytest.mark.e2e
async def test_a_confirmation_asked_by_one_process_is_finished_by_another(
    tmp_path: Path, connect: Connect, protocol: str
) -> None:
    user = Yes()
    with anyio.fail_after(120):
        async with (
            balanced(tmp_path, env={STATE_KEY_ENV: STATE_KEY}) as (proxy, url),
            connect(streamable_http_client(url), elicitation_callback=user) as client,
        ):
            task_id = await _new_task(client, "confirmed-across")
            before = len(proxy.sent)
            result = await client.call_tool("delete_task", {"task": task_id})
            rounds = proxy.sent[before:]
            listed = ok(await client.call_tool("list_tasks", {"space": SPACE, "limit": 100}))
    if protocol == "2026-07-28":
        # The question and the answer were two requests, each to another process.
        assert ok(result)["deleted"] is True
        assert user.asked == 1
        assert len(rounds) >= 2
        assert len(set(rounds)) == 2
    else:  # a stateless 2025-11-25 server cannot ask mid-call: confirm=true it is
        assert "needs confirm=true" in error(result)
        assert user.asked == 0
    assert (task_id not in {t["id"] for t in listed["tasks"]}) is (protocol == "2026-07-28")

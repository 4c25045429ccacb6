"""Scale out: two `ax-tasks-mcp --transport http --stateless` processes on two loopback ports,
and one client whose consecutive requests a round-robin balancer sends to them in turn.  Every
call succeeds, and a task one process creates the other reads: no state lives in a process.
"""

from __future__ import annotations

from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp.client.streamable_http import streamable_http_client

from ax_tasks_mcp.server import app as entry
from tests.server.conftest import Connect
from tests.server.mcp_helpers import SPACE, ok
from tests.server.test_mcp_e2e import http_server


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
        with anyio.fail_after(120):
            async with connect(streamable_http_client(first.url, http_client=http)) as client:
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
        posts = [port for method, port in balancer.sent if method == "POST"]
        assert set(posts) == set(ports)
        assert len(results) == 5


def test_stateless_is_for_http_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert entry.main(["--stateless", "--sandbox"]) == 2
    assert "--stateless applies to --transport http only" in capsys.readouterr().err

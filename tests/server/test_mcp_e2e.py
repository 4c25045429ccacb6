"""The server as a process: stdio (a whole task lifecycle) and streamable HTTP (with a token).

The sandbox runs at a very high speed factor (AX_TASKS_SANDBOX_SPEED), so a triggered run has
finished by the first poll and nothing waits.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx2
import pytest
from anyio.abc import Process
from anyio.streams.text import TextReceiveStream
from mcp import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from ax_tasks_mcp.server.tools import ALL_TOOLS
from tests.server.conftest import Connect
from tests.server.mcp_helpers import SPACE, error, ok

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

SERVER = [sys.executable, "-m", "ax_tasks_mcp"]
FAST = "1000000"
TOKEN = "e2e-token-0123456789"


def server_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ARIZE_", "AX_TASKS_"))
    }
    env.update(
        AX_TASKS_SANDBOX_DB=str(tmp_path / "sandbox.db"),
        AX_TASKS_SANDBOX_SPEED=FAST,
        AX_TASKS_CONFIG_DIR=str(tmp_path / "config"),
        HOME=str(tmp_path),
    )
    return env


async def test_a_whole_task_lifecycle_over_stdio(
    tmp_path: Path, connect: Connect, protocol: str
) -> None:
    params = StdioServerParameters(
        command=SERVER[0], args=[*SERVER[1:], "--sandbox"], env=server_env(tmp_path), cwd=tmp_path
    )
    messages: list[str | None] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        messages.append(message)

    start = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    with anyio.fail_after(120):
        async with connect(params) as client:
            assert client.protocol_version == protocol
            assert len((await client.list_tools()).tools) == len(ALL_TOOLS)

            evaluators = ok(
                await client.call_tool("list_evaluators", {"space": SPACE, "name": "toxicity"})
            )["evaluators"]
            assert [e["name"] for e in evaluators] == ["toxicity"]

            task = ok(
                await client.call_tool(
                    "create_evaluation_task",
                    {
                        "space": SPACE,
                        "name": "e2e-toxicity",
                        "task_type": "template_evaluation",
                        "project": "chatbot",
                        "evaluators": [
                            {
                                "evaluator_id": evaluators[0]["id"],
                                "column_mappings": {"output": "attributes.output.value"},
                            }
                        ],
                    },
                )
            )
            run = ok(
                await client.call_tool(
                    "trigger_task_run",
                    {"task": "e2e-toxicity", "space": SPACE, "data_start_time": start},
                )
            )
            final = ok(
                await client.call_tool(
                    "wait_for_task_run", {"run_id": run["id"]}, progress_callback=on_progress
                )
            )
            assert final["status"] == "COMPLETED"
            assert final["timed_out"] is False
            assert messages
            assert "COMPLETED" in str(messages[-1])

            runs = ok(await client.call_tool("list_task_runs", {"task": task["id"]}))
            assert [r["id"] for r in runs["task_runs"]] == [run["id"]]

            refused = error(await client.call_tool("delete_task", {"task": task["id"]}))
            assert "Nothing was deleted." in refused
            deleted = ok(
                await client.call_tool(
                    "delete_task",
                    {"task": task["id"], "confirm": True},
                )
            )
            assert deleted["task"]["id"] == task["id"]
            gone = error(await client.call_tool("get_task", {"task": task["id"]}))
            assert task["id"] in gone or "not found" in gone.lower()


class HttpServer:
    """``ax-tasks-mcp --transport http`` on an ephemeral loopback port."""

    def __init__(self, process: Process, url: str) -> None:
        self.process = process
        self.url = url


@asynccontextmanager
async def http_server(
    tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> AsyncIterator[HttpServer]:
    command = [*SERVER, "--transport", "http", "--port", "0", "--sandbox", *args]
    environment = {**server_env(tmp_path), **(env or {})}
    process = await anyio.open_process(command, env=environment, cwd=tmp_path)
    assert process.stderr is not None
    lines: list[str] = []
    found = anyio.Event()
    url: list[str] = []

    async def drain() -> None:
        assert process.stderr is not None
        buffer = ""
        async for chunk in TextReceiveStream(process.stderr):
            buffer += chunk
            while "\n" in buffer:
                line, buffer = buffer.split("\n", 1)
                lines.append(line)
                match = re.search(r"serving streamable HTTP at (\S+)", line)
                if match:
                    url.append(match.group(1))
                    found.set()
        found.set()

    try:
        async with anyio.create_task_group() as tg:
            tg.start_soon(drain)
            with anyio.fail_after(60):
                await found.wait()
            assert url, "\n".join(lines)
            try:
                yield HttpServer(process, url[0])
            finally:
                os.kill(process.pid, signal.SIGTERM)
                with anyio.fail_after(30):
                    await process.wait()
                tg.cancel_scope.cancel()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await process.aclose()


def initialize_body() -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "e2e", "version": "0"},
        },
    }


MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


@pytest.mark.e2e
async def test_http_on_loopback_without_a_token(
    tmp_path: Path, connect: Connect, protocol: str
) -> None:
    async with http_server(tmp_path, "--space", SPACE) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert server.url.endswith("/mcp")
        with anyio.fail_after(60):
            async with connect(server.url) as client:
                assert client.protocol_version == protocol
                spaces = ok(await client.call_tool("list_spaces", {}))
                assert "demo" in [s["name"] for s in spaces["spaces"]]
                # --space is the default space: names resolve without one
                task = ok(await client.call_tool("get_task", {"task": "chatbot-hallucination"}))
                assert task["name"] == "chatbot-hallucination"


@pytest.mark.e2e
async def test_http_with_a_token_refuses_requests_without_it(
    tmp_path: Path, connect: Connect, protocol: str
) -> None:
    async with http_server(tmp_path, "--auth-token", TOKEN) as server:
        async with httpx.AsyncClient(timeout=30) as http:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
                response = await http.post(
                    server.url,
                    content=json.dumps(initialize_body()),
                    headers={**MCP_HEADERS, **headers},
                )
                assert response.status_code == 401
                assert response.headers["www-authenticate"].startswith("Bearer")
                assert TOKEN not in response.text
        with anyio.fail_after(60):
            async with httpx2.AsyncClient(
                headers={"Authorization": f"Bearer {TOKEN}"}, timeout=httpx2.Timeout(30, read=300)
            ) as authorized:
                transport = streamable_http_client(server.url, http_client=authorized)
                async with connect(transport) as client:
                    assert client.protocol_version == protocol
                    tools = (await client.list_tools()).tools
                    assert len(tools) == len(ALL_TOOLS)
                    task = ok(
                        await client.call_tool(
                            "get_task", {"task": "chatbot-hallucination", "space": SPACE}
                        )
                    )
                    assert task["name"] == "chatbot-hallucination"


@pytest.mark.e2e
async def test_http_token_from_the_environment_and_read_only(
    tmp_path: Path, connect: Connect
) -> None:
    async with http_server(tmp_path, "--read-only", env={"AX_TASKS_MCP_TOKEN": TOKEN}) as server:
        assert "(bearer token required)" not in server.url
        async with httpx.AsyncClient(timeout=30) as http:
            refused = await http.post(
                server.url, content=json.dumps(initialize_body()), headers=MCP_HEADERS
            )
            assert refused.status_code == 401
        with anyio.fail_after(60):
            async with httpx2.AsyncClient(
                headers={"Authorization": f"Bearer {TOKEN}"}, timeout=httpx2.Timeout(30, read=300)
            ) as authorized:
                transport = streamable_http_client(server.url, http_client=authorized)
                async with connect(transport) as client:
                    names = {t.name for t in (await client.list_tools()).tools}
                    assert "delete_task" not in names
                    assert "get_task" in names


AGENTS = 50  # more than anyio's 40 worker threads
SLOW = "0.0001"  # runs take hours: every wait stays open


@pytest.mark.e2e
async def test_http_with_fifty_agents_waiting_still_answers_list_tasks(
    tmp_path: Path, connect: Connect
) -> None:
    """Each agent has its own session and one long wait; once every wait has polled (its
    first progress report), another session's list_tasks must still be answered. Real time on
    loopback, bounded; the latency itself is measured by scripts/mcp_budget.py, not here."""
    env = {"AX_TASKS_SANDBOX_SPEED": SLOW}
    async with http_server(tmp_path, "--space", SPACE, env=env) as server:
        with anyio.fail_after(180):  # a bound against a hang, not a measurement
            async with connect(server.url) as lister:
                run = ok(
                    await lister.call_tool("trigger_task_run", {"task": "qa-golden-json-check"})
                )
                polled = 0
                all_polled = anyio.Event()
                finished: list[Any] = []

                async def agent() -> None:
                    seen = False

                    async def on_progress(*_: Any) -> None:
                        nonlocal polled, seen
                        if not seen:
                            seen = True
                            polled += 1
                            if polled == AGENTS:
                                all_polled.set()

                    async with connect(server.url) as client:
                        finished.append(
                            await client.call_tool(
                                "wait_for_task_run",
                                {"run_id": run["id"], "timeout_seconds": 3600},
                                progress_callback=on_progress,
                            )
                        )

                async with anyio.create_task_group() as agents:
                    for _ in range(AGENTS):
                        agents.start_soon(agent)
                    await all_polled.wait()
                    for _ in range(5):
                        listed = ok(await lister.call_tool("list_tasks", {}))
                        assert "qa-golden-json-check" in [t["name"] for t in listed["tasks"]]
                    assert finished == []  # every wait was still open meanwhile
                    agents.cancel_scope.cancel()

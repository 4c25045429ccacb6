"""Benchmarks of the MCP server: start-up and calls, tokens a model pays, many agents."""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
from bench_harness import (
    AUTH,
    MCP_CALLS,
    ROOT,
    Bench,
    Section,
    median,
    progress,
    ratio,
    secs,
    stop_process,
)
from bench_servers import SandboxServer

MCP_PROTOCOL = "2025-06-18"


class StdioMCP:
    """A minimal MCP client over a child's stdio (newline-delimited JSON-RPC)."""

    def __init__(self, argv: list[str], env: dict[str, str], stderr: Path) -> None:
        self._err = stderr.open("wb")
        self.proc = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._err,
            cwd=ROOT,
        )
        assert self.proc.stdin is not None
        assert self.proc.stdout is not None
        self._stdin = self.proc.stdin
        self._stdout = self.proc.stdout
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._stdout, selectors.EVENT_READ)
        self._buffer = b""
        self._next_id = 0

    def send(
        self, method: str, params: dict[str, Any] | None = None, *, notify: bool = False
    ) -> int:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        if not notify:
            self._next_id += 1
            message["id"] = self._next_id
        self._stdin.write(json.dumps(message).encode() + b"\n")
        self._stdin.flush()
        return self._next_id

    def receive(self, request_id: int, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                if not line.strip():
                    continue
                message = json.loads(line)
                if isinstance(message, dict) and message.get("id") == request_id:
                    if "error" in message:
                        raise RuntimeError(f"MCP error: {message['error']}")
                    return message
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError("the MCP server did not answer in time")
            if not self._selector.select(timeout=left):
                continue
            chunk = os.read(self._stdout.fileno(), 65536)
            if not chunk:
                raise RuntimeError("the MCP server closed its stdout")
            self._buffer += chunk

    def request(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.receive(self.send(method, params))

    def initialize(self) -> None:
        self.request(
            "initialize",
            {
                "protocolVersion": MCP_PROTOCOL,
                "capabilities": {},
                "clientInfo": {"name": "ax-tasks-bench", "version": "0"},
            },
        )
        self.send("notifications/initialized", notify=True)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            stop_process(self.proc)
        self._selector.close()
        self._stdout.close()
        self._err.close()


def bench_mcp(bench: Bench) -> Section:
    progress("MCP: start-up to tools/list, and list_tasks against GET /v2/tasks")
    db = bench.seeded_db("mcp.db")
    startups: list[float] = []
    tool_count = 0
    for _ in range(bench.runs):
        start = time.perf_counter()
        client = StdioMCP(
            [bench.ax_tasks_mcp, "--sandbox"],
            bench.env(AX_TASKS_SANDBOX_DB=str(db)),
            bench.path("mcp-startup.log"),
        )
        try:
            client.initialize()
            listed = client.request("tools/list")
            startups.append(time.perf_counter() - start)
            tool_count = len(listed["result"]["tools"])
        finally:
            client.close()

    with SandboxServer(db, bench.path("mcp-server.log"), bench.env()) as server:
        mcp = StdioMCP(
            [bench.ax_tasks_mcp, "--base-url", server.url],
            bench.api_env(),
            bench.path("mcp-calls.log"),
        )
        tool_times: list[float] = []
        http_times: list[float] = []
        try:
            mcp.initialize()
            arguments = {"name": "list_tasks", "arguments": {"limit": 15}}
            answer = mcp.request("tools/call", arguments)  # warm-up: builds the service
            if answer["result"].get("isError"):
                raise RuntimeError(f"list_tasks failed: {answer['result']}")
            with httpx.Client(base_url=server.url, timeout=30) as http:
                http.get("/v2/tasks?limit=15", headers=AUTH).raise_for_status()
                for _ in range(MCP_CALLS):
                    start = time.perf_counter()
                    mcp.request("tools/call", arguments)
                    tool_times.append(time.perf_counter() - start)
                    start = time.perf_counter()
                    http.get("/v2/tasks?limit=15", headers=AUTH).raise_for_status()
                    http_times.append(time.perf_counter() - start)
        finally:
            mcp.close()

    t_tool, t_http = median(tool_times), median(http_times)
    section = Section("MCP server", ["Measure", "Result", "Comparison"])
    section.rows.append(
        [
            "`ax-tasks-mcp --sandbox` start → `tools/list` answer (stdio)",
            secs(median(startups)),
            f"{tool_count} tools listed",
        ]
    )
    section.rows.append(
        [
            "`list_tasks` tool call (limit 15), over stdio to a loopback sandbox",
            secs(t_tool),
            f"{ratio(t_tool, t_http)} a direct call; overhead {secs(t_tool - t_http)}",
        ]
    )
    section.rows.append(["direct `GET /v2/tasks?limit=15` (httpx, keep-alive)", secs(t_http), "1×"])
    section.notes.append(
        f"Start-up: median of {bench.runs} fresh processes, timed from spawning to the "
        f"`tools/list` response (initialize handshake included). Calls: median of {MCP_CALLS} "
        "calls each, interleaved, after one warm-up call."
    )
    return section


def bench_mcp_tokens(bench: Bench) -> Section:
    import mcp_budget  # scripts/ is on sys.path when this script runs

    progress("MCP: tokens of the tool definitions and of default answers (o200k)")
    section = Section("MCP: tokens a model pays", ["Measure", "Before", "After", "Target"])
    section.rows.extend(mcp_budget.token_rows(mcp_budget.measure_tokens()))
    section.notes.append(
        "o200k tokens (offline, bpe-openai) of compact JSON, in process over the embedded"
        " sandbox. Before: the server at 91fce19, measured with the same code"
        " (`scripts/mcp_budget.py`)."
    )
    return section


def bench_mcp_agents(bench: Bench) -> Section:
    import mcp_budget

    progress(f"MCP: list_tasks over HTTP while {mcp_budget.WAITERS} waits are open")
    result = mcp_budget.measure_agents(bench.ax_tasks_mcp, bench.env(), bench.path("agents.log"))
    section = Section("MCP: many agents at once", ["Measure", "Result", "Comparison"])
    section.rows.extend(mcp_budget.agent_rows(result))
    section.notes.append(
        f"One `ax-tasks-mcp --transport http --sandbox` on 127.0.0.1; {mcp_budget.WAITERS}"
        " agents (a session each) wait on one very slow run while another session calls"
        f" `list_tasks` {mcp_budget.LIST_CALLS} times in a row."
    )
    return section

"""Benchmarks of the MCP server: start-up and calls, tokens a model pays, many agents."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import selectors
import subprocess
import sys
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


# A one-tool MCPServer over stdio: what any MCP server in Python pays before its first answer.
_MCP_FLOOR = """\
from mcp.server.mcpserver import MCPServer

server = MCPServer("floor")


@server.tool()
def ping() -> str:
    \"\"\"Answer pong.\"\"\"
    return "pong"


server.run("stdio")
"""
STARTUP_RATIO_TARGET = 1.1


def _startup(argv: list[str], env: dict[str, str], log: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, tools listed) from spawning ``argv`` to its tools/list."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    client = StdioMCP(argv, env, log)
    try:
        client.initialize()
        listed = client.request("tools/list")
        wall = time.perf_counter() - start
    finally:
        client.close()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, len(listed["result"]["tools"])


def bench_mcp(bench: Bench) -> Section:
    progress("MCP: start-up to tools/list beside a one-tool MCPServer; list_tasks vs GET")
    db = bench.seeded_db("mcp.db")
    env = {k: v for k, v in bench.env(AX_TASKS_SANDBOX_DB=str(db)).items()}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode cached, as an installed package has it
    env["PYTHONPYCACHEPREFIX"] = str(bench.path("mcp-pycache"))
    floor = bench.path("mcp-floor.py")
    floor.write_text(_MCP_FLOOR, encoding="utf-8")
    servers = {"ours": [bench.ax_tasks_mcp, "--sandbox"], "floor": [sys.executable, str(floor)]}
    for argv in servers.values():  # warm-up: fills the bytecode cache, not counted
        _startup(argv, env, bench.path("mcp-startup.log"))
    starts: dict[str, list[tuple[float, float, int]]] = {name: [] for name in servers}
    for _ in range(max(bench.runs, 5)):  # interleaved, so both meet the same machine
        for name, argv in servers.items():
            starts[name].append(_startup(argv, env, bench.path("mcp-startup.log")))
    wall = {name: median([s[0] for s in runs]) for name, runs in starts.items()}
    cpu = {name: median([s[1] for s in runs]) for name, runs in starts.items()}
    tool_count = starts["ours"][0][2]

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
    share = wall["ours"] / wall["floor"] if wall["floor"] > 0 else float("inf")
    section.rows.append(
        [
            "`ax-tasks-mcp --sandbox` start → `tools/list` answer (stdio)",
            f"{secs(wall['ours'])}; CPU {secs(cpu['ours'])}",
            f"{share:.2f}× a one-tool MCPServer ({secs(wall['floor'])});"
            f" CPU {cpu['ours'] / cpu['floor']:.2f}×; target ≤ {STARTUP_RATIO_TARGET}×:"
            f" {'met' if share <= STARTUP_RATIO_TARGET else '**not met**'};"
            f" {tool_count} tools listed",
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
        f"Start-up: medians of {max(bench.runs, 5)} fresh processes each, interleaved with a"
        " one-tool `MCPServer` script after a warm-up, bytecode cached (PYTHONPYCACHEPREFIX),"
        " timed from spawning to the `tools/list` response (initialize handshake included); CPU"
        f" is the child's user + system time. Calls: median of {MCP_CALLS} "
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


SESSIONS = 500  # opened and kept open while the server's memory is read


def _rss_kib(pid: int) -> int:
    """The process's resident memory now (Linux /proc), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc (this measure needs Linux)")


def _open_session(http: httpx.Client, url: str) -> None:
    hello = {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "ax-tasks-bench", "version": "0"},
    }
    answer = http.post(
        url,
        json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": hello},
        headers={"Accept": "application/json, text/event-stream"},
    )
    answer.raise_for_status()


def bench_mcp_sessions(bench: Bench) -> Section:
    """Memory per open HTTP session: the server's resident memory before and after SESSIONS
    initialize requests that never close, and what the default limits allow in all."""
    import mcp_budget

    from ax_tasks_mcp.server.sessions import DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_SESSIONS

    progress(f"MCP: memory per open HTTP session ({SESSIONS} sessions)")
    env = bench.env(AX_TASKS_SANDBOX_DB=str(bench.seeded_db("sessions.db")))
    log = bench.path("sessions.log")
    proc, url = mcp_budget.start_http_server(
        bench.ax_tasks_mcp, env, log, "--max-sessions", str(SESSIONS + 10)
    )
    try:
        with httpx.Client(timeout=30) as http:
            for _ in range(10):  # warm-up: the first sessions load what every session uses
                _open_session(http, url)
            before = _rss_kib(proc.pid)
            for _ in range(SESSIONS):
                _open_session(http, url)
            after = _rss_kib(proc.pid)
            full = http.post(
                url,
                json={"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}},
                headers={"Accept": "application/json, text/event-stream"},
            )
    finally:
        stop_process(proc)
    per_session = (after - before) / SESSIONS
    section = Section("MCP: sessions an operator can size", ["Measure", "Result", "Comparison"])
    section.rows.append(
        [
            "resident memory per open HTTP session",
            f"{per_session:.0f} KiB",
            f"{SESSIONS} sessions: {before / 1024:.0f} → {after / 1024:.0f} MiB",
        ]
    )
    section.rows.append(
        [
            f"default limits: {DEFAULT_MAX_SESSIONS:,} sessions, idle {DEFAULT_IDLE_TIMEOUT:.0f} s",
            f"≈ {DEFAULT_MAX_SESSIONS * per_session / 1024:.0f} MiB of sessions at most",
            "the SDK's own default: 10,000 sessions, idle 1,800 s",
        ]
    )
    section.rows.append(
        [
            f"session {SESSIONS + 11} on a server limited to {SESSIONS + 10}",
            f"HTTP {full.status_code}, Retry-After {full.headers.get('retry-after', '-')}",
            "before: 503 without Retry-After, only past 10,000",
        ]
    )
    section.notes.append(
        "One `ax-tasks-mcp --transport http --sandbox` on 127.0.0.1; sessions are opened with"
        " `initialize` (2025-11-25) and never closed. Memory: VmRSS from /proc, before and after."
    )
    return section

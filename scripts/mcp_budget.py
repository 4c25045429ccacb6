#!/usr/bin/env python3
"""MCP benchmarks: what a model pays in tokens, and whether many agents at once are served.

    uv run python scripts/mcp_budget.py            # both, printed as markdown rows
    uv run python scripts/bench.py --only mcp-tokens,mcp-agents   # as sections of bench.py

* tokens (offline o200k, ``bpe_openai``): every tool definition as tools/list sends it (compact
  JSON, summed), a default ``list_tasks`` in a 60-task space (its text block and its structured
  content), one summary item, and ``get_task`` - in process, over the embedded sandbox;
* many agents: one ``ax-tasks-mcp --transport http --sandbox`` on 127.0.0.1 holding 50
  ``wait_for_task_run`` calls while another client times ``list_tasks`` (p50, p95).

``BEFORE`` holds the same token figures measured on the server before issue 11 (commit
91fce19), with this same code run against that tree.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio

SPACE = "demo"
TASKS_IN_SPACE = 60
WAITERS = 50
LIST_CALLS = 40
LIST_CALL_LIMIT = 20.0  # seconds: a list call slower than this counts as starved

# Measured at 91fce19 (before): definitions, list_tasks text, list_tasks structured, get_task.
# The same server with 50 waits open answered no list_tasks within 15 s (5 calls tried): each
# wait held one of anyio's 40 worker threads, and every other tool call queued behind them.
BEFORE = {
    "definitions": 14603,
    "list_text": 16795,
    "list_structured": 14745,
    "list_items": 50,
    "item": 295,
    "get_task": 340,
}

_EVALUATORS = [
    {
        "evaluator": "hallucination",
        "column_mappings": {
            "input": "attributes.input.value",
            "output": "attributes.output.value",
        },
    },
    {"evaluator": "relevance", "column_mappings": {"input": "attributes.input.value"}},
]


def _tokens(value: Any) -> int:
    import bpe_openai  # type: ignore[import-untyped]

    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return len(bpe_openai.get_encoding("o200k_base").encode(text))


def _fill(service: Any) -> None:
    """Evaluation tasks with two evaluators and a filter each, up to 60 in the space."""
    from ax_tasks_mcp import EvaluationTaskSpec

    have = len(service.list_tasks(space=SPACE, limit=100).items)
    for number in range(TASKS_IN_SPACE - have):
        service.create_task(
            EvaluationTaskSpec(
                name=f"nightly-check-{number:02d}",
                task_type="TEMPLATE_EVALUATION",
                space=SPACE,
                project="chatbot",
                evaluators=_EVALUATORS,
                sampling_rate=0.5,
                query_filter="attributes.openinference.span.kind = 'LLM'",
            )
        )


async def _measure_tokens() -> dict[str, int]:
    from mcp import Client

    from ax_tasks_mcp.server.app import build_server
    from ax_tasks_mcp.service.connect import TasksService

    with tempfile.TemporaryDirectory() as tmp:
        service = TasksService.sandbox(str(Path(tmp) / "tokens.db"))
        try:
            _fill(service)
            async with Client(build_server(service)) as client:
                tools = (await client.list_tools()).tools
                shown = [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools]
                listed = await client.call_tool("list_tasks", {"space": SPACE})
                got = await client.call_tool(
                    "get_task", {"space": SPACE, "task": "chatbot-hallucination"}
                )
        finally:
            service.close()
    items = (listed.structured_content or {})["tasks"]
    return {
        "definitions": sum(_tokens(tool) for tool in shown),
        "tools": len(shown),
        "list_text": _tokens(listed.content[0].text),  # type: ignore[union-attr]
        "list_structured": _tokens(listed.structured_content),
        "list_items": len(items),
        "item": round(statistics.mean(_tokens(item) for item in items)),
        "get_task": _tokens(got.content[0].text),  # type: ignore[union-attr]
    }


def measure_tokens() -> dict[str, int]:
    return anyio.run(_measure_tokens)


def token_rows(after: dict[str, int]) -> list[list[str]]:
    """Measure | before | after | target."""

    def row(label: str, key: str, target: str) -> list[str]:
        return [label, f"{BEFORE[key]:,}", f"{after[key]:,}", target]

    return [
        row(
            f"all {after['tools']} tool definitions (tools/list, compact JSON)",
            "definitions",
            "≤ 5,000",
        ),
        row("default `list_tasks`, 60-task space: text block", "list_text", "≤ 3,000"),
        row(
            "default `list_tasks`, 60-task space: structured content", "list_structured", "≤ 3,000"
        ),
        row("items in that default page", "list_items", "20"),
        row("one task in a list (mean)", "item", "—"),
        row("`get_task` (whole task, text block)", "get_task", "—"),
    ]


# -- many agents --------------------------------------------------------------------------

_SERVING = re.compile(r"serving streamable HTTP at (http://\S+)")


def start_http_server(
    executable: str, env: dict[str, str], log: Path, *extra: str
) -> tuple[subprocess.Popen[bytes], str]:
    """``ax-tasks-mcp --transport http --sandbox`` on a free loopback port (with ``extra``
    arguments): the process and its MCP URL."""
    err = log.open("wb")
    proc = subprocess.Popen(
        [executable, "--transport", "http", "--sandbox", "--port", "0", *extra],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=err,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = _SERVING.search(log.read_text(errors="replace"))
        if found:
            return proc, found.group(1)
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"ax-tasks-mcp did not start: {log.read_text(errors='replace')[-400:]}")


async def _agents(url: str, waiters: int, list_calls: int) -> tuple[list[float], int]:
    """list_tasks latencies while ``waiters`` waits are held open, and how many were starved."""
    from mcp import Client

    async with Client(url) as trigger_client:
        run = await trigger_client.call_tool(
            "trigger_task_run", {"space": SPACE, "task": "qa-golden-json-check"}
        )
        run_id = (run.structured_content or {})["id"]

    async def agent() -> None:  # an agent of its own: one session, one long wait
        async with Client(url) as client:
            await client.call_tool("wait_for_task_run", {"run_id": run_id, "timeout_seconds": 600})

    times: list[float] = []
    starved = 0
    async with Client(url) as listing, anyio.create_task_group() as group:
        for _ in range(waiters):
            group.start_soon(agent)
        await anyio.sleep(6.0)  # let every agent connect and reach its first pause
        for _ in range(list_calls):
            start = time.perf_counter()
            with anyio.move_on_after(LIST_CALL_LIMIT) as scope:
                await listing.call_tool("list_tasks", {"space": SPACE})
            if scope.cancelled_caught:
                starved += 1
            times.append(time.perf_counter() - start)
        group.cancel_scope.cancel()
    return times, starved


def measure_agents(executable: str, env: dict[str, str], log: Path) -> dict[str, float]:
    """p50/p95 of list_tasks over HTTP with WAITERS waits held open (runs made very slow)."""
    from ax_tasks_mcp.sandbox.admin import reset

    db = log.with_suffix(".db")
    reset(str(db))
    env = {**env, "AX_TASKS_SANDBOX_DB": str(db), "AX_TASKS_SANDBOX_SPEED": "0.0001"}
    proc, url = start_http_server(executable, env, log)
    try:
        times, starved = anyio.run(_agents, url, WAITERS, LIST_CALLS)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    ordered = sorted(times)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)],
        "starved": starved,
        "calls": len(ordered),
    }


def agent_rows(result: dict[str, float]) -> list[list[str]]:
    ok = result["p95"] < 0.25 and not result["starved"]
    return [
        [
            f"`list_tasks` over HTTP while {WAITERS} `wait_for_task_run` calls are open: p95",
            f"{result['p95'] * 1000:.0f} ms",
            f"target < 250 ms: {'met' if ok else 'NOT met'}",
        ],
        [
            "… p50",
            f"{result['p50'] * 1000:.0f} ms",
            f"{int(result['calls'])} calls, {int(result['starved'])} starved"
            f" (> {LIST_CALL_LIMIT:g} s); before: none answered within 15 s",
        ],
    ]


def main() -> int:
    after = measure_tokens()
    print("| Measure | Before | After | Target |\n| --- | --- | --- | --- |")
    for row in token_rows(after):
        print("| " + " | ".join(row) + " |")
    executable = str(Path(sys.executable).parent / "ax-tasks-mcp")
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ARIZE_", "AX_TASKS_"))}
        result = measure_agents(executable, env, Path(tmp) / "agents.log")
    print("\n| Measure | Result | Comparison |\n| --- | --- | --- |")
    for row in agent_rows(result):
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

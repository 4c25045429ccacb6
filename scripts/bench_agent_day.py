#!/usr/bin/env python3
"""An agent's day: six jobs a model does with the MCP server, each in the fewest calls the
server's tools allow, counted in calls and o200k tokens of the answers' text blocks.

    uv run python scripts/bench_agent_day.py               # this tree: the table, after
    uv run python scripts/bench_agent_day.py --tree PATH   # the same jobs against another tree
    uv run python scripts/bench.py --only agent-day        # as a section of bench.py

The world: the embedded sandbox, with 45 more tasks in ``demo`` and 20 in ``production-llm``
(two evaluators each, a few with ``toxicity``), a continuous task that has run every ten
minutes for 26 hours (over 150 runs), a task whose latest run failed, and a run in progress.
Time is the script's own clock, so the world is the same on every run.

The jobs are written as a model would do them with the tools it is offered: where a tool takes
a filter (list_tasks' ``evaluator``, list_task_runs' ``since``) the job uses it, else it reads
pages and looks itself.  ``--tree`` runs them, unchanged, against another checkout (its own
``ax_tasks_mcp`` first on the path): that is how :data:`BEFORE` was measured.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio

SPACE = "demo"
OTHER_SPACE = "production-llm"
CONTINUOUS = "chatbot-always-on"
FAILING = "pii-scan"
BUSY = "rag-nightly"
EVALUATOR = "toxicity"
START = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

#: Measured with this script against the tree before issue 18 (commit 6b4d8a9): ``mkdir
#: /tmp/ax-before && git archive 6b4d8a9 | tar -x -C /tmp/ax-before && uv run python
#: scripts/bench_agent_day.py --tree /tmp/ax-before --json`` (job: [calls, tokens]).
BEFORE: dict[str, list[int]] = {
    "failure": [1, 125],
    "cancel": [2, 263],
    "evaluator": [1, 3_777],
    "sampling": [1, 281],
    "last_day": [2, 12_717],
    "create": [2, 404],
}

TARGET_CALLS = 2
TARGET_DAY_TOKENS = 3_000

JOBS = {
    "failure": "why the latest run of a task failed",
    "cancel": "cancel a task's running run",
    "evaluator": "every task that uses an evaluator",
    "sampling": "change a task's sampling rate",
    "last_day": "a task's runs completed in the last day",
    "create": "create an evaluation task by names, trigger it and wait",
}


class Clock:
    """The world's time: it moves only when the world is built or a wait pauses."""

    def __init__(self) -> None:
        self.elapsed = 0.0

    def monotonic(self) -> float:
        return 1_000.0 + self.elapsed

    def now(self) -> datetime:
        return START + timedelta(seconds=self.elapsed)

    def sleep(self, seconds: float) -> None:
        self.elapsed += max(0.0, seconds)

    async def pause(self, seconds: float) -> None:
        self.sleep(seconds)
        await anyio.lowlevel.checkpoint()

    def options(self) -> dict[str, Any]:
        return {
            "clock": self.monotonic,
            "sleep": self.sleep,
            "now": self.now,
            "sandbox_clock": self.now,
        }


def _tokens(text: str) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import bpe_openai  # type: ignore[import-untyped]

        encoding = bpe_openai.get_encoding("o200k_base")
    return len(encoding.encode(text))


# -- the world --------------------------------------------------------------------------------


def _task(name: str, space: str, project: str, evaluators: list[str], **more: Any) -> Any:
    from ax_tasks_mcp import EvaluationTaskSpec

    return EvaluationTaskSpec(
        name=name,
        task_type="TEMPLATE_EVALUATION",
        space=space,
        project=project,
        evaluators=[
            {"evaluator": e, "column_mappings": {"input": "attributes.input.value"}}
            for e in evaluators
        ],
        sampling_rate=0.5,
        query_filter="attributes.openinference.span.kind = 'LLM'",
        **more,
    )


def build_world(service: Any, clock: Clock) -> None:
    """65 more tasks in two spaces, a continuous task's 26 hours, a failure, a run going on."""
    from ax_tasks_mcp import RunRequest

    for number in range(45):
        extra = [EVALUATOR] if number % 9 == 0 else ["relevance"]
        name = f"chatbot-check-{number:02d}"
        service.create_task(_task(name, SPACE, "chatbot", ["hallucination", *extra]))
    for number in range(20):
        name = f"checkout-check-{number:02d}"
        project = "checkout-assistant"
        service.create_task(_task(name, OTHER_SPACE, project, ["hallucination", "relevance"]))
    service.create_task(_task(FAILING, SPACE, "support-agent", ["pii-regex-check"]))
    service.create_task(_task(BUSY, SPACE, "rag-search", ["relevance"]))
    service.create_task(_task(CONTINUOUS, SPACE, "chatbot", ["hallucination"], is_continuous=True))
    window = RunRequest(data_start_time=START - timedelta(days=2))
    service.trigger_run(FAILING, window, space=SPACE)
    for _ in range(26 * 3):  # 26 hours of a run every ten minutes, caught up step by step
        clock.sleep(1_200)
        service.get_task(CONTINUOUS, space=SPACE)
    busy = RunRequest(data_start_time=clock.now() - timedelta(days=29))
    service.trigger_run(BUSY, busy, space=SPACE)
    clock.sleep(2)  # past pending (1 s): running for a few seconds more


# -- the jobs ------------------------------------------------------------------------------------


@dataclass
class Job:
    """One job's calls: what each returned, as the model reads it (the text block)."""

    calls: int = 0
    tokens: int = 0
    texts: list[str] = field(default_factory=list)


class Agent:
    """A model at work: calls tools, reads their text, and knows which filters it is offered."""

    def __init__(self, client: Any, parameters: dict[str, set[str]]) -> None:
        self.client = client
        self.parameters = parameters
        self.job = Job()

    def offers(self, tool: str, parameter: str) -> bool:
        return parameter in self.parameters.get(tool, set())

    async def call(self, tool: str, arguments: dict[str, Any]) -> Any:
        result = await self.client.call_tool(tool, arguments)
        text = result.content[0].text
        self.job.calls += 1
        self.job.tokens += _tokens(text)
        self.job.texts.append(text)
        if result.is_error:
            raise RuntimeError(f"{tool} {arguments}: {text}")
        return json.loads(text)


def _check(done: bool, what: object) -> None:
    """A job that did not get its answer is a failed benchmark, not a number."""
    if not done:
        raise RuntimeError(f"the job did not get its answer: {what}")


async def job_failure(agent: Agent, world: dict[str, Any]) -> None:
    args = {"space": SPACE, "task": FAILING, "status": "FAILED", "limit": 1}
    runs = (await agent.call("list_task_runs", args))["task_runs"]
    _check(bool(runs) and bool(runs[0].get("failure_reason")), runs)


async def job_create(agent: Agent, world: dict[str, Any]) -> None:
    task = await agent.call(
        "create_evaluation_task",
        {
            "space": SPACE,
            "name": "support-hallucination",
            "task_type": "template_evaluation",
            "project": "support-agent",
            "evaluators": [{"evaluator": "hallucination"}],
        },
    )
    window = {"data_start_time": (world["now"] - timedelta(days=1)).isoformat()}
    run = await agent.call("trigger_task_run", {"task": task["id"], "wait": True, **window})
    _check(run["timed_out"] is False, run)


async def job_last_day(agent: Agent, world: dict[str, Any]) -> None:
    since = world["now"] - timedelta(days=1)
    args: dict[str, Any] = {"space": SPACE, "task": CONTINUOUS, "status": "COMPLETED"}
    if agent.offers("list_task_runs", "since"):
        page = await agent.call("list_task_runs", {**args, "since": "24h"})
        _check(page["totals"]["runs"] >= 140, page["totals"])
        return
    seen = 0  # read newest first until the runs are older than a day
    while True:
        page = await agent.call("list_task_runs", {**args, "limit": 100})
        recent = [r for r in page["task_runs"] if _started(r) >= since]
        seen += len(recent)
        if len(recent) < len(page["task_runs"]) or not page["next_cursor"]:
            break
        args["cursor"] = page["next_cursor"]
    _check(seen >= 140, seen)


def _started(run: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(run.get("run_started_at") or run["created_at"])


async def job_sampling(agent: Agent, world: dict[str, Any]) -> None:
    args = {"space": SPACE, "task": "chatbot-check-03", "sampling_rate": 0.25}
    answer = await agent.call("update_task", args)
    changed = answer.get("changed", {}).get("sampling_rate", {}).get("to")
    _check(0.25 in (answer.get("sampling_rate"), changed), answer)


async def job_cancel(agent: Agent, world: dict[str, Any]) -> None:
    args = {"space": SPACE, "task": BUSY, "status": "RUNNING", "limit": 1}
    runs = (await agent.call("list_task_runs", args))["task_runs"]
    _check(bool(runs), "no run in progress")
    cancelled = await agent.call("cancel_task_run", {"run_id": runs[0]["id"], "confirm": True})
    _check(cancelled["status"] == "CANCELLED", cancelled)


async def job_evaluator(agent: Agent, world: dict[str, Any]) -> None:
    if agent.offers("list_tasks", "evaluator"):
        page = await agent.call("list_tasks", {"space": SPACE, "evaluator": EVALUATOR})
        found = [t["name"] for t in page["tasks"]]
    else:  # every task of the space, and look at each one's evaluators
        page = await agent.call("list_tasks", {"space": SPACE, "limit": 100})
        found = [t["name"] for t in page["tasks"] if EVALUATOR in t.get("evaluator_names", [])]
    _check(len(found) == 5, found)


JOB_FUNCTIONS: dict[str, Callable[[Agent, dict[str, Any]], Awaitable[None]]] = {
    "failure": job_failure,
    "cancel": job_cancel,
    "evaluator": job_evaluator,
    "sampling": job_sampling,
    "last_day": job_last_day,
    "create": job_create,  # last: its wait moves the world's clock
}


async def _run_day() -> dict[str, list[int]]:
    from mcp import Client

    from ax_tasks_mcp.server import tools as server_tools
    from ax_tasks_mcp.server.app import build_server
    from ax_tasks_mcp.service.connect import TasksService

    clock = Clock()
    with tempfile.TemporaryDirectory() as tmp:
        service = TasksService.sandbox(str(Path(tmp) / "day.db"), **clock.options())
        try:
            build_world(service, clock)
            world = {"now": clock.now()}
            options: dict[str, Any] = {"sleep": clock.pause}
            if "now" in inspect.signature(server_tools.build_server).parameters:
                options["now"] = clock.now  # "24h" is back from the world's time
            async with Client(build_server(service, **options)) as client:
                listed = (await client.list_tools()).tools
                parameters = {t.name: set(t.input_schema.get("properties", {})) for t in listed}
                day: dict[str, list[int]] = {}
                for name, job in JOB_FUNCTIONS.items():
                    agent = Agent(client, parameters)
                    await job(agent, world)
                    day[name] = [agent.job.calls, agent.job.tokens]
        finally:
            service.close()
    return day


def measure_day(tree: str | None = None) -> dict[str, list[int]]:
    """{job: [calls, tokens]} for this tree, or for ``tree`` (another checkout) in a child."""
    if tree is None:
        return anyio.run(_run_day)
    root = Path(tree).resolve()
    path = os.pathsep.join(str(root / part) for part in ("", "generated_client", "cli"))
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run(
        [sys.executable, __file__, "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    answer: dict[str, list[int]] = json.loads(done.stdout)
    return answer


def rows(after: dict[str, list[int]], before: dict[str, list[int]]) -> list[list[str]]:
    """One row per job, then the day: calls and tokens, before and after."""
    table: list[list[str]] = []
    for name, what in JOBS.items():
        b = before.get(name, [0, 0])
        a = after[name]
        met = a[0] <= TARGET_CALLS
        table.append(
            [what, str(b[0]), str(a[0]), f"{b[1]:,}", f"{a[1]:,}", "yes" if met else "**no**"]
        )
    total_b = [sum(v[i] for v in before.values()) for i in (0, 1)] if before else [0, 0]
    total_a = [sum(v[i] for v in after.values()) for i in (0, 1)]
    day_met = total_a[1] <= TARGET_DAY_TOKENS and all(v[0] <= TARGET_CALLS for v in after.values())
    target = f"≤ {TARGET_CALLS} calls a job, ≤ {TARGET_DAY_TOKENS:,} tokens"
    table.append(
        [
            "**the whole day**",
            str(total_b[0]),
            str(total_a[0]),
            f"{total_b[1]:,}",
            f"{total_a[1]:,}",
            f"{'yes' if day_met else '**no**'} ({target})",
        ]
    )
    return table


COLUMNS = ["Job", "Calls before", "Calls after", "Tokens before", "Tokens after", "Met"]


def bench_agent_day(bench: Any) -> Any:
    """The benchmark's section (scripts/bench.py --only agent-day)."""
    from bench_harness import Section, progress

    progress("MCP: an agent's day, six jobs in calls and o200k tokens")
    section = Section("MCP: an agent's day", COLUMNS)
    section.rows.extend(rows(measure_day(), BEFORE))
    section.notes.append(
        "In process over the embedded sandbox: 45 more tasks in demo and 20 in production-llm,"
        " a continuous task with over 150 runs, a failed run, a run in progress. Tokens: o200k"
        " (offline, bpe-openai) of the answers' text blocks. Each job in the fewest calls the"
        " tools allow; before: the same jobs against the tree of 6b4d8a9"
        " (`scripts/bench_agent_day.py --tree`)."
    )
    return section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--tree", default=None, help="another checkout to measure instead")
    parser.add_argument("--json", action="store_true", help="print {job: [calls, tokens]}")
    args = parser.parse_args(argv)
    day = measure_day(args.tree)
    if args.json:
        print(json.dumps(day))
        return 0
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "|".join(" --- " for _ in COLUMNS) + "|")
    for row in rows(day, BEFORE):
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

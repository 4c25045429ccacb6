"""Every MCP read tool against a sandbox answering as a next API release might (future mode):
no error, and the new task type and run status reach the model as received.  Written against
tool names and "no error + the new value visible", not against the shape of each result."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ax_tasks_mcp.sandbox.future import ENV_FUTURE, NEW_RUN_STATUS, NEW_TASK_TYPE
from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.service.connect import TasksService
from tests.server.conftest import Connect
from tests.server.mcp_helpers import make_service, ok, text
from tests.support.clock import FakeTime

pytestmark = pytest.mark.anyio

TASK = "agent-goal-completion"


@pytest.fixture
def future_service(
    sandbox_db: Path, fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TasksService]:
    monkeypatch.setenv(ENV_FUTURE, "1")
    service = make_service(sandbox_db, fake_time)
    yield service
    service.close()


def _queued_run(service: TasksService) -> str:
    runs = service.list_runs(TASK, space="research").items
    assert runs[0]["status"] == NEW_RUN_STATUS
    return str(runs[0]["id"])


def _read_calls(run_id: str) -> dict[str, tuple[dict[str, Any], str | None]]:
    """read tool → (arguments, the new value its result must show, if it carries one).
    A read tool missing here fails the test below: add it."""
    return {
        "list_tasks": ({"space": "research"}, NEW_TASK_TYPE),
        "get_task": ({"task": TASK, "space": "research"}, NEW_TASK_TYPE),
        "list_task_runs": ({"task": TASK, "space": "research"}, NEW_RUN_STATUS),
        "get_task_run": ({"run_id": run_id}, NEW_RUN_STATUS),
        "list_spaces": ({}, None),
        "list_projects": ({"space": "demo"}, None),
        "list_datasets": ({"space": "demo"}, None),
        "list_evaluators": ({"space": "demo"}, None),
        "list_ai_integrations": ({"space": "demo"}, None),
        "list_experiments": ({"space": "demo"}, None),
        "plan_tasks": ({"content": "space: research\ntasks: []\n", "prune": True}, TASK),
    }


async def test_every_read_tool_reads_a_newer_api(
    future_service: TasksService, connect: Connect, fake_time: FakeTime
) -> None:
    calls = _read_calls(_queued_run(future_service))
    async with connect(build_server(future_service, sleep=fake_time.pause)) as client:
        tools = (await client.list_tools()).tools
        reads = {
            t.name
            for t in tools
            if t.annotations is not None and t.annotations.read_only_hint is True
        } - {"wait_for_task_run"}  # waits: below
        assert reads <= set(calls), f"give the new read tools arguments: {reads - set(calls)}"
        for name in sorted(reads):
            arguments, new_value = calls[name]
            result = await client.call_tool(name, arguments)
            assert ok(result), name
            if new_value is not None:
                assert new_value in text(result), name


async def test_waiting_on_a_new_status_ends_at_the_deadline_and_says_so_once(
    future_service: TasksService, connect: Connect, fake_time: FakeTime
) -> None:
    run_id = _queued_run(future_service)
    messages: list[str | None] = []

    async def progress(done: float, total: float | None, message: str | None) -> None:
        messages.append(message)

    async with connect(build_server(future_service, sleep=fake_time.pause)) as client:
        result = await _wait(client, run_id, progress)
    # A wait that times out is an answer: the run as last read, still in the new status.
    assert ok(result)
    assert result.structured_content is not None
    assert result.structured_content["timed_out"] is True
    assert result.structured_content["status"] == NEW_RUN_STATUS
    told = [m for m in messages if m and "does not know" in m]
    assert len(told) == 1
    assert len(messages) > 1
    assert fake_time.elapsed == pytest.approx(30)


async def _wait(client: Client, run_id: str, progress: Any) -> Any:
    return await client.call_tool(
        "wait_for_task_run",
        {"run_id": run_id, "timeout_seconds": 30},
        progress_callback=progress,
    )


async def test_filters_take_the_newer_values_the_api_shows_with_a_note(
    future_service: TasksService, connect: Connect, fake_time: FakeTime
) -> None:
    _queued_run(future_service)
    async with connect(build_server(future_service, sleep=fake_time.pause)) as client:
        tasks = ok(
            await client.call_tool(
                "list_tasks", {"space": "research", "task_type": NEW_TASK_TYPE.lower()}
            )
        )
        runs = ok(
            await client.call_tool(
                "list_task_runs", {"task": TASK, "space": "research", "status": NEW_RUN_STATUS}
            )
        )
    # The API answers (this sandbox filters by what it stores, so it finds none).
    assert {t["type"] for t in tasks["tasks"]} <= {NEW_TASK_TYPE}
    assert f"task_type {NEW_TASK_TYPE} is not one this version knows" in tasks["note"]
    assert {r["status"] for r in runs["task_runs"]} <= {NEW_RUN_STATUS}
    assert f"status {NEW_RUN_STATUS} is not one this version knows" in runs["note"]

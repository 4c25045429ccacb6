"""Waiting for runs: progress notifications, final FAILED/CANCELLED runs, timeouts, cancellation.

No test sleeps: the service's sleep is fake and moves the sandbox's clock, so simulated runs
progress as the wait polls.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from ax_tasks_mcp import EvaluationTaskSpec, RunRequest
from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.service.connect import TasksService
from tests.server.conftest import Connect
from tests.server.mcp_helpers import SPACE, error, make_service, ok
from tests.support.clock import FakeTime

pytestmark = pytest.mark.anyio

WINDOW_START = "2026-03-06T00:00:00Z"


class Progress:
    """Collects progress notifications."""

    def __init__(self) -> None:
        self.events: list[tuple[float, float | None, str | None]] = []

    async def __call__(self, progress: float, total: float | None, message: str | None) -> None:
        self.events.append((progress, total, message))


async def make_task(client: Client, name: str, evaluator: str = "hallucination") -> dict[str, Any]:
    task: dict[str, Any] = ok(
        await client.call_tool(
            "create_evaluation_task",
            {
                "space": SPACE,
                "name": name,
                "task_type": "TEMPLATE_EVALUATION",
                "project": "chatbot",
                "evaluators": [{"evaluator": evaluator, "column_mappings": {"input": "input"}}],
            },
        )
    )
    return task


async def trigger(client: Client, task: dict[str, Any], **extra: Any) -> dict[str, Any]:
    run: dict[str, Any] = ok(
        await client.call_tool(
            "trigger_task_run", {"task": task["id"], "data_start_time": WINDOW_START, **extra}
        )
    )
    return run


async def test_wait_reports_progress_and_returns_the_completed_run(
    client: Client, fake_time: FakeTime
) -> None:
    run = await trigger(client, await make_task(client, "waited"))
    progress = Progress()
    final = ok(
        await client.call_tool(
            "wait_for_task_run", {"run_id": run["id"]}, progress_callback=progress
        )
    )
    assert final["id"] == run["id"]
    assert final["status"] == "COMPLETED"
    assert final["num_successes"] > 0
    assert len(progress.events) >= 3
    values = [p for p, _, _ in progress.events]
    assert values == sorted(set(values))  # strictly increasing
    first, last = progress.events[0][2], progress.events[-1][2]
    assert first is not None
    assert "PENDING" in first
    assert last is not None
    assert "COMPLETED" in last
    for word in ("succeeded", "errors", "skipped", "elapsed"):
        assert word in last
    assert fake_time.elapsed > 0  # the service slept (fake time), nothing waited for real


async def test_trigger_with_wait_returns_the_final_run_with_progress(client: Client) -> None:
    task = await make_task(client, "trigger-and-wait")
    progress = Progress()
    final = ok(
        await client.call_tool(
            "trigger_task_run",
            {"task": task["name"], "space": SPACE, "data_start_time": WINDOW_START, "wait": True},
            progress_callback=progress,
        )
    )
    assert final["task_id"] == task["id"]
    assert final["status"] == "COMPLETED"
    assert progress.events


async def test_a_failed_run_is_returned_with_its_failure_reason(client: Client) -> None:
    task = await make_task(client, "doomed", evaluator="pii-regex-check")
    final = ok(
        await client.call_tool(
            "trigger_task_run",
            {"task": task["id"], "data_start_time": WINDOW_START, "wait": True},
        )
    )
    assert final["status"] == "FAILED"
    assert "pii-regex-check" in final["failure_reason"]


async def test_a_cancelled_run_is_returned_by_the_wait(client: Client) -> None:
    run = await trigger(client, await make_task(client, "stopped"))
    cancelled = ok(
        await client.call_tool("cancel_task_run", {"run_id": run["id"], "confirm": True})
    )
    assert cancelled["status"] == "CANCELLED"
    final = ok(await client.call_tool("wait_for_task_run", {"run_id": run["id"]}))
    assert final["status"] == "CANCELLED"
    assert "failure_reason" in final


async def test_a_wait_that_times_out_answers_with_the_run_and_timed_out(
    client: Client, fake_time: FakeTime
) -> None:
    run = await trigger(client, await make_task(client, "slow"), max_spans=10_000)
    waited = ok(
        await client.call_tool("wait_for_task_run", {"run_id": run["id"], "timeout_seconds": 1})
    )
    assert waited["id"] == run["id"]
    assert waited["timed_out"] is True
    assert waited["status"] in ("PENDING", "RUNNING")
    assert fake_time.elapsed <= 1.0 + 1e-9
    again = ok(await client.call_tool("get_task_run", {"run_id": run["id"]}))
    assert again["status"] not in ("CANCELLED", "FAILED")  # the run goes on


async def test_a_trigger_whose_wait_times_out_answers_with_the_one_run_it_started(
    client: Client, service: TasksService, fake_time: FakeTime
) -> None:
    task = await make_task(client, "slow-trigger")
    waited = ok(
        await client.call_tool(
            "trigger_task_run",
            {
                "task": task["id"],
                "data_start_time": WINDOW_START,
                "max_spans": 10_000,
                "wait": True,
                "timeout_seconds": 1,
            },
        )
    )
    assert waited["timed_out"] is True
    assert waited["status"] in ("PENDING", "RUNNING")
    assert [r["id"] for r in service.list_runs(task["id"]).items] == [waited["id"]]


async def test_a_trigger_that_waits_to_the_end_says_it_did_not_time_out(client: Client) -> None:
    task = await make_task(client, "quick-trigger")
    waited = ok(
        await client.call_tool(
            "trigger_task_run",
            {"task": task["id"], "data_start_time": WINDOW_START, "wait": True},
        )
    )
    assert waited["status"] == "COMPLETED"
    assert waited["timed_out"] is False


async def test_a_trigger_without_wait_returns_the_new_run_as_is(client: Client) -> None:
    task = await make_task(client, "unwaited")
    run = await trigger(client, task)
    assert "timed_out" not in run
    assert run["status"] in ("PENDING", "RUNNING")


@pytest.mark.parametrize("timeout", [0, -5, 3601])
async def test_the_wait_timeout_is_bounded(client: Client, timeout: float) -> None:
    result = await client.call_tool(
        "wait_for_task_run", {"run_id": "VGFza1J1bjo5OTpxUndY", "timeout_seconds": timeout}
    )
    assert result.is_error
    assert "timeout_seconds" in result.content[0].text  # type: ignore[union-attr]


async def test_waiting_for_a_malformed_run_id(client: Client) -> None:
    message = error(await client.call_tool("wait_for_task_run", {"run_id": "nightly"}))
    assert "run ID" in message


class GatedPause:
    """The server's pause between polls, held until cancelled; records that it was."""

    def __init__(self) -> None:
        self.entered = anyio.Event()
        self.cancelled = anyio.Event()

    async def __call__(self, seconds: float) -> None:
        self.entered.set()
        try:
            await anyio.sleep_forever()
        except anyio.get_cancelled_exc_class():
            self.cancelled.set()
            raise


async def test_cancelling_the_call_stops_the_wait(
    sandbox_db: Path, connect: Connect, fake_time: FakeTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = make_service(sandbox_db, fake_time)
    pause = GatedPause()
    real_get_run = service.core.api.get_run
    calls = {"get_run": 0}

    def counting_get_run(run_id: str) -> Any:
        calls["get_run"] += 1
        return real_get_run(run_id)

    monkeypatch.setattr(service.core.api, "get_run", counting_get_run)
    try:
        async with connect(build_server(service, sleep=pause)) as client:
            run = await trigger(client, await make_task(client, "abandoned"))
            with anyio.CancelScope() as scope:

                async def cancel_on_first(progress: float, total: Any, message: Any) -> None:
                    scope.cancel()

                await client.call_tool(
                    "wait_for_task_run", {"run_id": run["id"]}, progress_callback=cancel_on_first
                )
            assert scope.cancelled_caught
            with anyio.fail_after(30):  # a bound against hanging, not a measurement
                await pause.cancelled.wait()
            assert calls["get_run"] == 1  # one poll, then the pause, cancelled with the call
            still = ok(await client.call_tool("get_task_run", {"run_id": run["id"]}))
            assert still["status"] in ("PENDING", "RUNNING")  # the run goes on undisturbed
    finally:
        service.close()


async def test_progress_is_not_needed_by_the_client(client: Client) -> None:
    run = await trigger(client, await make_task(client, "quiet"))
    final = ok(await client.call_tool("wait_for_task_run", {"run_id": run["id"]}))
    assert final["status"] == "COMPLETED"


async def test_a_run_of_another_service_instance_is_seen(
    service: TasksService, client: Client
) -> None:
    task = service.create_task(
        EvaluationTaskSpec(
            name="made-outside",
            task_type="template_evaluation",
            evaluators=[{"evaluator": "relevance"}],
            space=SPACE,
            project="rag-search",
        )
    )
    assert isinstance(task, dict)
    run = service.trigger_run(
        task["id"], RunRequest(data_start_time=datetime(2026, 3, 6, tzinfo=UTC))
    )
    assert isinstance(run, dict)
    final = ok(await client.call_tool("wait_for_task_run", {"run_id": run["id"]}))
    assert final["status"] == "COMPLETED"

"""Waiting for a run under fake time: no test sleeps for real."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import NotFoundError, ValidationError, WaitTimeoutError
from ax_tasks_mcp.service.ids import encode_id
from ax_tasks_mcp.service.models import RunProgress
from tests.support.clock import FakeTime
from tests.support.fake_arize import FakeArize


def test_waiting_polls_the_run_until_it_completes_with_a_growing_interval(
    service: TasksService, fake: FakeArize, fake_time: FakeTime, world: dict[str, Any]
) -> None:
    run = fake.run(world["eval_task"], "PENDING")
    fake.run_script[run["id"]] = ["PENDING", "RUNNING", "RUNNING", "COMPLETED"]
    seen: list[RunProgress] = []
    began = time.monotonic()
    final = service.wait_for_run(run["id"], on_progress=seen.append)
    assert time.monotonic() - began < 1.0
    assert final["status"] == "COMPLETED"
    assert [repr(s) for s in fake.sent()] == [f"GET /v2/task-runs/{run['id']}"] * 4
    assert fake_time.sleeps == [0.5, 0.75, 1.125]
    assert [p.status for p in seen] == ["PENDING", "RUNNING", "RUNNING", "COMPLETED"]
    assert seen[-1] == RunProgress(
        run_id=run["id"],
        status="COMPLETED",
        num_successes=30,
        num_errors=0,
        num_skipped=0,
        elapsed=2.375,
        polls=4,
        transient_errors=0,
    )


def test_a_run_known_from_its_trigger_stands_for_the_first_poll(
    service: TasksService, fake: FakeArize, fake_time: FakeTime, world: dict[str, Any]
) -> None:
    triggered = service.trigger_run(world["eval_task"]["id"])
    assert isinstance(triggered, dict)
    fake.run_script[triggered["id"]] = ["RUNNING", "COMPLETED"]
    before = len(fake.sent())
    final = service.wait_for_run(triggered["id"], known=triggered)
    assert final["status"] == "COMPLETED"
    assert [repr(s) for s in fake.sent()[before:]] == [f"GET /v2/task-runs/{triggered['id']}"] * 2
    assert fake_time.sleeps == [0.5, 0.75]


def test_a_known_run_of_another_id_is_ignored(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    run = fake.run(world["eval_task"], "RUNNING")
    other = fake.run(world["eval_task"], "COMPLETED")
    fake.run_script[run["id"]] = ["COMPLETED"]
    final = service.wait_for_run(run["id"], known=other)
    assert final["id"] == run["id"]
    assert [repr(s) for s in fake.sent()] == [f"GET /v2/task-runs/{run['id']}"]


def test_a_failed_run_is_returned_not_raised(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    run = fake.run(world["eval_task"], "RUNNING", failure_reason="evaluator broke")
    fake.run_script[run["id"]] = ["FAILED"]
    final = service.wait_for_run(run["id"])
    assert final["status"] == "FAILED"
    assert final["failure_reason"] == "evaluator broke"


def test_a_fixed_poll_interval_and_the_deadline_give_a_wait_timeout(
    service: TasksService, fake: FakeArize, fake_time: FakeTime, world: dict[str, Any]
) -> None:
    run = fake.run(world["eval_task"], "RUNNING")
    with pytest.raises(WaitTimeoutError) as caught:
        service.wait_for_run(run["id"], timeout=10, poll_interval=3)
    assert fake_time.sleeps == [3, 3, 3, 1]
    assert caught.value.last_status == "RUNNING"
    assert run["id"] in str(caught.value)


def test_a_transient_error_while_polling_is_counted_not_fatal(
    make_service: Callable[..., TasksService],
    fake: FakeArize,
    fake_time: FakeTime,
    world: dict[str, Any],
) -> None:
    service = make_service(max_retries=0)  # let the 503 reach the poller
    run = fake.run(world["eval_task"], "RUNNING")
    fake.run_script[run["id"]] = ["RUNNING", "HTTP 503", "COMPLETED"]
    seen: list[RunProgress] = []
    final = service.wait_for_run(run["id"], max_interval=0.2, on_progress=seen.append)
    assert final["status"] == "COMPLETED"
    assert seen[-1].transient_errors == 1
    assert fake_time.sleeps == [0.2, 0.2]


def test_a_missing_run_stops_the_wait_at_once(
    service: TasksService, fake: FakeArize, fake_time: FakeTime
) -> None:
    with pytest.raises(NotFoundError):
        service.wait_for_run(encode_id("TaskRun", 4242, "zz"))
    assert fake_time.sleeps == []
    assert fake.count("GET") == 1


def test_waiting_on_a_task_id_is_refused_without_a_request(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="run ID"):
        service.wait_for_run(world["eval_task"]["id"])
    with pytest.raises(ValidationError, match="timeout"):
        service.wait_for_run(encode_id("TaskRun", 1, "x"), timeout=0)
    assert fake.sent() == []

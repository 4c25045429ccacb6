"""A taken task name and a run that already ended are conflicts, found by a dry run with reads
and, when the API refuses the send as invalid (422, 400), looked into the same way, so the
message says what exists and what to do; a refusal that is no conflict stays as it was."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from ax_tasks_mcp import RunRequest, TaskChanges, task_spec
from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import ConflictError, ValidationError
from tests.support.clock import FakeTime

TASK = "chatbot-hallucination"


@pytest.fixture
def sandbox(tmp_path: Path, fake_time: FakeTime) -> Iterator[TasksService]:
    with TasksService.sandbox(
        str(tmp_path / "sandbox.db"), space="demo", **fake_time.options()
    ) as service:
        yield service


def _spec(name: str) -> object:
    return task_spec(
        name=name,
        task_type="template_evaluation",
        project="chatbot",
        evaluators=[{"evaluator": "relevance"}],
    )


def test_a_dry_run_create_refuses_a_name_taken_in_the_space(sandbox: TasksService) -> None:
    with pytest.raises(ConflictError) as caught:
        sandbox.plan_create(_spec(TASK))  # type: ignore[arg-type]
    message = caught.value.message
    assert f"A task named '{TASK}' already exists in space 'demo'" in message
    assert "choose another name, or change that task with update_task" in message
    assert sandbox.plan_create(_spec("a-new-name")).body["name"] == "a-new-name"  # type: ignore[arg-type]


def test_a_create_refused_for_its_name_is_a_conflict(sandbox: TasksService) -> None:
    with pytest.raises(ConflictError) as caught:
        sandbox.create_task(_spec(TASK))  # type: ignore[arg-type]
    assert caught.value.kind == "conflict"
    assert isinstance(caught.value.__cause__, ValidationError)  # the API's 422, kept as cause


def test_a_rename_onto_a_taken_name_is_a_conflict(sandbox: TasksService) -> None:
    with pytest.raises(ConflictError, match=f"A task named '{TASK}' already exists"):
        sandbox.update_task("qa-golden-json-check", TaskChanges(name=TASK))


def test_another_invalid_update_stays_a_validation_error(sandbox: TasksService) -> None:
    with pytest.raises(ValidationError):
        sandbox.update_task(TASK, TaskChanges(sampling_rate=7.0))


def _ended_run(sandbox: TasksService) -> str:
    runs = sandbox.list_runs(TASK, status="completed").items
    assert runs
    return str(runs[0]["id"])


def test_a_dry_run_cancel_of_an_ended_run_is_a_conflict(sandbox: TasksService) -> None:
    run_id = _ended_run(sandbox)
    with pytest.raises(ConflictError) as caught:
        sandbox.plan_cancel(run_id)
    assert f"Run {run_id} has already ended (COMPLETED)" in caught.value.message
    assert "nothing was changed" in caught.value.message


def test_cancelling_an_ended_run_is_a_conflict(sandbox: TasksService) -> None:
    with pytest.raises(ConflictError, match="has already ended"):
        sandbox.cancel_run(_ended_run(sandbox))


def test_a_dry_run_cancel_of_a_running_run_plans_it(
    sandbox: TasksService, fake_time: FakeTime
) -> None:
    since = fake_time.now() - timedelta(hours=6)
    run = sandbox.trigger_run(TASK, RunRequest(data_start_time=since))
    assert sandbox.plan_cancel(str(run["id"])).method == "POST"

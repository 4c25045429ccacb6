"""Writing strictly next to what this version does not know: a task of an unknown type is listed,
shown and deleted, but update and trigger refuse it before any request; a body is built into its
generated model once and that model is what is sent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from ax_tasks_client.models.create_template_evaluation_task_request import (
    CreateTemplateEvaluationTaskRequest,
)
from ax_tasks_client.models.span_evaluator_input import SpanEvaluatorInput
from ax_tasks_client.models.task_query_filters_input import TaskQueryFiltersInput
from ax_tasks_mcp import AxTasksError, EvaluationTaskSpec, RunRequest, TaskChanges, TasksService
from tests.support.fake_arize import FakeArize

NEW_TYPE = "AGENT_EVALUATION"


@pytest.fixture
def agent_task(fake: FakeArize, world: dict[str, Any]) -> dict[str, Any]:
    task = world["eval_task"]
    task["type"] = NEW_TYPE
    return task


def _writes(fake: FakeArize) -> list[str]:
    return [f"{s.method} {s.path}" for s in fake.sent() if s.method != "GET"]


@pytest.mark.parametrize("given", ["name", "id"])
def test_update_of_an_unknown_type_is_refused_before_sending(
    service: TasksService, fake: FakeArize, agent_task: dict[str, Any], given: str
) -> None:
    fake.reset_log()
    with pytest.raises(AxTasksError) as caught:
        service.update_task(agent_task[given], TaskChanges(sampling_rate=0.5))
    message = str(caught.value)
    assert f"'{NEW_TYPE}'" in message
    assert "nightly-hallucination" in message
    assert "Upgrade ax-tasks" in message
    assert _writes(fake) == []
    assert fake.sent()  # the reads that told the type, and nothing else


def test_trigger_of_an_unknown_type_is_refused_before_sending(
    service: TasksService, fake: FakeArize, agent_task: dict[str, Any]
) -> None:
    fake.reset_log()
    start = datetime(2026, 3, 9, tzinfo=UTC)
    with pytest.raises(AxTasksError, match=f"has type '{NEW_TYPE}'.*not updated or triggered"):
        service.trigger_run("nightly-hallucination", RunRequest(data_start_time=start))
    assert _writes(fake) == []


def test_a_dry_run_of_an_unknown_type_is_refused_too(
    service: TasksService, fake: FakeArize, agent_task: dict[str, Any]
) -> None:
    with pytest.raises(AxTasksError, match="Upgrade ax-tasks"):
        service.plan_update("nightly-hallucination", TaskChanges(sampling_rate=0.5))


def test_a_task_of_an_unknown_type_can_be_deleted(
    service: TasksService, fake: FakeArize, agent_task: dict[str, Any]
) -> None:
    before = service.delete_task("nightly-hallucination")
    assert before["type"] == NEW_TYPE
    assert _writes(fake) == [f"DELETE /v2/tasks/{agent_task['id']}"]


def test_a_create_builds_each_written_part_once_and_sends_that_model(
    service: TasksService,
    fake: FakeArize,
    world: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the caller wrote (evaluator entries, query filters) becomes its model once; the
    whole body is put together from those models, never rebuilt from JSON."""
    built: list[str] = []

    def count(model: type[Any]) -> None:
        original = model.from_dict.__func__

        def counting(cls: type[Any], data: Any) -> Any:
            built.append(cls.__name__)
            return original(cls, data)

        monkeypatch.setattr(model, "from_dict", classmethod(counting))

    for model in (CreateTemplateEvaluationTaskRequest, SpanEvaluatorInput, TaskQueryFiltersInput):
        count(model)
    filters = {"filters": [{"id": "A", "filter": "a = 1"}]}
    spec = EvaluationTaskSpec(
        name="once",
        task_type="TEMPLATE_EVALUATION",
        project=world["chatbot"]["id"],
        evaluators=[{"evaluator": "hallucination", "column_mappings": {"input": "x"}}],
        query_filters=filters,
    )
    service.create_task(spec)
    assert sorted(built) == ["SpanEvaluatorInput", "TaskQueryFiltersInput"]
    (sent,) = [s for s in fake.sent() if s.method == "POST"]
    assert sent.body == {
        "name": "once",
        "type": "TEMPLATE_EVALUATION",
        "evaluators": [
            {"evaluator_id": world["hallucination"]["id"], "column_mappings": {"input": "x"}}
        ],
        "project_id": world["chatbot"]["id"],
        "query_filters": filters,
    }

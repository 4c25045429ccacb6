"""End to end over the sandbox: in-process (embedded transport) and over real loopback HTTP.

Time is fake and shared: the sandbox's clock and the service's clock, sleep and now all move
together, so waiting for a run takes no wall-clock time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from ax_tasks_mcp import RunRequest, TaskChanges, task_spec
from ax_tasks_mcp.sandbox.serve import BackgroundServer
from ax_tasks_mcp.service.connect import SANDBOX_BASE_URL, TasksService
from ax_tasks_mcp.service.errors import NotFoundError, ValidationError
from ax_tasks_mcp.service.models import PlannedRequest
from ax_tasks_mcp.service.settings import Settings
from tests.support.clock import FakeTime


@pytest.fixture
def sandbox(tmp_path: Path, fake_time: FakeTime) -> Iterator[TasksService]:
    with TasksService.sandbox(
        str(tmp_path / "sandbox.db"),
        space="demo",
        sandbox_clock=fake_time.now,
        speed=1.0,
        clock=fake_time.monotonic,
        sleep=fake_time.sleep,
        now=fake_time.now,
    ) as service:
        yield service


def evaluation_lifecycle(service: TasksService, fake_time: FakeTime) -> None:
    created = service.create_task(
        task_spec(
            name="e2e-hallucination",
            task_type="template_evaluation",
            project="chatbot",
            evaluators=[
                {
                    "evaluator": "hallucination",
                    "column_mappings": {"input": "attributes.input.value"},
                }
            ],
        )
    )
    assert isinstance(created, dict)
    assert created["type"] == "TEMPLATE_EVALUATION"
    assert created["evaluators"][0]["evaluator_name"] == "hallucination"

    assert service.get_task("e2e-hallucination")["id"] == created["id"]
    updated = service.update_task(
        "e2e-hallucination", TaskChanges(sampling_rate=0.5, query_filter=None)
    )
    assert isinstance(updated, dict)
    assert updated["sampling_rate"] == 0.5

    run = service.trigger_run(
        created["id"], RunRequest(data_start_time=fake_time.now() - timedelta(days=1))
    )
    assert isinstance(run, dict)
    assert run["status"] == "PENDING"
    final = service.wait_for_run(run["id"], timeout=3600)
    assert final["status"] in ("COMPLETED", "FAILED")
    assert final["num_successes"] > 0
    assert fake_time.sleeps  # waited on fake time only

    runs = service.list_runs("e2e-hallucination").items
    assert [r["id"] for r in runs] == [run["id"]]

    deleted = service.delete_task("e2e-hallucination")
    assert isinstance(deleted, dict)
    assert deleted["id"] == created["id"]
    with pytest.raises(NotFoundError):
        service.get_task(created["id"])


def test_an_evaluation_task_lifecycle_in_the_embedded_sandbox(
    sandbox: TasksService, fake_time: FakeTime
) -> None:
    assert sandbox.base_url == SANDBOX_BASE_URL
    evaluation_lifecycle(sandbox, fake_time)


def test_a_run_experiment_task_from_lenient_input_in_the_embedded_sandbox(
    sandbox: TasksService,
) -> None:
    created = sandbox.create_task(
        task_spec(
            name="e2e-generation",
            task_type="RUN_EXPERIMENT",
            dataset="qa-golden",
            run_configuration={
                "experiment_type": "llm_generation",
                "ai_integration_id": "openai-prod",
                "model_name": "gpt-4o",
                "messages": [{"role": "user", "content": "Answer: {question}"}],
            },
        )
    )
    assert isinstance(created, dict)
    config = created["run_configuration"]
    assert config["input_variable_format"] == "F_STRING"
    assert config["messages"][0]["role"] == "USER"

    with pytest.raises(ValidationError) as caught:
        sandbox.trigger_run("e2e-generation", RunRequest(max_spans=5))
    assert "experiment_name" in caught.value.valid_fields

    run = sandbox.trigger_run(
        "e2e-generation", RunRequest(experiment_name="e2e-exp", max_examples=3)
    )
    assert isinstance(run, dict)
    cancelled = sandbox.cancel_run(run["id"])
    assert isinstance(cancelled, dict)
    assert cancelled["status"] == "CANCELLED"


def test_dataset_tasks_resolve_experiment_names_in_the_embedded_sandbox(
    sandbox: TasksService,
) -> None:
    created = sandbox.create_task(
        task_spec(
            name="e2e-dataset-eval",
            task_type="CODE_EVALUATION",
            dataset="qa-golden",
            experiment_ids=["baseline-gpt-4o", "prompt-v2"],
            evaluators=[{"evaluator": "json-validity"}],
        )
    )
    assert isinstance(created, dict)
    assert len(created["experiment_ids"]) == 2


def test_dry_runs_and_teaching_errors_in_the_embedded_sandbox(sandbox: TasksService) -> None:
    plan = sandbox.plan_create(
        task_spec(
            name="never-made",
            task_type="TEMPLATE_EVALUATION",
            project="chatbot",
            evaluators=[{"evaluator": "relevance"}],
        )
    )
    assert isinstance(plan, PlannedRequest)
    assert plan.url == f"{SANDBOX_BASE_URL}/v2/tasks"
    assert sandbox.list_tasks(name="never-made").items == []

    with pytest.raises(NotFoundError) as caught:
        sandbox.create_task(
            task_spec(
                name="x",
                task_type="TEMPLATE_EVALUATION",
                project="chatbto",
                evaluators=[{"evaluator": "relevance"}],
            )
        )
    assert "chatbot" in caught.value.suggestions


def test_names_resolve_across_pages_of_the_sandbox(sandbox: TasksService) -> None:
    for index in range(3):
        sandbox.create_task(
            task_spec(
                name=f"paged-{index}",
                task_type="CODE_EVALUATION",
                project="rag-search",
                evaluators=[{"evaluator": "json-validity"}],
            )
        )
    assert len(list(sandbox.iter_tasks(name="paged-", page_size=1))) == 3
    assert sandbox.get_task("paged-1")["name"] == "paged-1"


@pytest.mark.e2e
def test_an_evaluation_task_lifecycle_over_loopback_http(
    tmp_path: Path, fake_time: FakeTime
) -> None:
    with BackgroundServer(tmp_path / "served.db", port=0, clock=fake_time.now, speed=1.0) as server:
        assert server.url.startswith("http://127.0.0.1:")
        settings = Settings(api_key="any-key", base_url=server.url, space="demo")
        with TasksService.from_settings(
            settings, clock=fake_time.monotonic, sleep=fake_time.sleep, now=fake_time.now
        ) as service:
            evaluation_lifecycle(service, fake_time)

"""Applying a plan: the service's own writes, in an order that keeps names unique, a lost
answer never a duplicate, a failure reported with what landed, and a second apply that finishes
the work and then sends nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import yaml

from ax_tasks_mcp import Plan, ValidationError, apply_plan, export_tasks, load_tasks, plan_tasks
from ax_tasks_mcp.service.connect import TasksService
from tests.service.plans.conftest import Sandboxed
from tests.support.counting import RefusingCreates
from tests.support.fake_arize import FakeArize


def exported(sandboxed: Sandboxed) -> dict[str, Any]:
    document: dict[str, Any] = export_tasks(sandboxed.service, ["demo"]).document
    sandboxed.transport.requests.clear()
    return document


def text_of(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False)


def new_task(name: str, **extra: Any) -> dict[str, Any]:
    task = {"name": name, "type": "code_evaluation", "project": "chatbot"}
    return {**task, "evaluators": [{"evaluator": "json-validity"}], **extra}


def test_applying_makes_the_changes_and_the_next_plan_is_empty(sandboxed: Sandboxed) -> None:
    document = exported(sandboxed)
    document["tasks"][0].update(name="renamed", sampling_rate=0.1)
    document["tasks"].append(new_task("brand-new"))
    report = apply_plan(sandboxed.service, sandboxed.plan(text_of(document)))
    assert report.complete
    assert [(s.step, s.change.name) for s in report.landed] == [
        ("update", "renamed"),
        ("create", "brand-new"),
    ]
    # The plan read each task: an update costs its PATCH alone, no GET of the task first.
    assert sandboxed.transport.writes() == [
        "PATCH /v2/tasks/T25saW5lVGFzazoxOm9zemE=",
        "POST /v2/tasks",
    ]
    assert not any(r.startswith("GET /v2/tasks/") for r in sandboxed.transport.requests)
    sandboxed.transport.requests.clear()
    again = sandboxed.plan(text_of(document))
    assert not again.has_changes
    assert apply_plan(sandboxed.service, again).landed == []
    assert sandboxed.transport.writes() == []


def a_replace(sandboxed: Sandboxed) -> tuple[dict[str, Any], Plan]:
    """The plan that moves demo's dataset task to another dataset, and that task as exported."""
    document = exported(sandboxed)
    task = document["tasks"][1]
    task.update(dataset="rag-questions", experiments=["retriever-k5"])
    return task, sandboxed.plan(text_of(document))


def test_a_replace_is_refused_without_leave_and_then_deletes_and_creates(
    sandboxed: Sandboxed,
) -> None:
    task, plan = a_replace(sandboxed)
    with pytest.raises(
        ValidationError, match=r"^1 task would be replaced, .*: dataset, experiments"
    ):
        apply_plan(sandboxed.service, plan)
    assert sandboxed.transport.writes() == []
    report = apply_plan(sandboxed.service, plan, replace=True)
    assert [s.step for s in report.landed] == ["delete", "create"]
    # Told in the plan's words: one task replaced, not a delete and a create.
    assert report.summary() == "1 replaced"
    assert report.done() == [f"replaced task 'qa-golden-json-check' ({task['id']})"]
    assert report.to_dict()["summary"] == {"create": 0, "update": 0, "replace": 1, "delete": 0}
    created = report.landed[1].result
    assert created["id"] != task["id"]
    assert created["dataset_id"] == sandboxed.service.resolver.dataset_id("rag-questions", "demo")


def test_a_replace_whose_create_failed_is_told_as_the_delete_that_landed(
    sandboxed: Sandboxed,
) -> None:
    task, plan = a_replace(sandboxed)
    sandboxed.transport.inner = RefusingCreates(sandboxed.transport.inner)
    report = apply_plan(sandboxed.service, plan, replace=True)
    assert [s.step for s in report.landed] == ["delete"]
    assert report.summary() == "1 deleted"
    assert report.done() == [f"deleted task 'qa-golden-json-check' ({task['id']})"]


def test_deletes_come_first_then_renames_in_the_order_that_frees_names(
    sandboxed: Sandboxed,
) -> None:
    document = exported(sandboxed)
    first, second = document["tasks"]
    # second takes first's name, first takes a new one: first must be renamed before second.
    document["tasks"] = [{**second, "name": first["name"]}, {**first, "name": "freed"}]
    report = apply_plan(sandboxed.service, sandboxed.plan(text_of(document)))
    assert [(s.step, s.change.name) for s in report.landed] == [
        ("update", "freed"),
        ("update", first["name"]),
    ]
    assert not sandboxed.plan(text_of(document)).has_changes


def test_switching_filters_clears_the_other_one_in_the_same_update(sandboxed: Sandboxed) -> None:
    document = exported(sandboxed)
    task = document["tasks"][0]
    assert task["query_filter"]
    del task["query_filter"]
    task["query_filters"] = {"filters": [{"id": "A", "filter": "attributes.x = 1"}]}
    task["evaluators"] = [
        {
            "evaluator": "trace-goal-completion",
            "query_mappings": [
                {"variable_name": "goal", "query_ids": ["A"], "attribute_path": "attributes.x"}
            ],
        }
    ]
    assert apply_plan(sandboxed.service, sandboxed.plan(text_of(document))).complete
    assert not sandboxed.plan(text_of(document)).has_changes  # the lone filter's expression


def test_an_agent_template_the_api_echoes_normalised_stays_unchanged(sandboxed: Sandboxed) -> None:
    task = {
        "name": "agent-call",
        "type": "run_experiment",
        "dataset": "checkout-regressions",
        "run_configuration": {
            "experiment_type": "agent_call",
            "integration": "support-agent-runtime",
            "input_template": {"question": "{{dataset.question}}", "n": 2},
        },
    }
    text = text_of({"space": "production-llm", "tasks": [task]})
    assert apply_plan(sandboxed.service, sandboxed.plan(text)).complete
    assert not sandboxed.plan(text).has_changes


def test_a_failed_write_stops_the_apply_and_says_what_landed(
    make_service: Callable[..., TasksService], fake: FakeArize, world: dict[str, Any]
) -> None:
    posts: list[httpx.Request] = []

    def second_create_refused(request: httpx.Request) -> httpx.Response:
        posts.append(request)
        if len(posts) == 2:
            return httpx.Response(422, json={"title": "Unprocessable", "status": 422})
        return fake._answer("POST", "/v2/tasks", request)

    fake.override("POST", "/v2/tasks", second_create_refused)
    service = make_service()
    tasks = [
        new_task(
            "nightly-hallucination",
            type="template_evaluation",
            sampling_rate=0.3,
            evaluators=[{"evaluator": "hallucination"}],
        ),
        *(new_task(name, evaluators=[{"evaluator": "relevance"}]) for name in ("a", "b", "c")),
    ]
    plan = plan_tasks(service, load_tasks(texts=[("t.yaml", text_of({"tasks": tasks}))]))
    steps: list[tuple[int, int | None]] = []
    report = apply_plan(service, plan, on_progress=lambda p: steps.append((p.done, p.total)))
    assert [(s.step, s.change.name) for s in report.landed] == [
        ("update", "nightly-hallucination"),
        ("create", "a"),
    ]
    assert report.failed is not None
    assert (report.failed[1], report.failed[0].name) == ("create", "b")
    assert [(c.name, step) for c, step in report.not_tried] == [("c", "create")]
    assert steps == [(1, 4), (2, 4)]
    assert "HTTP 422" in report.to_dict()["failed"]["error"]
    # A second apply plans from what landed: only what is missing is left to do.
    fake.overrides.clear()
    again = plan_tasks(service, load_tasks(texts=[("t.yaml", text_of({"tasks": tasks}))]))
    assert again.counts == {"create": 2, "update": 0, "replace": 0, "delete": 0, "unchanged": 2}


def test_a_create_whose_answer_was_lost_is_found_not_made_twice(
    make_service: Callable[..., TasksService], fake: FakeArize, world: dict[str, Any]
) -> None:
    service = make_service()
    fake.lose_next("POST", "/v2/tasks", landed=True)
    tasks = [new_task("once", evaluators=[{"evaluator": "hallucination"}])]
    plan = plan_tasks(service, load_tasks(texts=[("t.yaml", text_of({"tasks": tasks}))]))
    report = apply_plan(service, plan)
    assert report.complete
    assert Counter(t["name"] for t in fake.world.tasks)["once"] == 1
    assert fake.count("POST", "/v2/tasks") == 1

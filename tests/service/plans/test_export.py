"""Export: a space's tasks as a file that plans back to nothing, in a stable order, references
by name where the name is unique, read-only fields left out, the schema named first."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from ax_tasks_mcp import NotFoundError, dump_tasks, export_tasks, load_tasks, plan_tasks
from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.plans.schema import schema
from tests.service.plans.conftest import Sandboxed
from tests.support.fake_arize import FakeArize

READ_ONLY = ("created_at", "updated_at", "last_run_at", "created_by_user_id", "evaluator_name")


def test_every_seeded_space_exports_to_a_file_that_plans_to_nothing(sandboxed: Sandboxed) -> None:
    exported = export_tasks(sandboxed.service, ["demo", "production-llm", "research"])
    text = dump_tasks(exported)
    assert text.startswith(f"# yaml-language-server: $schema={schema()['$id']}\n")
    assert exported.count == 4
    assert not any(word in text for word in READ_ONLY)
    plan = plan_tasks(sandboxed.service, load_tasks(texts=[("all.yaml", text)]))
    assert plan.counts["unchanged"] == 4
    assert not plan.has_changes


def test_references_are_names_and_the_task_keeps_its_id(sandboxed: Sandboxed) -> None:
    document = export_tasks(sandboxed.service, ["demo", "production-llm"]).document
    demo, production = document["spaces"]
    chatbot, qa = demo["tasks"]
    assert list(chatbot)[:4] == ["name", "id", "type", "project"]
    assert chatbot["project"] == "chatbot"
    assert [e["evaluator"] for e in chatbot["evaluators"]] == ["hallucination", "relevance"]
    assert qa["dataset"] == "qa-golden"
    assert qa["experiments"] == ["baseline-gpt-4o", "claude-sonnet"]
    assert "sampling_rate" not in qa  # a dataset task has none
    config = production["tasks"][0]["run_configuration"]
    assert config["ai_integration"] == "openai-prod"


def test_the_same_space_exports_to_the_same_text(sandboxed: Sandboxed) -> None:
    first = dump_tasks(export_tasks(sandboxed.service, ["demo"]))
    assert dump_tasks(export_tasks(sandboxed.service, ["demo"])) == first


def test_json_names_its_schema_and_reads_back(sandboxed: Sandboxed) -> None:
    text = dump_tasks(export_tasks(sandboxed.service, ["demo"]), "json")
    data = json.loads(text)
    assert next(iter(data)) == "$schema"
    plan = plan_tasks(sandboxed.service, load_tasks(texts=[("demo.json", text)]))
    assert not plan.has_changes


def test_named_tasks_only_and_a_name_that_is_not_there(sandboxed: Sandboxed) -> None:
    document = export_tasks(sandboxed.service, ["demo"], tasks=["qa-golden-json-check"]).document
    assert [t["name"] for t in document["tasks"]] == ["qa-golden-json-check"]
    with pytest.raises(NotFoundError, match=r"No task named 'qa-golden' .*Looked in 'demo'"):
        export_tasks(sandboxed.service, ["demo"], tasks=["qa-golden"])


def test_a_name_two_things_share_is_written_as_the_id_and_plans_back(
    make_service: Callable[..., TasksService], fake: FakeArize, world: dict[str, Any]
) -> None:
    twin = fake.evaluator("hallucination", world["demo"])
    fake.task("twin-user", world["demo"], project=world["chatbot"])
    fake.world.tasks[0]["evaluators"] = [
        {"evaluator_id": twin["id"], "evaluator_name": "hallucination"}
    ]
    service = make_service()
    exported = export_tasks(service, ["demo"], tasks=["twin-user"])
    [task] = exported.document["tasks"]
    assert task["evaluators"] == [{"evaluator": twin["id"]}]
    plan = plan_tasks(service, load_tasks(texts=[("t.yaml", dump_tasks(exported))]))
    assert plan.counts["unchanged"] == 1


def test_a_task_of_a_type_this_version_cannot_write_is_left_out_and_said(
    make_service: Callable[..., TasksService], fake: FakeArize, world: dict[str, Any]
) -> None:
    fake.task("from-the-future", world["demo"], task_type="SESSION_EVALUATION")
    exported = export_tasks(make_service(), ["demo"])
    assert "from-the-future" not in [t["name"] for t in exported.document["tasks"]]
    assert exported.skipped == [
        f"task 'from-the-future' ({fake.world.tasks[0]['id']}): SESSION_EVALUATION"
    ]

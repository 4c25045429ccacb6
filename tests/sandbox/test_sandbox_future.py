"""Future mode: the sandbox answers as a next API release might, and its answers conform to the
spec extended that way (and not to today's)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from ax_tasks_mcp.sandbox.future import (
    ANNOTATIONS,
    ENV_FUTURE,
    NEW_RUN_STATUS,
    NEW_TASK_TYPE,
    extended_spec,
    free_form_keys,
)
from tests.sandbox.conftest import SpecChecker, make_client

READS = (
    ("/v2/tasks", "tasks"),
    ("/v2/spaces", "spaces"),
    ("/v2/projects", "projects"),
    ("/v2/datasets", "datasets"),
    ("/v2/evaluators", "evaluators"),
    ("/v2/experiments", "experiments"),
    ("/v2/ai-integrations", "ai_integrations"),
)


@pytest.fixture(scope="module")
def future_document(spec_document: dict[str, Any]) -> dict[str, Any]:
    return extended_spec(spec_document)


@pytest.fixture
def future_api(
    make_app: Callable[..., Any], future_document: dict[str, Any]
) -> Iterator[TestClient]:
    """A future-mode sandbox whose every answer is checked against the extended spec."""
    with make_client(make_app(future=True), SpecChecker(future_document)) as client:
        yield client


def _objects(value: Any, free_form: frozenset[str]) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _objects(item, free_form)
    elif isinstance(value, dict) and value:
        yield value
        for key, item in value.items():
            if key not in free_form:
                yield from _objects(item, free_form)


def test_the_extended_spec_adds_the_new_values_and_fields_to_answers_only(
    spec_document: dict[str, Any], future_document: dict[str, Any]
) -> None:
    schemas = future_document["components"]["schemas"]
    assert schemas["TaskType"]["enum"][-1] == NEW_TASK_TYPE
    assert schemas["TaskRunStatus"]["enum"][-1] == NEW_RUN_STATUS
    assert {"revision", "annotations"} <= set(schemas["Task"]["properties"])
    assert {"revision", "annotations"} <= set(schemas["TaskRun"]["properties"])
    # Request bodies stay closed to unknown fields, as today.
    closed = schemas["SpanEvaluatorInput"]
    assert closed["additionalProperties"] is False
    assert "revision" not in closed["properties"]
    assert "revision" not in spec_document["components"]["schemas"]["Task"]["properties"]


def test_free_form_maps_are_found_in_the_spec() -> None:
    from ax_tasks_mcp.sandbox.core import load_spec

    keys = free_form_keys(load_spec().document)
    assert {"column_mappings", "headers", "input_template", "provider_parameters"} <= keys
    assert "run_configuration" not in keys
    assert "query_filters" not in keys


@pytest.mark.parametrize(("path", "key"), READS)
def test_every_object_of_every_list_gains_the_new_fields_in_place(
    future_api: TestClient, future_document: dict[str, Any], path: str, key: str
) -> None:
    body = future_api.get(path, params={"limit": 100}).json()
    assert body[key]
    free_form = free_form_keys(future_document)
    for obj in _objects(body, free_form):
        names = list(obj)
        assert names[1] == "revision", names  # after the first field, not at either end
        assert names[-1] == "annotations"
        assert obj["annotations"] == ANNOTATIONS


def test_a_seeded_task_has_the_new_type_and_its_runs_the_new_status(
    future_api: TestClient,
) -> None:
    tasks = future_api.get("/v2/tasks", params={"limit": 100}).json()["tasks"]
    future = [t for t in tasks if t["type"] == NEW_TASK_TYPE]
    assert [t["name"] for t in future] == ["agent-goal-completion"]
    assert any(t["type"] == "TEMPLATE_EVALUATION" for t in tasks)  # only some tasks
    runs = future_api.get(f"/v2/tasks/{future[0]['id']}/runs").json()["task_runs"]
    assert runs
    assert {r["status"] for r in runs} == {NEW_RUN_STATUS}
    one = future_api.get(f"/v2/task-runs/{runs[0]['id']}").json()
    assert one["status"] == NEW_RUN_STATUS
    assert one["run_finished_at"] is None
    other = next(t for t in tasks if t["name"] == "chatbot-hallucination")
    statuses = {
        r["status"] for r in future_api.get(f"/v2/tasks/{other['id']}/runs").json()["task_runs"]
    }
    assert NEW_RUN_STATUS not in statuses


def test_free_form_maps_keep_only_the_users_keys(future_api: TestClient) -> None:
    tasks = future_api.get("/v2/tasks", params={"limit": 100}).json()["tasks"]
    chatbot = next(t for t in tasks if t["name"] == "chatbot-hallucination")
    assert chatbot["evaluators"][0]["column_mappings"] == {"output": "attributes.output.value"}


def test_future_answers_break_todays_spec(
    make_app: Callable[..., Any], spec_checker: SpecChecker
) -> None:
    """The point of the mode: today's spec would refuse what it serves."""
    client = TestClient(make_app(future=True), headers={"Authorization": "Bearer k"})
    with client:
        response = client.get("/v2/tasks", params={"limit": 100})
    assert any(NEW_TASK_TYPE in problem for problem in spec_checker.problems(response))


def test_the_environment_turns_it_on_and_off_is_today(
    make_app: Callable[..., Any], spec_checker: SpecChecker, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_FUTURE, "1")
    with make_client(make_app(), SpecChecker(extended_spec(spec_checker.document))) as client:
        assert "revision" in client.get("/v2/spaces").json()["spaces"][0]
    monkeypatch.delenv(ENV_FUTURE)
    with make_client(make_app(), spec_checker) as client:
        assert "revision" not in client.get("/v2/spaces").json()["spaces"][0]


def test_writes_are_checked_against_the_extended_spec_and_answered_dressed(
    future_api: TestClient,
) -> None:
    tasks = future_api.get("/v2/tasks", params={"limit": 100}).json()["tasks"]
    chatbot = next(t for t in tasks if t["name"] == "chatbot-hallucination")
    refused = future_api.patch(f"/v2/tasks/{chatbot['id']}", json={"revision": 8})
    assert refused.status_code == 400  # request bodies stay strict
    updated = future_api.patch(f"/v2/tasks/{chatbot['id']}", json={"sampling_rate": 0.25})
    assert updated.status_code == 200
    assert updated.json()["revision"] == 7

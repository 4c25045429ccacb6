"""Every error the contract names answers with the right status and a problem+json body."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from starlette.testclient import TestClient

from ax_tasks_mcp.sandbox import ids
from tests.support.clock import FakeTime
from tests.support.sandbox_data import (
    WINDOW,
    Catalog,
    experiment_task_body,
    span_task_body,
)


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail"} <= set(body)
    return body


@pytest.fixture
def task(api: TestClient, catalog: Catalog) -> dict[str, Any]:
    response = api.post("/v2/tasks", json=span_task_body(catalog))
    assert response.status_code == 201
    return dict(response.json())


@pytest.fixture
def experiment_task(api: TestClient, catalog: Catalog) -> dict[str, Any]:
    response = api.post("/v2/tasks", json=experiment_task_body(catalog))
    assert response.status_code == 201
    return dict(response.json())


# ------------------------------------------------------------------ 401


@pytest.mark.parametrize("header", [None, "Bearer ", "Bearer   ", "Basic dXNlcjpwYXNz", "token"])
def test_requests_without_a_bearer_token_get_401(anonymous: TestClient, header: str | None) -> None:
    headers = {"Authorization": header} if header is not None else {}
    body = problem(anonymous.get("/v2/tasks", headers=headers), 401)
    assert "Bearer" in body["detail"]


def test_any_non_empty_bearer_token_is_accepted(anonymous: TestClient) -> None:
    assert anonymous.get("/v2/spaces", headers={"Authorization": "Bearer x"}).status_code == 200


def test_401_comes_before_anything_else(anonymous: TestClient) -> None:
    problem(anonymous.delete("/v2/tasks/not-an-id"), 401)


# ------------------------------------------------------------------ 404


def test_an_unknown_task_id_is_404(api: TestClient) -> None:
    body = problem(api.get(f"/v2/tasks/{ids.encode(ids.TASK, 999)}"), 404)
    assert "no task" in body["detail"]


def test_a_task_run_id_on_the_task_path_is_404(api: TestClient, task: dict[str, Any]) -> None:
    run = api.post(f"/v2/tasks/{task['id']}/trigger", json=WINDOW).json()
    body = problem(api.get(f"/v2/tasks/{run['id']}"), 404)
    assert "task run, not of a task" in body["detail"]
    problem(api.get(f"/v2/task-runs/{task['id']}"), 404)


def test_an_id_this_sandbox_never_issued_is_404(api: TestClient) -> None:
    forged = base64.b64encode(b"OnlineTask:1:XXXX").decode()
    problem(api.get(f"/v2/tasks/{forged}"), 404)


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/v2/tasks", {"space_id": "U3BhY2U6OTk5OTk="}),
        ("/v2/tasks", {"project_id": "RGF0YXNldDoxOmdySUs="}),
        ("/v2/projects", {"space_id": "U3BhY2U6OTk5OTk="}),
        ("/v2/experiments", {"dataset_id": "RGF0YXNldDo5OTk="}),
    ],
)
def test_filters_naming_unknown_resources_are_404(
    api: TestClient, path: str, query: dict[str, str]
) -> None:
    problem(api.get(path, params=query), 404)


def test_an_unknown_path_is_404_and_a_wrong_method_405(api: TestClient) -> None:
    problem(api.get("/v2/nothing-here"), 404)
    response = api.put("/v2/tasks", json={})
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]


# ------------------------------------------------------------------ 400


@pytest.mark.parametrize("bad", ["abc", "T25saW5lVGFzazo0NTpxUndY!", "T25saW5lVGFzazo0NTpxUndY=="])
def test_a_malformed_id_in_the_path_is_400(api: TestClient, bad: str) -> None:
    problem(api.get(f"/v2/tasks/{bad}"), 400)


def test_a_body_that_is_not_json_is_400(api: TestClient) -> None:
    response = api.post(
        "/v2/tasks", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert "JSON" in problem(response, 400)["detail"]


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/v2/tasks", {"name": "n" * 256}),
        ("/v2/projects", {"space_name": "s" * 256}),
        ("/v2/evaluators", {"name": "e" * 4_000}),
    ],
)
def test_a_filter_past_the_specs_bound_is_400_without_its_echo(
    api: TestClient, path: str, params: dict[str, str]
) -> None:
    detail = problem(api.get(path, params=params), 400)["detail"]
    assert "at most 255 characters" in detail
    assert len(detail) < 200  # it says how long, it does not quote it back


def test_a_body_string_past_the_specs_bound_is_400(api: TestClient, catalog: Catalog) -> None:
    body = experiment_task_body(catalog)
    run = api.post("/v2/tasks", json=body).json()
    response = api.post(f"/v2/tasks/{run['id']}/trigger", json={"experiment_name": "x" * 256})
    assert "at most 255 characters are allowed, not 256" in problem(response, 400)["detail"]


def test_a_missing_required_body_is_400(api: TestClient) -> None:
    problem(api.post("/v2/tasks"), 400)


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/v2/tasks", {"type": "template_evaluation"}),
        ("/v2/tasks", {"limit": "0"}),
        ("/v2/tasks", {"limit": "101"}),
        ("/v2/tasks", {"limit": "ten"}),
        ("/v2/projects", {"project_type": "application"}),
        ("/v2/spaces", {"name": "x" * 256}),
    ],
)
def test_query_parameters_are_checked_against_the_spec(
    api: TestClient, path: str, query: dict[str, str]
) -> None:
    problem(api.get(path, params=query), 400)


def test_lowercase_enums_in_a_body_are_400(api: TestClient, catalog: Catalog) -> None:
    body = span_task_body(catalog, type="template_evaluation")
    detail = problem(api.post("/v2/tasks", json=body), 400)["detail"]
    assert "TEMPLATE_EVALUATION" in detail


def test_lowercase_run_status_filter_is_400(api: TestClient, task: dict[str, Any]) -> None:
    problem(api.get(f"/v2/tasks/{task['id']}/runs", params={"status": "pending"}), 400)


@pytest.mark.parametrize("field", ["id", "created_at", "updated_at"])
def test_system_fields_on_create_are_400(api: TestClient, catalog: Catalog, field: str) -> None:
    body = span_task_body(catalog, **{field: "2026-03-01T00:00:00Z"})
    assert field in problem(api.post("/v2/tasks", json=body), 400)["detail"]


@pytest.mark.parametrize(
    "change",
    [
        {"project_id": None},  # neither project nor dataset
        {"dataset_id": "RGF0YXNldDoxOmdySUs="},  # both
        {"query_filter": "a = 1", "query_filters": {"filters": [{"id": "A", "filter": "x"}]}},
        {"sampling_rate": 1.5},
        {"evaluators": []},
        {"project_id": "not-an-id"},
    ],
)
def test_malformed_create_bodies_are_400(
    api: TestClient, catalog: Catalog, change: dict[str, Any]
) -> None:
    body = span_task_body(catalog)
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None}
    problem(api.post("/v2/tasks", json=body), 400)


def test_mixing_the_span_and_trace_shapes_is_400(api: TestClient, catalog: Catalog) -> None:
    body = span_task_body(
        catalog,
        query_filters={"filters": [{"id": "A", "filter": "kind = 'AGENT'"}]},
    )
    detail = problem(api.post("/v2/tasks", json=body), 400)["detail"]
    assert "span shape" in detail


def test_an_empty_patch_is_400_and_lists_the_fields(api: TestClient, task: dict[str, Any]) -> None:
    detail = problem(api.patch(f"/v2/tasks/{task['id']}", json={}), 400)["detail"]
    assert "sampling_rate" in detail
    assert "evaluators" in detail


def test_update_fields_of_the_other_type_are_400_listing_those_that_fit(
    api: TestClient, task: dict[str, Any], experiment_task: dict[str, Any]
) -> None:
    detail = problem(
        api.patch(
            f"/v2/tasks/{task['id']}",
            json={"run_configuration": {"experiment_type": "AGENT_CALL"}},
        ),
        400,
    )["detail"]
    assert "run_configuration does not fit a TEMPLATE_EVALUATION task" in detail
    assert "query_filters" in detail
    detail = problem(
        api.patch(f"/v2/tasks/{experiment_task['id']}", json={"sampling_rate": 0.5}), 400
    )["detail"]
    assert "name, run_configuration" in detail


def test_trigger_fields_of_the_other_type_are_400(
    api: TestClient, task: dict[str, Any], experiment_task: dict[str, Any]
) -> None:
    detail = problem(
        api.post(f"/v2/tasks/{task['id']}/trigger", json={"experiment_name": "x"}), 400
    )["detail"]
    assert "data_start_time" in detail
    detail = problem(
        api.post(
            f"/v2/tasks/{experiment_task['id']}/trigger",
            json={"experiment_name": "x", "max_spans": 5},
        ),
        400,
    )["detail"]
    assert "experiment_name" in detail
    assert "max_spans does not fit" in detail


def test_a_run_experiment_trigger_needs_an_experiment_name(
    api: TestClient, experiment_task: dict[str, Any]
) -> None:
    problem(api.post(f"/v2/tasks/{experiment_task['id']}/trigger", json={}), 400)


def test_example_ids_and_max_examples_are_exclusive(
    api: TestClient, experiment_task: dict[str, Any]
) -> None:
    body = {"experiment_name": "e", "example_ids": ["a"], "max_examples": 2}
    problem(api.post(f"/v2/tasks/{experiment_task['id']}/trigger", json=body), 400)


@pytest.mark.parametrize(
    ("window", "words"),
    [
        (
            {
                "data_start_time": "2026-01-01T00:00:00+00:00",
                "data_end_time": "2026-03-01T00:00:00Z",
            },
            "at most 30 days",
        ),
        (
            {
                "data_start_time": "2026-03-05T00:00:00Z",
                "data_end_time": "2026-03-05T00:00:00Z",
            },
            "before",
        ),
        (
            {
                "data_start_time": "2026-03-06T00:00:00Z",
                "data_end_time": "2026-03-05T00:00:00Z",
            },
            "before",
        ),
        ({"data_end_time": "2026-03-05T00:00:00Z"}, "required on the first run"),
        ({"data_start_time": "yesterday"}, "date-time"),
    ],
)
def test_bad_data_windows_are_400(
    api: TestClient, task: dict[str, Any], window: dict[str, str], words: str
) -> None:
    detail = problem(api.post(f"/v2/tasks/{task['id']}/trigger", json=window), 400)["detail"]
    assert words in detail


def test_an_invalid_cursor_is_400(api: TestClient) -> None:
    problem(api.get("/v2/tasks", params={"cursor": "garbage"}), 400)
    spaces_cursor = api.get("/v2/spaces", params={"limit": 1}).json()["pagination"]["next_cursor"]
    problem(api.get("/v2/projects", params={"cursor": spaces_cursor}), 400)


def test_cancelling_a_finished_run_is_400(
    api: TestClient, task: dict[str, Any], clock: FakeTime
) -> None:
    run = api.post(f"/v2/tasks/{task['id']}/trigger", json=WINDOW).json()
    clock.advance(3600)
    assert api.get(f"/v2/task-runs/{run['id']}").json()["status"] == "COMPLETED"
    detail = problem(api.post(f"/v2/task-runs/{run['id']}/cancel"), 400)["detail"]
    assert "already COMPLETED" in detail


def test_experiments_filtered_by_both_dataset_and_space_is_400(
    api: TestClient, catalog: Catalog
) -> None:
    query = {
        "dataset_id": catalog.datasets["qa-golden"]["id"],
        "space_id": catalog.spaces["demo"]["id"],
    }
    problem(api.get("/v2/experiments", params=query), 400)


# ------------------------------------------------------------------ 409


def test_a_duplicate_experiment_name_in_the_dataset_is_409(
    api: TestClient, experiment_task: dict[str, Any]
) -> None:
    url = f"/v2/tasks/{experiment_task['id']}/trigger"
    detail = problem(api.post(url, json={"experiment_name": "baseline-gpt-4o"}), 409)["detail"]
    assert "baseline-gpt-4o" in detail
    assert api.post(url, json={"experiment_name": "fresh"}).status_code == 201
    problem(api.post(url, json={"experiment_name": "fresh"}), 409)


# ------------------------------------------------------------------ 422


def test_a_task_name_already_used_in_the_space_is_422(api: TestClient, catalog: Catalog) -> None:
    assert api.post("/v2/tasks", json=span_task_body(catalog, "twin")).status_code == 201
    detail = problem(api.post("/v2/tasks", json=span_task_body(catalog, "twin")), 422)["detail"]
    assert "twin" in detail
    other_space = span_task_body(catalog, "twin", project_id=catalog.projects["chatbot-v2"]["id"])
    other_space["evaluators"][0]["evaluator_id"] = catalog.evaluator(
        "hallucination", "production-llm"
    )
    assert api.post("/v2/tasks", json=other_space).status_code == 201


def test_renaming_onto_a_taken_name_is_422(api: TestClient, task: dict[str, Any]) -> None:
    response = api.patch(f"/v2/tasks/{task['id']}", json={"name": "chatbot-hallucination"})
    problem(response, 422)


def test_an_evaluator_version_of_another_evaluator_is_422(
    api: TestClient, catalog: Catalog
) -> None:
    body = span_task_body(catalog)
    body["evaluators"][0]["evaluator_version_id"] = ids.encode(ids.EVALUATOR_VERSION, 5)
    detail = problem(api.post("/v2/tasks", json=body), 422)["detail"]
    assert "is a version of evaluator" in detail


def test_evaluators_of_mixed_data_scope_are_422(api: TestClient, catalog: Catalog) -> None:
    body = span_task_body(catalog)
    body["project_id"] = catalog.projects["support-agent"]["id"]
    body["query_filters"] = {"filters": [{"id": "A", "filter": "kind = 'AGENT'"}]}
    mapping = [{"variable_name": "x", "query_ids": ["A"], "attribute_path": "attributes.input"}]
    body["evaluators"] = [
        {"evaluator_id": catalog.evaluator("trace-goal-completion"), "query_mappings": mapping},
        {"evaluator_id": catalog.evaluator("session-frustration"), "query_mappings": mapping},
    ]
    detail = problem(api.post("/v2/tasks", json=body), 422)["detail"]
    assert "data scope" in detail
    assert "TRACE" in detail
    assert "SESSION" in detail


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("project_id", ids.encode(ids.PROJECT, 999)),
        ("project_id", ids.encode(ids.DATASET, 1)),
    ],
)
def test_unknown_projects_are_422(
    api: TestClient, catalog: Catalog, field: str, value: str
) -> None:
    problem(api.post("/v2/tasks", json=span_task_body(catalog, **{field: value})), 422)


def test_unknown_evaluators_are_422(api: TestClient, catalog: Catalog) -> None:
    body = span_task_body(catalog)
    body["evaluators"][0]["evaluator_id"] = ids.encode(ids.EVALUATOR, 999)
    problem(api.post("/v2/tasks", json=body), 422)


def test_an_evaluator_of_another_space_is_422(api: TestClient, catalog: Catalog) -> None:
    body = span_task_body(catalog)
    body["evaluators"][0]["evaluator_id"] = catalog.evaluator("hallucination", "research")
    problem(api.post("/v2/tasks", json=body), 422)


def test_unknown_datasets_and_integrations_are_422(api: TestClient, catalog: Catalog) -> None:
    body = experiment_task_body(catalog, dataset_id=ids.encode(ids.DATASET, 999))
    problem(api.post("/v2/tasks", json=body), 422)
    body = experiment_task_body(catalog)
    body["run_configuration"]["ai_integration_id"] = ids.encode(ids.INTEGRATION, 999)
    problem(api.post("/v2/tasks", json=body), 422)


def test_agent_call_needs_an_agent_integration(api: TestClient, catalog: Catalog) -> None:
    body = experiment_task_body(catalog)
    body["run_configuration"] = {
        "experiment_type": "AGENT_CALL",
        "integration_id": catalog.integrations["openai-prod"]["id"],
        "input_template": {"q": "{{question}}"},
    }
    detail = problem(api.post("/v2/tasks", json=body), 422)["detail"]
    assert "support-agent-runtime" in detail


def test_dataset_experiments_of_another_dataset_are_422_on_create(
    api: TestClient, catalog: Catalog
) -> None:
    body = span_task_body(catalog)
    del body["project_id"]
    body["dataset_id"] = catalog.datasets["qa-golden"]["id"]
    body["experiment_ids"] = catalog.experiments_of("rag-questions")
    problem(api.post("/v2/tasks", json=body), 422)


def test_a_refused_write_changes_nothing(api: TestClient, catalog: Catalog) -> None:
    before = api.get("/v2/tasks", params={"limit": 100}).json()["tasks"]
    body = span_task_body(catalog)
    body["evaluators"][0]["evaluator_id"] = ids.encode(ids.EVALUATOR, 999)
    problem(api.post("/v2/tasks", json=body), 422)
    assert api.get("/v2/tasks", params={"limit": 100}).json()["tasks"] == before

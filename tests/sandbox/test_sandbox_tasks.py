"""Tasks: create each type, read back, update, delete, list with filters and cursors."""

from __future__ import annotations

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


def create(api: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/v2/tasks", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_project_task_is_stored_and_read_back(api: TestClient, catalog: Catalog) -> None:
    task = create(
        api,
        span_task_body(
            catalog, sampling_rate=0.25, is_continuous=True, query_filter="status = 'ERROR'"
        ),
    )
    assert ids.decode(task["id"]).type_name == "OnlineTask"
    assert task["type"] == "TEMPLATE_EVALUATION"
    assert task["project_id"] == catalog.projects["chatbot"]["id"]
    assert task["dataset_id"] is None
    assert task["sampling_rate"] == 0.25
    assert task["is_continuous"] is True
    assert task["query_filter"] == "status = 'ERROR'"
    assert task["query_filters"] is None
    assert task["experiment_ids"] == []
    assert task["run_configuration"] is None
    assert task["last_run_at"] is None
    assert task["evaluators"][0]["evaluator_name"] == "hallucination"
    assert task["evaluators"][0]["evaluator_version_id"] is None
    assert api.get(f"/v2/tasks/{task['id']}").json() == task


def test_a_trace_task_gets_its_lone_filter_as_the_expression(
    api: TestClient, catalog: Catalog
) -> None:
    body = span_task_body(
        catalog, "traces", query_filters={"filters": [{"id": "A", "filter": "x"}]}
    )
    body["project_id"] = catalog.projects["support-agent"]["id"]
    body["evaluators"] = [
        {
            "evaluator_id": catalog.evaluator("trace-goal-completion"),
            "evaluator_version_id": None,
            "query_mappings": [
                {"variable_name": "goal", "query_ids": ["A"], "attribute_path": "input.value"}
            ],
        }
    ]
    task = create(api, body)
    assert task["query_filters"] == {"filters": [{"id": "A", "filter": "x"}], "expression": "A"}
    assert task["query_filter"] is None
    assert task["evaluators"][0]["query_mappings"][0]["query_ids"] == ["A"]


def test_two_filters_need_an_expression(api: TestClient, catalog: Catalog) -> None:
    filters = {"filters": [{"id": "A", "filter": "x"}, {"id": "B", "filter": "y"}]}
    body = span_task_body(catalog, query_filters=filters)
    body["evaluators"] = [
        {
            "evaluator_id": catalog.evaluator("trace-goal-completion"),
            "query_mappings": [{"variable_name": "v", "query_ids": [], "attribute_path": "a"}],
        }
    ]
    response = api.post("/v2/tasks", json=body)
    assert response.status_code == 400
    assert "A AND B" in response.json()["detail"]
    body["query_filters"]["expression"] = "A OR B"
    assert create(api, body)["query_filters"]["expression"] == "A OR B"


def test_a_dataset_task_scores_experiments(api: TestClient, catalog: Catalog) -> None:
    body = span_task_body(catalog, "ds", type="CODE_EVALUATION")
    del body["project_id"]
    body["dataset_id"] = catalog.datasets["qa-golden"]["id"]
    body["experiment_ids"] = catalog.experiments_of("qa-golden")[:2]
    body["evaluators"][0]["evaluator_id"] = catalog.evaluator("json-validity")
    task = create(api, body)
    assert task["type"] == "CODE_EVALUATION"
    assert task["project_id"] is None
    assert task["sampling_rate"] is None
    assert task["is_continuous"] is False
    assert task["experiment_ids"] == body["experiment_ids"]


@pytest.mark.parametrize("extra", [{"is_continuous": True}, {"sampling_rate": 0.5}, {}])
def test_dataset_tasks_refuse_project_only_fields(
    api: TestClient, catalog: Catalog, extra: dict[str, Any]
) -> None:
    body = span_task_body(catalog, "ds", **extra)
    del body["project_id"]
    body["dataset_id"] = catalog.datasets["qa-golden"]["id"]
    assert api.post("/v2/tasks", json=body).status_code == 400  # {} lacks experiment_ids


@pytest.mark.parametrize(
    "config",
    [
        {
            "experiment_type": "LLM_GENERATION",
            "ai_integration_id": "anthropic",
            "messages": [
                {"role": "SYSTEM", "content": "Be brief."},
                {"role": "USER", "content": "{q}"},
            ],
            "input_variable_format": "MUSTACHE",
            "invocation_parameters": {"temperature": 0.1, "max_tokens": 200},
        },
        {
            "experiment_type": "TEMPLATE_EVALUATION",
            "ai_integration_id": "openai-prod",
            "model_name": "gpt-4o",
            "template": "Is {{output}} correct?",
            "provide_explanation": True,
            "classification_choices": {"correct": 1, "incorrect": 0},
        },
        {
            "experiment_type": "AGENT_CALL",
            "integration_id": "support-agent-runtime",
            "input_template": {"question": "{{dataset.question}}", "meta": ["{{ dataset.id }}"]},
        },
    ],
)
def test_run_experiment_tasks_store_their_configuration(
    api: TestClient, catalog: Catalog, config: dict[str, Any]
) -> None:
    config = dict(config)
    for key in ("ai_integration_id", "integration_id"):
        if key in config:
            config[key] = catalog.integrations[config[key]]["id"]
    task = create(api, experiment_task_body(catalog, run_configuration=config))
    stored = task["run_configuration"]
    assert task["type"] == "RUN_EXPERIMENT"
    assert task["evaluators"] == []
    assert task["experiment_ids"] == []
    assert task["is_continuous"] is False
    assert stored["experiment_type"] == config["experiment_type"]
    if config["experiment_type"] == "AGENT_CALL":
        assert stored["input_template"] == {"question": "{{question}}", "meta": ["{{id}}"]}
    else:
        assert stored["model_name"]  # the integration's default when not given
        assert stored["provider_parameters"] == {}


def test_run_experiment_tasks_refuse_evaluation_fields(api: TestClient, catalog: Catalog) -> None:
    body = experiment_task_body(
        catalog, evaluators=[{"evaluator_id": catalog.evaluator("toxicity")}]
    )
    assert api.post("/v2/tasks", json=body).status_code == 400


def test_update_changes_only_what_is_given(
    api: TestClient, catalog: Catalog, clock: FakeTime
) -> None:
    task = create(api, span_task_body(catalog, query_filter="a = 1", sampling_rate=0.5))
    clock.advance(60)
    updated = api.patch(f"/v2/tasks/{task['id']}", json={"name": "renamed", "sampling_rate": 0.25})
    assert updated.status_code == 200
    after = updated.json()
    assert after["name"] == "renamed"
    assert after["sampling_rate"] == 0.25
    assert after["query_filter"] == "a = 1"
    assert after["created_at"] == task["created_at"]
    assert after["updated_at"] > task["updated_at"]
    assert after["id"] == task["id"]


def test_update_null_clears_a_filter_and_evaluators_replace_the_list(
    api: TestClient, catalog: Catalog
) -> None:
    task = create(api, span_task_body(catalog, query_filter="a = 1"))
    version = catalog.evaluators[("demo", "relevance")]
    pinned = {
        "evaluator_id": version["id"],
        "evaluator_version_id": ids.encode(ids.EVALUATOR_VERSION, 4),
        "query_filter": "b = 2",
    }
    after = api.patch(
        f"/v2/tasks/{task['id']}", json={"query_filter": None, "evaluators": [pinned]}
    ).json()
    assert after["query_filter"] is None
    assert [e["evaluator_name"] for e in after["evaluators"]] == ["relevance"]
    assert after["evaluators"][0]["evaluator_version_id"] == pinned["evaluator_version_id"]
    assert after["evaluators"][0]["query_filter"] == "b = 2"


def test_switching_shapes_needs_clearing_the_old_filter(api: TestClient, catalog: Catalog) -> None:
    task = create(api, span_task_body(catalog, query_filter="a = 1"))
    filters = {"filters": [{"id": "A", "filter": "x"}]}
    refused = api.patch(f"/v2/tasks/{task['id']}", json={"query_filters": filters})
    assert refused.status_code == 400
    trace_evaluator = {
        "evaluator_id": catalog.evaluator("trace-goal-completion"),
        "query_mappings": [{"variable_name": "v", "query_ids": ["A"], "attribute_path": "p"}],
    }
    switched = api.patch(
        f"/v2/tasks/{task['id']}",
        json={"query_filter": None, "query_filters": filters, "evaluators": [trace_evaluator]},
    )
    assert switched.status_code == 200, switched.text
    assert switched.json()["query_filters"]["expression"] == "A"


def test_update_replaces_a_run_configuration(api: TestClient, catalog: Catalog) -> None:
    task = create(api, experiment_task_body(catalog))
    config = {
        "experiment_type": "AGENT_CALL",
        "integration_id": catalog.integrations["support-agent-runtime"]["id"],
        "input_template": {"q": "{{q}}"},
    }
    after = api.patch(f"/v2/tasks/{task['id']}", json={"run_configuration": config}).json()
    assert after["run_configuration"] == config


def test_delete_removes_the_task_and_its_runs(api: TestClient, catalog: Catalog) -> None:
    task = create(api, span_task_body(catalog))
    run = api.post(f"/v2/tasks/{task['id']}/trigger", json=WINDOW).json()
    response = api.delete(f"/v2/tasks/{task['id']}")
    assert response.status_code == 204
    assert response.content == b""
    assert api.get(f"/v2/tasks/{task['id']}").status_code == 404
    assert api.get(f"/v2/task-runs/{run['id']}").status_code == 404
    assert api.delete(f"/v2/tasks/{task['id']}").status_code == 404


def test_an_id_is_never_given_out_twice(api: TestClient, catalog: Catalog) -> None:
    """Deleting the newest task (and its runs) must not hand its IDs to the next ones, as
    SQLite's row numbers alone would: a client holding the old ID would reach the new task."""
    task = create(api, span_task_body(catalog, "short-lived"))
    run = api.post(f"/v2/tasks/{task['id']}/trigger", json=WINDOW).json()
    assert api.delete(f"/v2/tasks/{task['id']}").status_code == 204
    again = create(api, span_task_body(catalog, "short-lived"))
    rerun = api.post(f"/v2/tasks/{again['id']}/trigger", json=WINDOW).json()
    assert again["id"] != task["id"]
    assert rerun["id"] != run["id"]
    assert api.get(f"/v2/tasks/{task['id']}").status_code == 404


# ------------------------------------------------------------------ lists


def test_tasks_list_newest_first_with_filters(api: TestClient, catalog: Catalog) -> None:
    first = create(api, span_task_body(catalog, "Alpha-Checks"))
    second = create(api, span_task_body(catalog, "beta-checks"))
    everything = api.get("/v2/tasks").json()["tasks"]
    assert [t["id"] for t in everything[:2]] == [second["id"], first["id"]]
    named = api.get("/v2/tasks", params={"name": "CHECKS"}).json()["tasks"]
    assert {t["name"] for t in named} == {"Alpha-Checks", "beta-checks"}
    by_space = api.get("/v2/tasks", params={"space_name": "PROD"}).json()["tasks"]
    assert {t["name"] for t in by_space} == {"checkout-nightly-generation"}
    by_type = api.get("/v2/tasks", params={"type": "RUN_EXPERIMENT"}).json()["tasks"]
    assert {t["type"] for t in by_type} == {"RUN_EXPERIMENT"}
    by_project = api.get(
        "/v2/tasks", params={"project_id": catalog.projects["chatbot"]["id"]}
    ).json()["tasks"]
    assert {t["name"] for t in by_project} == {
        "Alpha-Checks",
        "beta-checks",
        "chatbot-hallucination",
    }
    by_space_id = api.get("/v2/tasks", params={"space_id": catalog.spaces["research"]["id"]})
    assert [t["name"] for t in by_space_id.json()["tasks"]] == ["agent-goal-completion"]


def test_cursors_walk_every_page_once(api: TestClient, catalog: Catalog) -> None:
    for i in range(7):
        create(api, span_task_body(catalog, f"paged-{i}"))
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 3, "name": "paged-"}
        if cursor:
            params["cursor"] = cursor
        body = api.get("/v2/tasks", params=params).json()
        pages += 1
        seen += [t["name"] for t in body["tasks"]]
        pagination = body["pagination"]
        if not pagination["has_more"]:
            assert "next_cursor" not in pagination
            break
        cursor = pagination["next_cursor"]
        assert cursor
    assert pages == 3
    assert seen == [f"paged-{i}" for i in reversed(range(7))]


def test_the_default_page_size_is_50(api: TestClient, catalog: Catalog) -> None:
    for i in range(52):
        create(api, span_task_body(catalog, f"bulk-{i}"))
    body = api.get("/v2/tasks").json()
    assert len(body["tasks"]) == 50
    assert body["pagination"]["has_more"] is True
    rest = api.get("/v2/tasks", params={"cursor": body["pagination"]["next_cursor"]}).json()
    assert len(rest["tasks"]) == 52 + 4 - 50


@pytest.mark.parametrize(
    ("path", "key", "count"),
    [
        ("/v2/spaces", "spaces", 3),
        ("/v2/projects", "projects", 8),
        ("/v2/datasets", "datasets", 5),
        ("/v2/ai-integrations", "ai_integrations", 3),
    ],
)
def test_catalog_lists_page_with_cursors(api: TestClient, path: str, key: str, count: int) -> None:
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"limit": 2}
    while True:
        body = api.get(path, params=params).json()
        items += body[key]
        if not body["pagination"]["has_more"]:
            assert "next_cursor" not in body["pagination"]
            break
        params["cursor"] = body["pagination"]["next_cursor"]
    assert len(items) == count
    assert len({i["id"] for i in items}) == count


def test_name_and_space_name_are_case_insensitive_substrings(api: TestClient) -> None:
    projects = api.get("/v2/projects", params={"name": "CHATBOT"}).json()["projects"]
    assert {p["name"] for p in projects} == {"chatbot", "chatbot-v2"}
    in_prod = api.get("/v2/projects", params={"space_name": "llm"}).json()["projects"]
    assert {p["name"] for p in in_prod} == {
        "checkout-assistant",
        "chatbot-v2",
        "guardrails-harness",
    }
    spaces = api.get("/v2/spaces", params={"name": "De"}).json()["spaces"]
    assert [s["name"] for s in spaces] == ["demo"]
    harness = api.get("/v2/projects", params={"project_type": "HARNESS"}).json()["projects"]
    assert [p["name"] for p in harness] == ["guardrails-harness"]


def test_experiments_list_by_dataset_or_space(api: TestClient, catalog: Catalog) -> None:
    by_dataset = api.get(
        "/v2/experiments", params={"dataset_id": catalog.datasets["qa-golden"]["id"]}
    ).json()["experiments"]
    assert {e["name"] for e in by_dataset} == {"baseline-gpt-4o", "claude-sonnet", "prompt-v2"}
    by_space = api.get(
        "/v2/experiments", params={"space_id": catalog.spaces["research"]["id"]}
    ).json()["experiments"]
    assert {e["name"] for e in by_space} == {"react-baseline", "planner-v1"}


def test_evaluators_list_by_space(api: TestClient, catalog: Catalog) -> None:
    research = api.get(
        "/v2/evaluators", params={"space_id": catalog.spaces["research"]["id"]}
    ).json()["evaluators"]
    assert {e["type"] for e in research} == {"TEMPLATE"}
    assert all(e["space_id"] == catalog.spaces["research"]["id"] for e in research)

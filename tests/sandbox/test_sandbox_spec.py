"""The spec is the judge: the sandbox serves exactly its operations and validates by the file."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import httpx
import pytest

from ax_tasks_mcp.sandbox.core import Sandbox
from ax_tasks_mcp.sandbox.handlers import OPERATIONS
from ax_tasks_mcp.sandbox.validation import Spec, spec_path
from tests.support.sandbox_data import AUTH


def test_every_operation_of_the_spec_has_a_handler_and_no_more(
    spec_document: dict[str, Any],
) -> None:
    operation_ids = {
        op["operationId"]
        for item in spec_document["paths"].values()
        for method, op in item.items()
        if method in ("get", "post", "patch", "delete", "put")
    }
    assert operation_ids == set(OPERATIONS)


def test_the_spec_is_found_next_to_the_source_tree() -> None:
    assert spec_path() == Path(__file__).resolve().parents[2] / "openapi" / "tasks.yaml"


def test_the_spec_location_can_be_overridden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_path = tmp_path / "tasks.yaml"
    copy_path.write_text(spec_path().read_text())
    monkeypatch.setenv("AX_TASKS_SANDBOX_SPEC", str(copy_path))
    assert spec_path() == copy_path


def test_validation_follows_the_spec_file_not_a_copy_in_code(
    spec_document: dict[str, Any],
) -> None:
    changed = copy.deepcopy(spec_document)
    changed["components"]["parameters"]["LimitQuery"]["schema"]["maximum"] = 10
    strict = Sandbox(":memory:", spec=Spec(changed))
    normal = Sandbox(":memory:")
    try:
        assert normal.handle("GET", "/v2/tasks", "limit=11", AUTH).status == 200
        refused = strict.handle("GET", "/v2/tasks", "limit=11", AUTH)
        assert refused.status == 400
        assert "maximum of 10" in refused.json()["detail"]
    finally:
        strict.close()
        normal.close()


def test_routing_decodes_each_path_segment() -> None:
    spec = Spec.load()
    op, params = spec.route("GET", "/v2/tasks/abc%2Fdef%3D")
    assert op.operation_id == "get_task"
    assert params == {"task_id": "abc/def="}


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"type": "template_evaluation", "name": "x", "evaluators": [{}]}, "type"),
        (
            {"type": "TEMPLATE_EVALUATION", "name": "x", "evaluators": [{"evaluator_id": 5}]},
            "evaluators[0].evaluator_id",
        ),
        (
            {
                "type": "RUN_EXPERIMENT",
                "name": "x",
                "dataset_id": "d",
                "run_configuration": {"experiment_type": "LLM_GENERATION"},
            },
            "ai_integration_id",
        ),
    ],
)
def test_schema_errors_point_at_the_field(body: dict[str, Any], words: str) -> None:
    sandbox = Sandbox(":memory:")
    try:
        response = sandbox.handle(
            "POST", "/v2/tasks", "", AUTH, httpx.Request("POST", "/", json=body).read()
        )
    finally:
        sandbox.close()
    assert response.status == 400
    assert words in response.json()["detail"]


def test_the_conformance_check_of_these_tests_catches_a_wrong_response(
    spec_checker: Any,
) -> None:
    request = httpx.Request("GET", "http://testserver/v2/tasks")
    bad = httpx.Response(
        200,
        json={"tasks": [{"id": "x", "type": "template_evaluation"}]},
        request=request,
    )
    problems = spec_checker.problems(bad)
    assert any("pagination" in p for p in problems)
    assert any("template_evaluation" in p for p in problems)
    undeclared = httpx.Response(503, json={}, request=request)
    assert spec_checker.problems(undeclared)


def test_every_list_endpoint_answers_a_conforming_envelope(api: Any, spec_document: Any) -> None:
    for path, item in spec_document["paths"].items():
        if "{" in path or "get" not in item:
            continue
        body = api.get(path, params={"limit": 1}).json()  # the api fixture checks conformance
        assert body["pagination"]["has_more"] in (True, False)

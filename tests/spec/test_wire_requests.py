"""Requests the official SDK was seen to send (contract §9) fit the spec; bad ones do not."""

from __future__ import annotations

from typing import Any

import pytest

from tests.spec.spec_schemas import SpecSchemas

PROJECT = "TW9kZWw6MTIzOmFCY0Q="
DATASET = "RGF0YXNldDo1NjpxUndY"
EVALUATOR = "RXZhbHVhdG9yOjEyOmFCY0Q="

CREATE_TEMPLATE = {
    "name": "n",
    "project_id": PROJECT,
    "sampling_rate": 0.5,
    "is_continuous": True,
    "query_filter": "x = 1",
    "evaluators": [
        {"evaluator_id": EVALUATOR, "column_mappings": {"input": "attributes.input.value"}}
    ],
    "type": "TEMPLATE_EVALUATION",
}
CREATE_CODE = {
    "name": "n",
    "dataset_id": DATASET,
    "experiment_ids": ["RXhwZXJpbWVudDoxOmFCY0Q="],
    "query_filters": {"filters": [{"id": "A", "filter": "a = 1"}]},
    "evaluators": [
        {
            "evaluator_id": EVALUATOR,
            "query_mappings": [
                {
                    "variable_name": "input",
                    "query_ids": ["A"],
                    "attribute_path": "attributes.input.value",
                }
            ],
            "evaluator_version_id": None,
        }
    ],
    "type": "CODE_EVALUATION",
}
CREATE_RUN_EXPERIMENT = {
    "name": "n",
    "type": "RUN_EXPERIMENT",
    "dataset_id": DATASET,
    "run_configuration": {
        "experiment_type": "LLM_GENERATION",
        "ai_integration_id": "TGxtSW50ZWdyYXRpb246MTI6YUJjRA==",
        "messages": [{"role": "USER", "content": "{question}"}],
        "input_variable_format": "F_STRING",
    },
}
UPDATE = {"name": "new", "sampling_rate": 0.25, "query_filter": None}
TRIGGER_WINDOW = {
    "data_start_time": "2026-03-01T00:00:00+00:00",
    "data_end_time": "2026-03-07T12:30:00+00:00",
    "max_spans": 100,
    "override_evaluations": True,
}
TRIGGER_EXPERIMENT = {
    "experiment_name": "exp1",
    "example_ids": ["e1"],
    "tracing_metadata": {"k": "v"},
    "evaluation_task_ids": ["T25saW5lVGFzazo0NTpxUndY"],
}


@pytest.mark.parametrize(
    ("schema", "body"),
    [
        ("CreateTaskRequest", CREATE_TEMPLATE),
        ("CreateTaskRequest", CREATE_CODE),
        ("CreateTaskRequest", CREATE_RUN_EXPERIMENT),
        ("UpdateTaskRequest", UPDATE),
        ("TriggerTaskRunRequest", TRIGGER_WINDOW),
        ("TriggerTaskRunRequest", {}),
        ("TriggerTaskRunRequest", TRIGGER_EXPERIMENT),
    ],
    ids=[
        "create-template",
        "create-code",
        "create-run-experiment",
        "update",
        "trigger-window",
        "trigger-empty",
        "trigger-experiment",
    ],
)
def test_every_recorded_sdk_request_is_valid(
    schemas: SpecSchemas, schema: str, body: dict[str, Any]
) -> None:
    assert schemas.errors(schema, body) == []


def test_operations_take_the_schemas_the_wire_bodies_were_checked_against(
    schemas: SpecSchemas,
) -> None:
    assert schemas.request_schema("post", "/v2/tasks") == "CreateTaskRequest"
    assert schemas.request_schema("patch", "/v2/tasks/{task_id}") == "UpdateTaskRequest"
    assert schemas.request_schema("post", "/v2/tasks/{task_id}/trigger") == "TriggerTaskRunRequest"


def _with(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**body, **changes}


@pytest.mark.parametrize(
    ("schema", "body"),
    [
        ("CreateTaskRequest", _with(CREATE_TEMPLATE, type="template_evaluation")),
        (
            "CreateTaskRequest",
            _with(
                CREATE_RUN_EXPERIMENT,
                run_configuration={
                    **CREATE_RUN_EXPERIMENT["run_configuration"],  # type: ignore[dict-item]
                    "experiment_type": "llm_generation",
                },
            ),
        ),
        ("UpdateTaskRequest", {}),
        ("TriggerTaskRunRequest", {"example_ids": ["e1"], "max_examples": 3}),
        (
            "CreateTaskRequest",
            _with(
                CREATE_TEMPLATE,
                evaluators=[
                    {
                        "evaluator_id": EVALUATOR,
                        "column_mappings": {"input": "x"},
                        "query_mappings": [
                            {"variable_name": "v", "query_ids": [], "attribute_path": "p"}
                        ],
                    }
                ],
            ),
        ),
        ("CreateTaskRequest", _with(CREATE_TEMPLATE, id="T25saW5lVGFzazo0NTpxUndY")),
        ("CreateTaskRequest", _with(CREATE_TEMPLATE, created_at="2026-03-01T00:00:00Z")),
        ("CreateTaskRequest", _with(CREATE_RUN_EXPERIMENT, updated_at="2026-03-01T00:00:00Z")),
        ("TriggerTaskRunRequest", {"experiment_name": 'has "quotes"'}),
        ("CreateTaskRequest", _with(CREATE_TEMPLATE, evaluators=[])),
    ],
    ids=[
        "lowercase-task-type",
        "lowercase-experiment-type",
        "empty-patch",
        "run-experiment-trigger-without-experiment-name",
        "mixed-evaluator-shapes",
        "system-field-id",
        "system-field-created-at",
        "system-field-updated-at",
        "experiment-name-with-quote",
        "no-evaluators",
    ],
)
def test_bodies_the_service_rejects_are_invalid(
    schemas: SpecSchemas, schema: str, body: dict[str, Any]
) -> None:
    assert schemas.errors(schema, body) != []


def test_lowercase_enum_in_a_query_parameter_is_invalid(schemas: SpecSchemas) -> None:
    assert schemas.errors("TaskRunStatus", "COMPLETED") == []
    assert schemas.errors("TaskRunStatus", "completed") != []

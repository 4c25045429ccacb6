"""Each oneOf/anyOf variant parses into its own generated class and round-trips unchanged.

The generator ignores `discriminator` and tries a union's variants in the spec's order, keeping
the first whose from_dict succeeds. These tests replay that rule over the spec's order, so a
variant whose tag is not pinned would parse as its neighbour and fail here.
"""

from __future__ import annotations

from typing import Any

import pytest

from ax_tasks_client.models.agent_call_run_config import AgentCallRunConfig
from ax_tasks_client.models.agent_call_run_config_request import AgentCallRunConfigRequest
from ax_tasks_client.models.ai_integration import AiIntegration
from ax_tasks_client.models.aws_provider_metadata import AwsProviderMetadata
from ax_tasks_client.models.create_code_evaluation_task_request import (
    CreateCodeEvaluationTaskRequest,
)
from ax_tasks_client.models.create_run_experiment_task_request import (
    CreateRunExperimentTaskRequest,
)
from ax_tasks_client.models.create_template_evaluation_task_request import (
    CreateTemplateEvaluationTaskRequest,
)
from ax_tasks_client.models.gcp_provider_metadata import GcpProviderMetadata
from ax_tasks_client.models.llm_generation_run_config import LlmGenerationRunConfig
from ax_tasks_client.models.llm_generation_run_config_request import LlmGenerationRunConfigRequest
from ax_tasks_client.models.span_evaluator_input import SpanEvaluatorInput
from ax_tasks_client.models.task import Task
from ax_tasks_client.models.template_evaluation_run_config import TemplateEvaluationRunConfig
from ax_tasks_client.models.template_evaluation_run_config_request import (
    TemplateEvaluationRunConfigRequest,
)
from ax_tasks_client.models.trace_or_session_evaluator_input import TraceOrSessionEvaluatorInput
from ax_tasks_client.models.trigger_evaluation_task_run_request import (
    TriggerEvaluationTaskRunRequest,
)
from ax_tasks_client.models.trigger_run_experiment_task_run_request import (
    TriggerRunExperimentTaskRunRequest,
)
from ax_tasks_client.models.update_evaluation_task_request import UpdateEvaluationTaskRequest
from ax_tasks_client.models.update_run_experiment_task_request import (
    UpdateRunExperimentTaskRequest,
)
from tests.spec.spec_schemas import SpecSchemas

DATASET = "RGF0YXNldDo1NjpxUndY"
EVALUATOR = "RXZhbHVhdG9yOjEyOmFCY0Q="
INTEGRATION = "TGxtSW50ZWdyYXRpb246MTI6YUJjRA=="

LLM_CONFIG = {
    "experiment_type": "LLM_GENERATION",
    "ai_integration_id": INTEGRATION,
    "model_name": "gpt-4o",
    "messages": [{"role": "USER", "content": "{{input}}"}],
    "input_variable_format": "MUSTACHE",
}
TEMPLATE_CONFIG = {
    "experiment_type": "TEMPLATE_EVALUATION",
    "ai_integration_id": INTEGRATION,
    "template": "Is {{output}} relevant to {{input}}?",
    "provide_explanation": True,
    "classification_choices": {"relevant": 1.0, "irrelevant": 0.0},
}
AGENT_CONFIG = {
    "experiment_type": "AGENT_CALL",
    "integration_id": INTEGRATION,
    "input_template": {"query": "{{question}}"},
}
SPAN_EVALUATOR = {"evaluator_id": EVALUATOR, "column_mappings": {"input": "attributes.input.value"}}
TRACE_EVALUATOR = {
    "evaluator_id": EVALUATOR,
    "evaluator_version_id": None,
    "query_mappings": [
        {"variable_name": "input", "query_ids": ["A"], "attribute_path": "attributes.input.value"}
    ],
}
EVALUATION_TASK = {
    "name": "t",
    "project_id": "TW9kZWw6MTIzOmFCY0Q=",
    "evaluators": [SPAN_EVALUATOR],
}


def parse_as_union(variants: list[type[Any]], body: dict[str, Any]) -> Any:
    """The generator's union rule: the first variant, in spec order, whose from_dict succeeds."""
    for variant in variants:
        try:
            return variant.from_dict(body)
        except (TypeError, ValueError, AttributeError, KeyError):
            continue
    raise AssertionError(f"no variant parses {body}")


CREATE = [
    CreateTemplateEvaluationTaskRequest,
    CreateCodeEvaluationTaskRequest,
    CreateRunExperimentTaskRequest,
]
RUN_CONFIG_REQUEST = [
    LlmGenerationRunConfigRequest,
    TemplateEvaluationRunConfigRequest,
    AgentCallRunConfigRequest,
]
RUN_CONFIG = [LlmGenerationRunConfig, TemplateEvaluationRunConfig, AgentCallRunConfig]
EVALUATOR_INPUT = [TraceOrSessionEvaluatorInput, SpanEvaluatorInput]
TRIGGER = [TriggerRunExperimentTaskRunRequest, TriggerEvaluationTaskRunRequest]
UPDATE = [UpdateEvaluationTaskRequest, UpdateRunExperimentTaskRequest]
PROVIDER_METADATA = [AwsProviderMetadata, GcpProviderMetadata]

CASES: list[tuple[str, list[type[Any]], dict[str, Any], type[Any]]] = [
    (
        "CreateTaskRequest",
        CREATE,
        {**EVALUATION_TASK, "type": "TEMPLATE_EVALUATION"},
        CreateTemplateEvaluationTaskRequest,
    ),
    (
        "CreateTaskRequest",
        CREATE,
        {**EVALUATION_TASK, "type": "CODE_EVALUATION"},
        CreateCodeEvaluationTaskRequest,
    ),
    (
        "CreateTaskRequest",
        CREATE,
        {
            "name": "r",
            "type": "RUN_EXPERIMENT",
            "dataset_id": DATASET,
            "run_configuration": LLM_CONFIG,
        },
        CreateRunExperimentTaskRequest,
    ),
    ("RunConfigurationRequest", RUN_CONFIG_REQUEST, LLM_CONFIG, LlmGenerationRunConfigRequest),
    (
        "RunConfigurationRequest",
        RUN_CONFIG_REQUEST,
        TEMPLATE_CONFIG,
        TemplateEvaluationRunConfigRequest,
    ),
    ("RunConfigurationRequest", RUN_CONFIG_REQUEST, AGENT_CONFIG, AgentCallRunConfigRequest),
    ("RunConfiguration", RUN_CONFIG, LLM_CONFIG, LlmGenerationRunConfig),
    ("RunConfiguration", RUN_CONFIG, TEMPLATE_CONFIG, TemplateEvaluationRunConfig),
    ("RunConfiguration", RUN_CONFIG, AGENT_CONFIG, AgentCallRunConfig),
    ("TaskEvaluatorInput", EVALUATOR_INPUT, TRACE_EVALUATOR, TraceOrSessionEvaluatorInput),
    ("TaskEvaluatorInput", EVALUATOR_INPUT, SPAN_EVALUATOR, SpanEvaluatorInput),
    (
        "TriggerTaskRunRequest",
        TRIGGER,
        {"experiment_name": "exp1", "max_examples": 5},
        TriggerRunExperimentTaskRunRequest,
    ),
    (
        "TriggerTaskRunRequest",
        TRIGGER,
        {"data_start_time": "2026-03-01T00:00:00+00:00", "max_spans": 100},
        TriggerEvaluationTaskRunRequest,
    ),
    (
        "UpdateTaskRequest",
        UPDATE,
        {"sampling_rate": 0.25, "query_filter": None},
        UpdateEvaluationTaskRequest,
    ),
    (
        "ProviderMetadata",
        PROVIDER_METADATA,
        {"kind": "AWS", "role_arn": "arn:aws:iam::1:role/r"},
        AwsProviderMetadata,
    ),
    (
        "ProviderMetadata",
        PROVIDER_METADATA,
        {"kind": "GCP", "project_id": "p", "location": "us", "project_access_label": "l"},
        GcpProviderMetadata,
    ),
]


@pytest.mark.parametrize(
    ("schema", "variants", "body", "expected"),
    CASES,
    ids=[f"{schema}->{expected.__name__}" for schema, _, _, expected in CASES],
)
def test_variant_parses_into_its_own_class_and_round_trips(
    schemas: SpecSchemas,
    schema: str,
    variants: list[type[Any]],
    body: dict[str, Any],
    expected: type[Any],
) -> None:
    assert schemas.errors(schema, body) == [], "the fixture itself must fit the spec"
    parsed = parse_as_union(variants, body)
    assert type(parsed) is expected
    assert parsed.to_dict() == body
    assert expected.from_dict(parsed.to_dict()).to_dict() == body


def test_union_order_in_the_spec_matches_the_order_replayed_here(spec: dict[str, Any]) -> None:
    def names(schema: str) -> list[str]:
        node = spec["components"]["schemas"][schema]
        variants = node.get("oneOf") or node["anyOf"]
        return [variant["$ref"].rsplit("/", 1)[-1] for variant in variants]

    assert names("CreateTaskRequest") == [cls.__name__ for cls in CREATE]
    assert names("RunConfigurationRequest") == [cls.__name__ for cls in RUN_CONFIG_REQUEST]
    assert names("RunConfiguration") == [cls.__name__ for cls in RUN_CONFIG]
    assert names("TaskEvaluatorInput") == [cls.__name__ for cls in EVALUATOR_INPUT]
    assert names("TriggerTaskRunRequest") == [cls.__name__ for cls in TRIGGER]
    assert names("UpdateTaskRequest") == [cls.__name__ for cls in UPDATE]
    assert names("ProviderMetadata") == [cls.__name__ for cls in PROVIDER_METADATA]


@pytest.mark.parametrize(
    ("variant", "body"),
    [
        (CreateTemplateEvaluationTaskRequest, {**EVALUATION_TASK, "type": "CODE_EVALUATION"}),
        (CreateCodeEvaluationTaskRequest, {**EVALUATION_TASK, "type": "TEMPLATE_EVALUATION"}),
        (
            LlmGenerationRunConfigRequest,
            {**TEMPLATE_CONFIG, "messages": [], "input_variable_format": "F_STRING"},
        ),
        (
            TemplateEvaluationRunConfig,
            {**LLM_CONFIG, "template": "t", "provide_explanation": False},
        ),
        (AwsProviderMetadata, {"kind": "GCP", "role_arn": "arn"}),
        (TriggerRunExperimentTaskRunRequest, {"max_spans": 10}),
        (TraceOrSessionEvaluatorInput, SPAN_EVALUATOR),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else "",
)
def test_a_variant_refuses_a_body_tagged_for_another(
    variant: type[Any], body: dict[str, Any]
) -> None:
    with pytest.raises((ValueError, KeyError)):
        variant.from_dict(body)


def test_a_task_response_parses_its_nested_unions() -> None:
    task = Task.from_dict(
        {
            "id": "T25saW5lVGFzazo0NTpxUndY",
            "name": "r",
            "type": "RUN_EXPERIMENT",
            "project_id": None,
            "dataset_id": DATASET,
            "is_continuous": False,
            "query_filter": None,
            "evaluators": [],
            "experiment_ids": [],
            "run_configuration": AGENT_CONFIG,
            "last_run_at": None,
            "created_at": "2026-03-07T10:30:00.000Z",
            "updated_at": "2026-03-07T10:30:00.000Z",
            "created_by_user_id": None,
        }
    )
    assert isinstance(task.run_configuration, AgentCallRunConfig)
    integration = AiIntegration.from_dict(
        {
            "id": INTEGRATION,
            "name": "bedrock",
            "provider": "AWS_BEDROCK",
            "has_api_key": False,
            "enable_default_models": True,
            "function_calling_enabled": True,
            "auth_type": "DEFAULT",
            "scopings": [{"space_id": None}],
            "created_at": "2026-03-07T10:30:00.000Z",
            "updated_at": "2026-03-07T10:30:00.000Z",
            "created_by_user_id": None,
            "provider_metadata": {
                "kind": "GCP",
                "project_id": "p",
                "location": "l",
                "project_access_label": "x",
            },
        }
    )
    assert isinstance(integration.provider_metadata, GcpProviderMetadata)


def test_lowercase_enums_in_a_response_are_refused() -> None:
    with pytest.raises(ValueError, match="template_evaluation"):
        Task.from_dict(
            {
                "id": "T25saW5lVGFzazo0NTpxUndY",
                "name": "t",
                "type": "template_evaluation",
                "is_continuous": False,
                "query_filter": None,
                "evaluators": [],
                "experiment_ids": [],
                "last_run_at": None,
                "created_at": "2026-03-07T10:30:00.000Z",
                "updated_at": "2026-03-07T10:30:00.000Z",
                "created_by_user_id": None,
            }
        )

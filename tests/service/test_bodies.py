"""Request bodies, unit by unit (ax_tasks_mcp/service/bodies.py): what a caller wrote is built
into its generated model once, refused with the fields the model takes; whole bodies are put
together from checked parts and sent as those models' JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from ax_tasks_client.models.agent_call_run_config_request import AgentCallRunConfigRequest
from ax_tasks_client.models.llm_generation_run_config_request import (
    LlmGenerationRunConfigRequest,
)
from ax_tasks_client.models.span_evaluator_input import SpanEvaluatorInput
from ax_tasks_client.models.task_query_filters_input import TaskQueryFiltersInput
from ax_tasks_client.models.template_evaluation_run_config_request import (
    TemplateEvaluationRunConfigRequest,
)
from ax_tasks_client.models.trace_or_session_evaluator_input import (
    TraceOrSessionEvaluatorInput,
)
from ax_tasks_mcp.service import bodies
from ax_tasks_mcp.service.errors import ValidationError
from ax_tasks_mcp.service.models import UNCHANGED

LLM = {
    "experiment_type": "llm_generation",
    "ai_integration_id": "openai-prod",
    "messages": [{"role": "user", "content": "{{question}}"}],
}


def refusal(call: Any, *args: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(*args)
    return caught.value


# -- what a caller wrote ---------------------------------------------------------------------


def test_a_model_is_built_once_from_what_was_written() -> None:
    built = bodies.checked(TaskQueryFiltersInput, {"filters": [{"id": "A", "filter": "x"}]}, "f")
    assert isinstance(built, TaskQueryFiltersInput)
    assert built.to_dict() == {"filters": [{"id": "A", "filter": "x"}]}


def test_not_an_object_is_refused_naming_the_fields_taken() -> None:
    error = refusal(bodies.checked, TaskQueryFiltersInput, ["x"], "query_filters")
    assert str(error) == "query_filters must be a JSON object, not list."
    assert error.valid_fields == ["filters", "expression"]


def test_a_missing_required_field_is_named() -> None:
    error = refusal(bodies.checked, TaskQueryFiltersInput, {"expression": "A"}, "query_filters")
    assert str(error) == (
        "Invalid query_filters: the required field 'filters' is missing. query_filters takes: "
        "filters, expression."
    )


def test_a_field_of_the_wrong_shape_is_said_plainly() -> None:
    error = refusal(bodies.checked, TaskQueryFiltersInput, {"filters": 5}, "query_filters")
    assert str(error) == (
        "Invalid query_filters: a field has the wrong type (objects, lists and strings must "
        "match the API's shape). query_filters takes: filters, expression."
    )


def test_a_value_error_is_shown_as_the_model_words_it() -> None:
    error = refusal(
        bodies.checked,
        LlmGenerationRunConfigRequest,
        {**LLM, "experiment_type": "AGENT_CALL", "input_variable_format": "F_STRING"},
        "run_configuration",
    )
    assert "experiment_type must match const 'LLM_GENERATION'" in str(error)


def test_an_unknown_top_level_field_is_refused_with_the_listing() -> None:
    error = refusal(
        bodies.checked, TaskQueryFiltersInput, {"filters": [], "colour": "red"}, "query_filters"
    )
    assert str(error) == (
        "Invalid query_filters: unknown field(s) 'colour'. query_filters takes: filters, "
        "expression."
    )
    assert error.valid_fields == ["filters", "expression"]


def test_an_unknown_nested_field_is_named_by_its_path_without_a_listing() -> None:
    data = {"filters": [{"id": "A", "filter": "x"}, {"id": "B", "filter": "y", "extra": 1}]}
    error = refusal(bodies.checked, TaskQueryFiltersInput, data, "query_filters")
    assert str(error) == "Invalid query_filters: unknown field(s) 'filters[1].extra'."
    assert not error.valid_fields


def test_json_field_names_drop_the_generators_trailing_underscore() -> None:
    from ax_tasks_client.models.create_run_experiment_task_request import (
        CreateRunExperimentTaskRequest,
    )

    assert bodies.json_fields(CreateRunExperimentTaskRequest) == [
        "name",
        "type",
        "dataset_id",
        "run_configuration",
    ]


# -- run configurations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "model"),
    [
        ("LLM_GENERATION", LlmGenerationRunConfigRequest),
        ("TEMPLATE_EVALUATION", TemplateEvaluationRunConfigRequest),
        ("AGENT_CALL", AgentCallRunConfigRequest),
        ("RUN_EXPERIMENT", None),
        (None, None),
    ],
)
def test_each_experiment_type_has_its_model(kind: Any, model: Any) -> None:
    assert bodies.run_configuration_class(kind) is model


def test_every_experiment_type_a_request_may_say_has_a_model() -> None:
    for kind in bodies.EXPERIMENT_TYPES:
        model = bodies.run_configuration_class(kind)
        assert model is not None, kind
        assert "experiment_type" in bodies.json_fields(model)


def test_a_run_configuration_is_normalised_then_built() -> None:
    config = bodies.run_configuration(LLM)
    assert isinstance(config, LlmGenerationRunConfigRequest)
    assert config.to_dict() == {
        "experiment_type": "LLM_GENERATION",
        "ai_integration_id": "openai-prod",
        "messages": [{"role": "USER", "content": "{{question}}"}],
        "input_variable_format": "MUSTACHE",
    }


@pytest.mark.parametrize(
    ("kind", "got"), [(None, "it is missing"), ("chat", "got 'CHAT'")], ids=["missing", "unknown"]
)
def test_a_run_configuration_needs_a_known_experiment_type(kind: Any, got: str) -> None:
    config = {"ai_integration_id": "x"} if kind is None else {"experiment_type": kind}
    error = refusal(bodies.run_configuration, config)
    assert str(error) == (
        "run_configuration needs experiment_type, one of LLM_GENERATION, TEMPLATE_EVALUATION, "
        f"AGENT_CALL ({got})."
    )
    assert error.valid_fields == ["experiment_type"]


def test_an_unknown_input_variable_format_is_refused_naming_the_known() -> None:
    error = refusal(bodies.run_configuration, {**LLM, "input_variable_format": "jinja"})
    assert str(error) == (
        "run_configuration.input_variable_format must be one of F_STRING, MUSTACHE, NONE, "
        "not 'JINJA'."
    )


def test_a_faulty_message_is_named_by_its_place() -> None:
    config = {**LLM, "messages": [{"role": "user", "content": "a"}, {"content": "b"}]}
    error = refusal(bodies.run_configuration, config)
    assert str(error).startswith(
        "Invalid run_configuration.messages[1]: the required field 'role' is missing. "
        "A message takes: role"
    )


def test_a_fault_outside_the_messages_is_the_whole_configurations() -> None:
    config = {key: value for key, value in LLM.items() if key != "ai_integration_id"}
    error = refusal(bodies.run_configuration, config)
    assert str(error).startswith(
        "Invalid run_configuration: the required field 'ai_integration_id' is missing. "
        "A run_configuration of experiment_type LLM_GENERATION takes:"
    )


def test_a_template_configuration_with_a_faulty_field_is_not_blamed_on_messages() -> None:
    error = refusal(
        bodies.run_configuration, {"experiment_type": "template_evaluation", "messages": "x"}
    )
    assert str(error).startswith("Invalid run_configuration: the required field")


# -- evaluators and filters ------------------------------------------------------------------


def test_an_evaluator_with_query_mappings_is_the_trace_shape_else_the_span_shape() -> None:
    trace = bodies.evaluator(
        {
            "evaluator_id": "E1",
            "query_mappings": [{"variable_name": "v", "query_ids": ["A"], "attribute_path": "p"}],
        },
        0,
    )
    span = bodies.evaluator({"evaluator_id": "E2", "column_mappings": {"input": "x"}}, 1)
    assert isinstance(trace, TraceOrSessionEvaluatorInput)
    assert isinstance(span, SpanEvaluatorInput)


def test_an_evaluator_refusal_names_its_place_and_shape() -> None:
    error = refusal(bodies.evaluator, {"evaluator_id": "E", "colour": 1}, 2)
    assert str(error).startswith(
        "Invalid evaluators[2]: unknown field(s) 'colour'. An evaluator entry takes"
    )
    error = refusal(bodies.evaluator, {"query_mappings": []}, 0)
    assert str(error).startswith("Invalid evaluators[0]: the required field 'evaluator_id'")


def test_resolving_an_evaluator_changes_only_its_id() -> None:
    entry = bodies.evaluator({"evaluator_id": "judge", "column_mappings": {"a": "b"}}, 0)
    resolved = bodies.with_evaluator_id(entry, "E1")
    assert resolved.to_dict() == {"evaluator_id": "E1", "column_mappings": {"a": "b"}}
    assert entry.evaluator_id == "judge"  # the request's own model is left as it was


@pytest.mark.parametrize(
    ("config", "field"),
    [
        (LLM, "ai_integration_id"),
        (
            {"experiment_type": "agent_call", "integration_id": "agent", "input_template": {}},
            "integration_id",
        ),
    ],
)
def test_an_ai_integration_name_is_resolved_into_a_new_model(
    config: dict[str, Any], field: str
) -> None:
    built = bodies.run_configuration(config)
    resolved = bodies.with_integration(built, lambda ref: f"ID-of-{ref}")
    assert resolved.to_dict()[field] == f"ID-of-{config[field]}"
    assert built.to_dict()[field] == config[field]


@pytest.mark.parametrize("blank", ["", "  "])
def test_a_blank_integration_is_sent_as_given_for_the_api_to_refuse(blank: str) -> None:
    built = bodies.run_configuration({**LLM, "ai_integration_id": blank})
    agent = bodies.run_configuration(
        {"experiment_type": "AGENT_CALL", "integration_id": blank, "input_template": {}}
    )

    def never(ref: str) -> str:
        raise AssertionError("nothing to resolve")

    assert bodies.with_integration(built, never) is built
    assert bodies.with_integration(agent, never) is agent


# -- whole bodies ----------------------------------------------------------------------------


def _evaluation(task_type: str, **given: Any) -> dict[str, Any]:
    options: dict[str, Any] = {
        "project_id": None,
        "dataset_id": None,
        "experiment_ids": None,
        "sampling_rate": None,
        "is_continuous": None,
        "query_filter": None,
        "query_filters": None,
        **given,
    }
    span = bodies.evaluator({"evaluator_id": "E1"}, 0)
    body = bodies.create_evaluation(task_type, name="n", evaluators=[span], **options)
    return body.to_dict()


def test_a_create_body_leaves_out_what_was_not_given() -> None:
    assert _evaluation("TEMPLATE_EVALUATION", project_id="P1") == {
        "name": "n",
        "type": "TEMPLATE_EVALUATION",
        "evaluators": [{"evaluator_id": "E1"}],
        "project_id": "P1",
    }


def test_a_code_evaluation_body_carries_every_field_given() -> None:
    filters = bodies.query_filters({"filters": [{"id": "A", "filter": "x"}]})
    assert _evaluation(
        "CODE_EVALUATION",
        dataset_id="D1",
        experiment_ids=["X1"],
        sampling_rate=0.5,
        is_continuous=False,
        query_filter="a = 1",
        query_filters=filters,
    ) == {
        "name": "n",
        "type": "CODE_EVALUATION",
        "evaluators": [{"evaluator_id": "E1"}],
        "dataset_id": "D1",
        "experiment_ids": ["X1"],
        "sampling_rate": 0.5,
        "is_continuous": False,
        "query_filter": "a = 1",
        "query_filters": {"filters": [{"id": "A", "filter": "x"}]},
    }


def test_a_run_experiment_create_body() -> None:
    config = bodies.run_configuration(LLM)
    body = bodies.create_run_experiment(name="n", dataset_id="D1", run_configuration=config)
    assert body.to_dict() == {
        "name": "n",
        "type": "RUN_EXPERIMENT",
        "dataset_id": "D1",
        "run_configuration": config.to_dict(),
    }


def test_an_update_sends_what_changes_and_null_for_what_is_cleared() -> None:
    body = bodies.update_evaluation(
        name=UNCHANGED,
        sampling_rate=0.25,
        is_continuous=True,
        query_filter=None,
        query_filters=None,
        evaluators=UNCHANGED,
    )
    assert body.to_dict() == {
        "sampling_rate": 0.25,
        "is_continuous": True,
        "query_filter": None,
        "query_filters": None,
    }
    config = bodies.run_configuration(LLM)
    assert bodies.update_run_experiment(name="m", run_configuration=UNCHANGED).to_dict() == {
        "name": "m"
    }
    assert bodies.update_run_experiment(name=UNCHANGED, run_configuration=config).to_dict() == {
        "run_configuration": config.to_dict()
    }


def test_an_evaluation_trigger_sends_its_window_as_rfc3339() -> None:
    start = datetime(2026, 3, 1, tzinfo=UTC)
    body = bodies.trigger_evaluation(
        data_start_time=start,
        data_end_time=None,
        max_spans=100,
        override_evaluations=None,
        experiment_ids=None,
    )
    assert body.to_dict() == {"data_start_time": "2026-03-01T00:00:00+00:00", "max_spans": 100}
    empty = bodies.trigger_evaluation(
        data_start_time=None,
        data_end_time=None,
        max_spans=None,
        override_evaluations=None,
        experiment_ids=None,
    )
    assert empty.to_dict() == {}


def test_a_run_experiment_trigger_sends_what_was_given() -> None:
    body = bodies.trigger_run_experiment(
        experiment_name="e",
        dataset_version_id="V1",
        example_ids=("x1", "x2"),
        max_examples=None,
        query_filter="q",
        tracing_metadata=None,
        evaluation_task_ids=["T2"],
    )
    assert body.to_dict() == {
        "experiment_name": "e",
        "dataset_version_id": "V1",
        "example_ids": ["x1", "x2"],
        "query_filter": "q",
        "evaluation_task_ids": ["T2"],
    }

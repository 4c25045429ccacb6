"""Request bodies, strictly: each is built once into its generated model, and that model is sent.

JSON a caller wrote (a run configuration, evaluator entries, query filters, tracing metadata)
goes through its model's ``from_dict`` once: required fields and fixed values are checked against
the spec, and a field the model would silently drop is refused as unknown, naming the fields it
takes.  The rest of a body comes from the typed requests (requests.py), already checked, and is
put together here with the model's own keywords, so mypy holds every field name and type to the
generated code.  No body is turned back into a dict to be built again: a dry run shows the
model's ``to_dict()``, the call the request builder makes when it sends it.

Generated models are imported when a body is first built, so a read never loads them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Protocol, Self, TypeAlias, TypedDict, TypeVar

from ax_tasks_client.types import UNSET, Unset
from ax_tasks_mcp.service.errors import ValidationError
from ax_tasks_mcp.service.lenient import normalize_run_configuration
from ax_tasks_mcp.service.models import Unchanged
from ax_tasks_mcp.service.words import field

if TYPE_CHECKING:
    from attrs import AttrsInstance

    from ax_tasks_client.models.agent_call_run_config_request import AgentCallRunConfigRequest
    from ax_tasks_client.models.create_code_evaluation_task_request import (
        CreateCodeEvaluationTaskRequest,
    )
    from ax_tasks_client.models.create_run_experiment_task_request import (
        CreateRunExperimentTaskRequest,
    )
    from ax_tasks_client.models.create_template_evaluation_task_request import (
        CreateTemplateEvaluationTaskRequest,
    )
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
    from ax_tasks_client.models.trigger_evaluation_task_run_request import (
        TriggerEvaluationTaskRunRequest,
    )
    from ax_tasks_client.models.trigger_run_experiment_task_run_request import (
        TriggerRunExperimentTaskRunRequest,
    )
    from ax_tasks_client.models.update_evaluation_task_request import (
        UpdateEvaluationTaskRequest,
    )
    from ax_tasks_client.models.update_run_experiment_task_request import (
        UpdateRunExperimentTaskRequest,
    )

    class SpecModel(AttrsInstance, Protocol):
        """A generated model: built from JSON, sent as JSON."""

        @classmethod
        def from_dict(cls, src_dict: Mapping[str, Any]) -> Self: ...

        def to_dict(self) -> dict[str, Any]: ...

    EvaluatorBody: TypeAlias = SpanEvaluatorInput | TraceOrSessionEvaluatorInput
    QueryFiltersBody: TypeAlias = TaskQueryFiltersInput
    RunConfigurationBody: TypeAlias = (
        LlmGenerationRunConfigRequest
        | TemplateEvaluationRunConfigRequest
        | AgentCallRunConfigRequest
    )
    EvaluationCreateBody: TypeAlias = (
        CreateTemplateEvaluationTaskRequest | CreateCodeEvaluationTaskRequest
    )
    CreateBody: TypeAlias = EvaluationCreateBody | CreateRunExperimentTaskRequest
    UpdateBody: TypeAlias = UpdateEvaluationTaskRequest | UpdateRunExperimentTaskRequest
    TriggerBody: TypeAlias = TriggerEvaluationTaskRunRequest | TriggerRunExperimentTaskRunRequest

__all__ = [
    "EXPERIMENT_TYPES",
    "INPUT_VARIABLE_FORMATS",
    "checked",
    "create_evaluation",
    "create_run_experiment",
    "evaluator",
    "query_filters",
    "run_configuration",
    "run_configuration_class",
    "trigger_evaluation",
    "trigger_run_experiment",
    "update_evaluation",
    "update_run_experiment",
    "with_evaluator_id",
    "with_integration",
]

# What a request may say, by hand: a new value needs code (tests/spec/test_mirrors.py holds them).
EXPERIMENT_TYPES: Final = ("LLM_GENERATION", "TEMPLATE_EVALUATION", "AGENT_CALL")
INPUT_VARIABLE_FORMATS: Final = ("F_STRING", "MUSTACHE", "NONE")

M = TypeVar("M", bound="SpecModel")
T = TypeVar("T")


# --------------------------------------------------------------------------------------------
# JSON a caller wrote, checked by building its model once
# --------------------------------------------------------------------------------------------


def json_fields(model: type[AttrsInstance]) -> list[str]:
    """The JSON field names of a generated model (``type_`` → ``type``)."""
    import attrs

    return [
        (item.alias or item.name).rstrip("_")
        for item in attrs.fields(model)
        if item.name != "additional_properties"
    ]


def _dropped(given: object, sent: object, path: str) -> list[str]:
    """Paths of keys in ``given`` that building the model dropped."""
    found: list[str] = []
    if isinstance(given, Mapping) and isinstance(sent, Mapping):
        for key, value in given.items():
            where = f"{path}.{key}" if path else str(key)
            if key not in sent:
                found.append(where)
            else:
                found.extend(_dropped(value, sent[key], where))
    elif isinstance(given, list) and isinstance(sent, list):
        for index, (a, b) in enumerate(zip(given, sent, strict=False)):
            found.extend(_dropped(a, b, f"{path}[{index}]"))
    return found


def _describe_failure(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"the required field {exc.args[0]!r} is missing"
    text = str(exc).strip()
    if isinstance(exc, TypeError | AttributeError) or not text:
        return "a field has the wrong type (objects, lists and strings must match the API's shape)"
    return text


#: What an evaluator entry takes, as both faces teach it (``evaluator`` is ours: name or ID).
#: The keys are quoted: they are the entry's JSON keys in either face, not a face's parameters.
EVALUATOR_FORMS = (
    'An evaluator entry takes "evaluator" (a name or ID) or "evaluator_id",'
    ' "evaluator_version_id", and one shape: "column_mappings" and "query_filter" (spans), or'
    ' "query_mappings" (traces and sessions).'
)
EVALUATOR_FIELDS = (
    "evaluator",
    "evaluator_id",
    "evaluator_version_id",
    "column_mappings",
    "query_filter",
    "query_mappings",
)


def checked(
    model: type[M],
    data: object,
    what: str,
    *,
    takes: str | None = None,
    forms: str | None = None,
    shown_fields: Sequence[str] | None = None,
) -> M:
    """``data`` built into ``model``, once; a failure or a field the model would drop is a
    ValidationError naming the fields the model takes (``forms``/``shown_fields``: the forms
    a face teaches instead, where they differ from the model's)."""
    fields = list(shown_fields) if shown_fields is not None else json_fields(model)
    listing = f" {forms}" if forms else f" {takes or what} takes: {', '.join(fields)}."
    if not isinstance(data, Mapping):
        raise ValidationError(
            f"{what} must be a JSON object, not {type(data).__name__}.", valid_fields=fields
        )
    try:
        built = model.from_dict(data)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise ValidationError(
            f"Invalid {what}: {_describe_failure(exc)}.{listing}", valid_fields=fields
        ) from None
    unknown = _dropped(data, built.to_dict(), "")
    if unknown:
        top = [u for u in unknown if "." not in u and "[" not in u]
        names = ", ".join(repr(u) for u in unknown)
        raise ValidationError(
            f"Invalid {what}: unknown field(s) {names}.{listing if top else ''}",
            valid_fields=fields if top else None,
        )
    return built


def run_configuration_class(
    kind: object,
) -> (
    type[LlmGenerationRunConfigRequest]
    | type[TemplateEvaluationRunConfigRequest]
    | type[AgentCallRunConfigRequest]
    | None
):
    """The request model of a run configuration of experiment type ``kind`` (None: no such
    type)."""
    if kind == "LLM_GENERATION":
        from ax_tasks_client.models.llm_generation_run_config_request import (
            LlmGenerationRunConfigRequest,
        )

        return LlmGenerationRunConfigRequest
    if kind == "TEMPLATE_EVALUATION":
        from ax_tasks_client.models.template_evaluation_run_config_request import (
            TemplateEvaluationRunConfigRequest,
        )

        return TemplateEvaluationRunConfigRequest
    if kind == "AGENT_CALL":
        from ax_tasks_client.models.agent_call_run_config_request import (
            AgentCallRunConfigRequest,
        )

        return AgentCallRunConfigRequest
    return None


def run_configuration(config: Mapping[str, Any]) -> RunConfigurationBody:
    """A run configuration, enum values in any case and a missing input_variable_format
    inferred (lenient.py), built into the model of its experiment type."""
    data = normalize_run_configuration(config)
    kind = data.get("experiment_type")
    model = run_configuration_class(kind)
    if model is None:
        got = "it is missing" if kind is None else f"got {kind!r}"
        raise ValidationError(
            f"{field('run_configuration')} needs experiment_type, one of "
            f"{', '.join(EXPERIMENT_TYPES)} ({got}).",
            valid_fields=["experiment_type"],
        )
    ivf = data.get("input_variable_format")
    if kind == "LLM_GENERATION" and ivf not in INPUT_VARIABLE_FORMATS:
        raise ValidationError(
            f"{field('run_configuration')}.input_variable_format must be one of "
            f"{', '.join(INPUT_VARIABLE_FORMATS)}, not {ivf!r}."
        )
    takes = f"A {field('run_configuration')} of experiment_type {kind}"
    try:
        return checked(model, data, field("run_configuration"), takes=takes)
    except ValidationError:
        if kind == "LLM_GENERATION":
            _refuse_faulty_message(data.get("messages"))
        raise


def _refuse_faulty_message(messages: object) -> None:
    """On a run configuration refused as a whole: the precise path of the message at fault,
    when one is (the usual slip), instead of the whole configuration's listing."""
    from ax_tasks_client.models.llm_message_request import LLMMessageRequest

    for index, message in enumerate(messages if isinstance(messages, list) else []):
        where = f"{field('run_configuration')}.messages[{index}]"
        checked(LLMMessageRequest, message, where, takes="A message")


def evaluator(entry: Mapping[str, Any], index: int) -> EvaluatorBody:
    """One evaluator entry: the trace/session shape if it has query_mappings, else the span
    shape."""
    what = f"{field('evaluators')}[{index}]"
    if "query_mappings" in entry:
        from ax_tasks_client.models.trace_or_session_evaluator_input import (
            TraceOrSessionEvaluatorInput,
        )

        model: type[EvaluatorBody] = TraceOrSessionEvaluatorInput
    else:
        from ax_tasks_client.models.span_evaluator_input import SpanEvaluatorInput

        model = SpanEvaluatorInput
    return checked(model, entry, what, forms=EVALUATOR_FORMS, shown_fields=EVALUATOR_FIELDS)


def query_filters(value: Mapping[str, Any]) -> TaskQueryFiltersInput:
    from ax_tasks_client.models.task_query_filters_input import TaskQueryFiltersInput

    return checked(TaskQueryFiltersInput, value, field("query_filters"))


# --------------------------------------------------------------------------------------------
# Names resolved to IDs: the checked model with one field changed (attrs.evolve, no rebuild)
# --------------------------------------------------------------------------------------------


def with_evaluator_id(entry: EvaluatorBody, evaluator_id: str) -> EvaluatorBody:
    import attrs

    return attrs.evolve(entry, evaluator_id=evaluator_id)


def with_integration(
    config: RunConfigurationBody, resolve: Callable[[str], str]
) -> RunConfigurationBody:
    """The run configuration with its AI integration (a name or an ID) resolved to an ID."""
    import attrs

    from ax_tasks_client.models.agent_call_run_config_request import AgentCallRunConfigRequest

    # A blank or non-text reference is sent as given: the API's refusal names the field.
    if isinstance(config, AgentCallRunConfigRequest):
        ref = config.integration_id
        if not isinstance(ref, str) or not ref.strip():
            return config
        return attrs.evolve(config, integration_id=resolve(ref))
    ref = config.ai_integration_id
    if not isinstance(ref, str) or not ref.strip():
        return config
    return attrs.evolve(config, ai_integration_id=resolve(ref))


# --------------------------------------------------------------------------------------------
# Whole bodies, put together from checked parts with the models' own keywords
# --------------------------------------------------------------------------------------------


def _given(value: T | None) -> T | Unset:
    return UNSET if value is None else value


def _changed(value: T | Unchanged) -> T | Unset:
    return UNSET if isinstance(value, Unchanged) else value


class _EvaluationFields(TypedDict):
    """What a TEMPLATE_EVALUATION and a CODE_EVALUATION create body share (all but the tag)."""

    name: str
    evaluators: list[EvaluatorBody]
    project_id: str | Unset
    dataset_id: str | Unset
    experiment_ids: list[str] | Unset
    sampling_rate: float | Unset
    is_continuous: bool | Unset
    query_filter: str | Unset
    query_filters: TaskQueryFiltersInput | Unset


def create_evaluation(
    task_type: str,
    *,
    name: str,
    evaluators: list[EvaluatorBody],
    project_id: str | None,
    dataset_id: str | None,
    experiment_ids: list[str] | None,
    sampling_rate: float | None,
    is_continuous: bool | None,
    query_filter: str | None,
    query_filters: TaskQueryFiltersInput | None,
) -> EvaluationCreateBody:
    """The create body of an evaluation task (``task_type`` TEMPLATE_ or CODE_EVALUATION)."""
    shared: _EvaluationFields = {
        "name": name,
        "evaluators": evaluators,
        "project_id": _given(project_id),
        "dataset_id": _given(dataset_id),
        "experiment_ids": _given(experiment_ids),
        "sampling_rate": _given(sampling_rate),
        "is_continuous": _given(is_continuous),
        "query_filter": _given(query_filter),
        "query_filters": _given(query_filters),
    }
    if task_type == "CODE_EVALUATION":
        from ax_tasks_client.models.create_code_evaluation_task_request import (
            CreateCodeEvaluationTaskRequest,
        )

        return CreateCodeEvaluationTaskRequest(type_="CODE_EVALUATION", **shared)
    from ax_tasks_client.models.create_template_evaluation_task_request import (
        CreateTemplateEvaluationTaskRequest,
    )

    return CreateTemplateEvaluationTaskRequest(type_="TEMPLATE_EVALUATION", **shared)


def create_run_experiment(
    *, name: str, dataset_id: str, run_configuration: RunConfigurationBody
) -> CreateRunExperimentTaskRequest:
    from ax_tasks_client.models.create_run_experiment_task_request import (
        CreateRunExperimentTaskRequest,
    )

    return CreateRunExperimentTaskRequest(
        name=name,
        type_="RUN_EXPERIMENT",
        dataset_id=dataset_id,
        run_configuration=run_configuration,
    )


def update_evaluation(
    *,
    name: str | Unchanged,
    sampling_rate: float | Unchanged,
    is_continuous: bool | Unchanged,
    query_filter: str | Unchanged | None,
    query_filters: TaskQueryFiltersInput | Unchanged | None,
    evaluators: list[EvaluatorBody] | Unchanged,
) -> UpdateEvaluationTaskRequest:
    """The changes to an evaluation task: UNCHANGED is left out, None sent as null."""
    from ax_tasks_client.models.update_evaluation_task_request import (
        UpdateEvaluationTaskRequest,
    )

    return UpdateEvaluationTaskRequest(
        name=_changed(name),
        sampling_rate=_changed(sampling_rate),
        is_continuous=_changed(is_continuous),
        query_filter=_changed(query_filter),
        query_filters=_changed(query_filters),
        evaluators=_changed(evaluators),
    )


def update_run_experiment(
    *, name: str | Unchanged, run_configuration: RunConfigurationBody | Unchanged
) -> UpdateRunExperimentTaskRequest:
    from ax_tasks_client.models.update_run_experiment_task_request import (
        UpdateRunExperimentTaskRequest,
    )

    return UpdateRunExperimentTaskRequest(
        name=_changed(name), run_configuration=_changed(run_configuration)
    )


def trigger_evaluation(
    *,
    data_start_time: datetime | None,
    data_end_time: datetime | None,
    max_spans: int | None,
    override_evaluations: bool | None,
    experiment_ids: list[str] | None,
) -> TriggerEvaluationTaskRunRequest:
    from ax_tasks_client.models.trigger_evaluation_task_run_request import (
        TriggerEvaluationTaskRunRequest,
    )

    return TriggerEvaluationTaskRunRequest(
        data_start_time=_given(data_start_time),
        data_end_time=_given(data_end_time),
        max_spans=_given(max_spans),
        override_evaluations=_given(override_evaluations),
        experiment_ids=_given(experiment_ids),
    )


def trigger_run_experiment(
    *,
    experiment_name: str,
    dataset_version_id: str | None,
    example_ids: Sequence[str] | None,
    max_examples: int | None,
    query_filter: str | None,
    tracing_metadata: Mapping[str, str] | None,
    evaluation_task_ids: list[str] | None,
) -> TriggerRunExperimentTaskRunRequest:
    from ax_tasks_client.models.string_map import StringMap
    from ax_tasks_client.models.trigger_run_experiment_task_run_request import (
        TriggerRunExperimentTaskRunRequest,
    )

    metadata = None
    if tracing_metadata is not None:
        metadata = checked(StringMap, tracing_metadata, field("tracing_metadata"))
    return TriggerRunExperimentTaskRunRequest(
        experiment_name=experiment_name,
        dataset_version_id=_given(dataset_version_id),
        example_ids=_given(list(example_ids) if example_ids is not None else None),
        max_examples=_given(max_examples),
        query_filter=_given(query_filter),
        tracing_metadata=_given(metadata),
        evaluation_task_ids=_given(evaluation_task_ids),
    )

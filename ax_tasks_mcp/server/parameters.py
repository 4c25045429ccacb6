"""The MCP tools' shared parameters: annotated types, each described with an example.

A tool's input schema is built from these; a parameter only one tool takes is written there.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

__all__ = [
    "DEFAULT_WAIT_SECONDS",
    "MAX_WAIT_SECONDS",
    "ConfirmArg",
    "CursorArg",
    "DatasetArg",
    "EvaluatorsArg",
    "IsContinuousArg",
    "LimitArg",
    "NameFilterArg",
    "ProjectArg",
    "QueryFilterArg",
    "QueryFiltersArg",
    "RunConfigurationArg",
    "RunIdArg",
    "SamplingRateArg",
    "SpaceArg",
    "TaskArg",
    "TimeoutArg",
    "WaitArg",
]

MAX_WAIT_SECONDS = 3600.0
DEFAULT_WAIT_SECONDS = 300.0

_SPACE_IDS = ["my-space", "U3BhY2U6MjAwMTphQmNE"]

SpaceArg = Annotated[
    str | None,
    Field(
        description=(
            "Space name or ID. Names of tasks, projects, datasets and evaluators are looked up"
            " in this space. Defaults to the configured default space, if any."
        ),
        examples=_SPACE_IDS,
    ),
]
TaskArg = Annotated[
    str,
    Field(
        description="Task name (exact, case included; looked up in `space`) or task ID.",
        examples=["nightly-hallucination-check", "T25saW5lVGFzazo0NTpxUndY"],
    ),
]
RunIdArg = Annotated[
    str,
    Field(
        description=(
            "Task run ID, as returned by trigger_task_run or list_task_runs (runs have no names)."
        ),
        examples=["VGFza1J1bjo5OTpxUndY"],
    ),
]
ProjectArg = Annotated[
    str | None,
    Field(
        description="Project name (looked up in `space`) or project ID.",
        examples=["checkout-agent", "TW9kZWw6MTIzOmFCY0Q="],
    ),
]
DatasetArg = Annotated[
    str | None,
    Field(
        description="Dataset name (looked up in `space`) or dataset ID.",
        examples=["golden-questions", "RGF0YXNldDo1NjpxUndY"],
    ),
]
NameFilterArg = Annotated[
    str | None,
    Field(
        description="Only items whose name contains this text (case-insensitive).",
        examples=["nightly"],
    ),
]
LimitArg = Annotated[
    int | None,
    Field(
        description="Page size, 1 to 100 (the API's default is 50).",
        ge=1,
        le=100,
        examples=[20],
    ),
]
CursorArg = Annotated[
    str | None,
    Field(
        description="The next_cursor of the previous page, to get the page after it.",
        examples=["eyJvZmZzZXQiOjIwfQ=="],
    ),
]
TimeoutArg = Annotated[
    float,
    Field(
        description=(
            "How long to wait, in seconds (at most 3600). If the run is still going then, the"
            " tool reports that and the run keeps going on the server."
        ),
        gt=0,
        le=MAX_WAIT_SECONDS,
        examples=[300],
    ),
]
ConfirmArg = Annotated[
    bool,
    Field(
        description=(
            "Only for clients that cannot ask the user: set true, together with confirm_name,"
            " after the user has explicitly agreed."
        ),
        examples=[True],
    ),
]
EvaluatorsArg = Annotated[
    list[dict[str, Any]],
    Field(
        description=(
            "The evaluators to run, at least one. Each entry names an evaluator by `evaluator`"
            " (name) or `evaluator_id`, optionally pins `evaluator_version_id`, and then takes"
            " ONE shape for all entries: span shape {column_mappings: {template variable:"
            " span column}, query_filter?} or trace/session shape {query_mappings:"
            " [{variable_name, query_ids: [A-E ids from query_filters], attribute_path}]}."
            " Use list_evaluators to find evaluators."
        ),
        min_length=1,
        examples=[
            [{"evaluator": "hallucination", "column_mappings": {"input": "attributes.input.value"}}]
        ],
    ),
]
QueryFilterArg = Annotated[
    str | None,
    Field(
        description="Span filter: only spans matching it are evaluated (span-shape tasks).",
        examples=["attributes.llm.model_name = 'gpt-4o'"],
    ),
]
QueryFiltersArg = Annotated[
    dict[str, Any] | None,
    Field(
        description=(
            "Trace/session-shape filters: {filters: [{id: 'A'..'E', filter}], expression?}."
            " The expression (e.g. 'A AND B') is required with two or more filters."
        ),
        examples=[{"filters": [{"id": "A", "filter": "span_kind = 'LLM'"}]}],
    ),
]
SamplingRateArg = Annotated[
    float | None,
    Field(description="Share of spans to evaluate, 0 to 1.", ge=0, le=1, examples=[0.25]),
]
IsContinuousArg = Annotated[
    bool | None,
    Field(
        description="Evaluate new data continuously (project tasks) instead of on trigger only.",
        examples=[True],
    ),
]
RunConfigurationArg = Annotated[
    dict[str, Any],
    Field(
        description=(
            "What each example runs, by experiment_type (any case): LLM_GENERATION"
            " {ai_integration_id, model_name?, messages: [{role, content}],"
            " input_variable_format?, invocation_parameters?}; TEMPLATE_EVALUATION"
            " {ai_integration_id, template, provide_explanation, classification_choices?};"
            " AGENT_CALL {integration_id, input_template}. ai_integration_id may be an"
            " integration name (see list_ai_integrations); input_variable_format is inferred"
            " from the placeholders ({var} or {{var}}) when missing."
        ),
        examples=[
            {
                "experiment_type": "LLM_GENERATION",
                "ai_integration_id": "openai-prod",
                "model_name": "gpt-4o-mini",
                "messages": [{"role": "USER", "content": "Answer briefly: {question}"}],
            }
        ],
    ),
]
WaitArg = Annotated[
    bool,
    Field(
        description=(
            "Wait for the run to finish (with progress notifications) and return the final"
            " run instead of the just-created one."
        ),
        examples=[True],
    ),
]

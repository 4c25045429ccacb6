"""The parameters several tools share, each with a one-line description.

What is said once in the server's instructions (names or IDs work everywhere, names are looked
up in ``space``) is not repeated here.  Fixed values are declared as enums; ``schemas``
accepts them in any case.  A parameter only one tool takes is written at that tool.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import Field, StrictBool

from ax_tasks_mcp import EVALUATION_TYPES, TASK_TYPES

__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_WAIT_SECONDS",
    "MAX_WAIT_SECONDS",
    "RUN_STATUSES",
    "ConfirmArg",
    "CursorArg",
    "DatasetArg",
    "EvaluationTypeArg",
    "EvaluatorFilterArg",
    "EvaluatorsArg",
    "FullArg",
    "IsContinuousArg",
    "LimitArg",
    "NameFilterArg",
    "ProjectArg",
    "QueryFilterArg",
    "QueryFiltersArg",
    "RunConfigurationArg",
    "RunIdArg",
    "RunStatusArg",
    "SamplingRateArg",
    "SinceArg",
    "SpaceArg",
    "TaskArg",
    "TaskTypeArg",
    "TimeoutArg",
    "UntilArg",
    "WaitArg",
    "one_of",
]

#: The run statuses this version knows (held to the spec by tests/spec/test_mirrors.py): named
#: here rather than read from the generated client, which a first tools/list must not import.
RUN_STATUSES = ("PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED")
MAX_WAIT_SECONDS = 3600.0
DEFAULT_WAIT_SECONDS = 300.0
DEFAULT_LIMIT = 20


def one_of(values: Sequence[str], description: str) -> Any:
    """A fixed-value string: an enum in the schema (``schemas`` accepts any case)."""
    return Field(description=description, json_schema_extra={"enum": list(values)})


SpaceArg = Annotated[str | None, Field(description="Space name or ID.")]
TaskArg = Annotated[str, Field(description="Task name or ID.")]
RunIdArg = Annotated[str, Field(description="Run ID (runs have no names).")]
ProjectArg = Annotated[str | None, Field(description="Project name or ID.")]
DatasetArg = Annotated[str | None, Field(description="Dataset name or ID.")]
NameFilterArg = Annotated[str | None, Field(description="Only names containing this text.")]
LimitArg = Annotated[int, Field(description="Page size.", ge=1, le=100)]
CursorArg = Annotated[str | None, Field(description="A next_cursor to go on from.")]
FullArg = Annotated[bool, Field(description="Whole objects instead of summaries (large).")]
# Filters take a value newer than this version too (the API shows it): no enum to refuse it.
TaskTypeArg = Annotated[str | None, Field(description=f"{'|'.join(TASK_TYPES)}, or newer.")]
EvaluationTypeArg = Annotated[str, one_of(EVALUATION_TYPES, "Evaluator kind the task runs.")]
RunStatusArg = Annotated[str | None, Field(description=f"{'|'.join(RUN_STATUSES)}, or newer.")]
EvaluatorFilterArg = Annotated[str | None, Field(description="Only tasks running it (name or ID).")]
SinceArg = Annotated[
    str | None, Field(description="Only runs created since: RFC 3339, or back from now (24h, 7d).")
]
UntilArg = Annotated[str | None, Field(description="Only runs created before; as since.")]
TimeoutArg = Annotated[
    float, Field(description="Seconds to wait, at most 3600.", gt=0, le=MAX_WAIT_SECONDS)
]
WaitArg = Annotated[bool, Field(description="Wait for the run to end and return it.")]
ConfirmArg = Annotated[
    StrictBool,
    Field(description="Without a user prompt: true once the user has agreed."),
]
EvaluatorsArg = Annotated[
    list[dict[str, Any]],
    Field(
        description=(
            "Each {evaluator (name or ID), evaluator_version_id?} plus one shape for all:"
            " {column_mappings: {variable: span column}, query_filter?} or {query_mappings:"
            " [{variable_name, query_ids: [A-E], attribute_path}]}."
        ),
        min_length=1,
    ),
]
QueryFilterArg = Annotated[str | None, Field(description="Span filter, e.g. span_kind = 'LLM'.")]
QueryFiltersArg = Annotated[
    dict[str, Any] | None,
    Field(
        description=(
            "Trace/session filters {filters: [{id: A-E, filter}], expression} (expression"
            " e.g. 'A AND B' needed for 2+)."
        )
    ),
]
SamplingRateArg = Annotated[
    float | None, Field(description="Share of spans evaluated.", ge=0, le=1)
]
IsContinuousArg = Annotated[
    bool | None, Field(description="Project tasks: keep evaluating new spans.")
]
RunConfigurationArg = Annotated[
    dict[str, Any],
    Field(
        description=(
            "By experiment_type: LLM_GENERATION {ai_integration_id, model_name?, messages:"
            " [{role, content}], invocation_parameters?}; TEMPLATE_EVALUATION"
            " {ai_integration_id, template, provide_explanation, classification_choices?};"
            " AGENT_CALL {integration_id, input_template}. Integration by name or ID."
        )
    ),
]

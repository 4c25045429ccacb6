"""Typed requests both faces build: what to create, what to change, how to run.

Each request checks itself when it is built (every check that needs no network: names, rates,
exclusive fields, the shape of run configurations and query filters), so a request that exists
is one the service can act on, and a refused one changed nothing.  Names of projects, datasets,
evaluators and experiments are resolved later, by the service.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from dataclasses import field as dataclass_field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, TypeAlias

from ax_tasks_mcp.service import bodies
from ax_tasks_mcp.service.arguments import (
    RUN_EXPERIMENT,
    as_datetime,
    check_experiment_name,
    check_name,
    check_positive_int,
    check_rate,
    parse_task_type,
    reject_mixed,
    reject_unfit,
    string_list,
    string_map,
)
from ax_tasks_mcp.service.bounds import check_references
from ax_tasks_mcp.service.errors import ValidationError
from ax_tasks_mcp.service.ids import require_id
from ax_tasks_mcp.service.models import EVALUATION_TYPES, UNCHANGED, Unchanged
from ax_tasks_mcp.service.words import field, operation
from ax_tasks_mcp.service.words import fields as field_list

if TYPE_CHECKING:
    from ax_tasks_mcp.service.bodies import QueryFiltersBody, RunConfigurationBody

__all__ = [
    "CREATE_FIELDS",
    "TRIGGER_FIELDS",
    "UPDATE_FIELDS",
    "EvaluationTaskSpec",
    "RunExperimentTaskSpec",
    "RunRequest",
    "TaskChanges",
    "TaskSpec",
    "task_spec",
]

EVALUATION: Final = "EVALUATION"

#: The fields each kind of task is created with.
CREATE_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    EVALUATION: (
        "name",
        "task_type",
        "space",
        "project",
        "dataset",
        "evaluators",
        "experiment_ids",
        "sampling_rate",
        "is_continuous",
        "query_filter",
        "query_filters",
    ),
    RUN_EXPERIMENT: ("name", "task_type", "space", "dataset", "run_configuration"),
}
#: The fields an update may change, by kind of task.
UPDATE_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    EVALUATION: (
        "name",
        "sampling_rate",
        "is_continuous",
        "query_filter",
        "query_filters",
        "evaluators",
    ),
    RUN_EXPERIMENT: ("name", "run_configuration"),
}
#: The fields a run request may give, by kind of task.
TRIGGER_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    EVALUATION: (
        "data_start_time",
        "data_end_time",
        "max_spans",
        "override_evaluations",
        "experiment_ids",
    ),
    RUN_EXPERIMENT: (
        "experiment_name",
        "dataset_version_id",
        "example_ids",
        "max_examples",
        "query_filter",
        "tracing_metadata",
        "evaluation_task_ids",
    ),
}

# The order a rejection lists the fields given in.
_GIVEN_ORDER: Final = (
    "space",
    "project",
    "dataset",
    "evaluators",
    "run_configuration",
    "experiment_ids",
    "sampling_rate",
    "is_continuous",
    "query_filter",
    "query_filters",
)
_EXCLUSIVE_FILTERS: Final = (
    f"{field('query_filter')} (span filter) and {field('query_filters')} (trace/session "
    "filters) are mutually exclusive: give one."
)


def _set(request: object, name: str, value: Any) -> None:
    object.__setattr__(request, name, value)  # a frozen request normalises itself once


@dataclass(frozen=True, kw_only=True)
class EvaluationTaskSpec:
    """A TEMPLATE_EVALUATION or CODE_EVALUATION task: scores a project's spans (``project``)
    or a dataset's experiments (``dataset`` and ``experiment_ids``).  Evaluator entries may
    give ``evaluator`` (a name) instead of ``evaluator_id``; experiments may be given by name."""

    name: str
    task_type: str
    evaluators: Sequence[Mapping[str, Any]]
    space: str | None = None
    project: str | None = None
    dataset: str | None = None
    experiment_ids: Sequence[str] | None = None
    sampling_rate: float | None = None
    is_continuous: bool | None = None
    query_filter: str | None = None
    query_filters: Mapping[str, Any] | None = None
    #: The query filters as they are sent: the generated model the checks built (bodies.py).
    query_filters_model: QueryFiltersBody | None = dataclass_field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        kind = parse_task_type(self.task_type)
        if kind not in EVALUATION_TYPES:
            raise ValidationError(
                f"An evaluation task is {' or '.join(EVALUATION_TYPES)}; a {kind} task is "
                f"created with {operation('create_run_experiment_task')}."
            )
        _set(self, "task_type", kind)
        check_name(self.name, "task name")
        check_references(
            {
                "space": self.space,
                "project": self.project,
                "dataset": self.dataset,
                "evaluators": self.evaluators,
                "experiment_ids": self.experiment_ids,
            }
        )
        if bool(self.project) == bool(self.dataset):
            raise ValidationError(
                "An evaluation task scores either a project's spans (give "
                f"{field('project')}) or a dataset's experiments (give {field('dataset')} and "
                f"{field('experiment_ids')}): give exactly one of {field('project')} and "
                f"{field('dataset')}{', not both' if self.project else ''}."
            )
        if self.query_filter is not None and self.query_filters is not None:
            raise ValidationError(_EXCLUSIVE_FILTERS)
        check_rate(self.sampling_rate)
        if self.dataset:
            if not self.experiment_ids:
                raise ValidationError(
                    f"A dataset evaluation task needs {field('experiment_ids')} (at least one "
                    "experiment of the dataset, by name or ID)."
                )
            if self.sampling_rate is not None or self.is_continuous:
                raise ValidationError(
                    f"{field('sampling_rate')} and {field('is_continuous')} apply to project "
                    "tasks only; a dataset task scores the experiments it is given."
                )
            _set(self, "experiment_ids", string_list(self.experiment_ids, "experiment_ids"))
        elif self.experiment_ids:
            raise ValidationError(
                f"{field('experiment_ids')} apply to dataset tasks only; a project task scores "
                "spans."
            )
        if self.query_filters is not None:
            _set(self, "query_filters_model", bodies.query_filters(self.query_filters))


@dataclass(frozen=True, kw_only=True)
class RunExperimentTaskSpec:
    """A RUN_EXPERIMENT task: runs a dataset through a model.  run_configuration enums in any
    case; input_variable_format inferred when missing (MUSTACHE for {{var}}, F_STRING for
    {var}); ai_integration_id may be a name."""

    name: str
    dataset: str
    run_configuration: Mapping[str, Any]
    space: str | None = None
    #: The run configuration as it is sent: the generated model the checks built (bodies.py).
    run_configuration_model: RunConfigurationBody = dataclass_field(
        init=False, repr=False, compare=False
    )

    @property
    def task_type(self) -> str:
        return RUN_EXPERIMENT

    def __post_init__(self) -> None:
        check_name(self.name, "task name")
        check_references(
            {
                "space": self.space,
                "dataset": self.dataset,
                "run_configuration": self.run_configuration,
            }
        )
        if not isinstance(self.dataset, str) or not self.dataset.strip():
            raise ValidationError(
                f"A RUN_EXPERIMENT task needs a {field('dataset')} (name or ID).",
                valid_fields=CREATE_FIELDS[RUN_EXPERIMENT],
            )
        _set(self, "run_configuration_model", bodies.run_configuration(self.run_configuration))


TaskSpec: TypeAlias = EvaluationTaskSpec | RunExperimentTaskSpec


def task_spec(task_type: str, *, name: str, **given: Any) -> TaskSpec:
    """The spec for ``task_type`` from the fields given (None: not given), refusing fields that
    do not fit that type by listing those that do: for a create command that takes every field."""
    kind = parse_task_type(task_type)
    group = RUN_EXPERIMENT if kind == RUN_EXPERIMENT else EVALUATION
    allowed = CREATE_FIELDS[group]
    present = {key: given[key] for key in _GIVEN_ORDER if given.get(key) is not None}
    present.update({key: value for key, value in given.items() if value is not None})
    reject_unfit(list(present), allowed, f"a {kind} task", action="created")
    if kind == RUN_EXPERIMENT:
        needs = {
            "dataset": "(name or ID)",
            "run_configuration": "(experiment_type LLM_GENERATION, TEMPLATE_EVALUATION or "
            "AGENT_CALL)",
        }
        for needed, what in needs.items():
            if needed not in present:
                raise ValidationError(
                    f"A RUN_EXPERIMENT task needs {field(needed)} {what}.", valid_fields=allowed
                )
        return RunExperimentTaskSpec(name=name, **present)
    if "evaluators" not in present:
        raise ValidationError(
            f"A {kind} task needs {field('evaluators')} (at least one).", valid_fields=allowed
        )
    return EvaluationTaskSpec(name=name, task_type=kind, **present)


def _check_cleared(given: Mapping[str, Any]) -> None:
    for key in ("name", "sampling_rate", "is_continuous", "evaluators", "run_configuration"):
        if key in given and given[key] is None:
            raise ValidationError(
                f"{field(key)} cannot be cleared; only {field('query_filter')} and "
                f"{field('query_filters')} can be set to null. Leave it out to keep it as it is."
            )


@dataclass(frozen=True, kw_only=True)
class TaskChanges:
    """What an update changes: UNCHANGED (the default) leaves a field alone, None clears it
    (sends null; only the filters can be cleared).  At least one field."""

    name: str | Unchanged = UNCHANGED
    sampling_rate: float | Unchanged = UNCHANGED
    is_continuous: bool | Unchanged = UNCHANGED
    query_filter: str | Unchanged | None = UNCHANGED
    query_filters: Mapping[str, Any] | Unchanged | None = UNCHANGED
    evaluators: Sequence[Mapping[str, Any]] | Unchanged = UNCHANGED
    run_configuration: Mapping[str, Any] | Unchanged = UNCHANGED
    #: The new run configuration and query filters as they are sent: the generated models the
    #: checks built (bodies.py); UNCHANGED and None as given.
    run_configuration_model: RunConfigurationBody | Unchanged = dataclass_field(
        default=UNCHANGED, init=False, repr=False, compare=False
    )
    query_filters_model: QueryFiltersBody | Unchanged | None = dataclass_field(
        default=UNCHANGED, init=False, repr=False, compare=False
    )
    _deferred: ValidationError | None = dataclass_field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        given = self.given()
        if not given:
            every = [f.name for f in fields(self) if f.init]
            raise ValidationError(
                f"Nothing to update: give at least one field to change ({field_list(every)}).",
                valid_fields=every,
            )
        _check_cleared(given)
        if "name" in given:
            check_name(given["name"], "task name")
        check_references(given)
        check_rate(given.get("sampling_rate"))
        if given.get("query_filter") is not None and given.get("query_filters") is not None:
            raise ValidationError(_EXCLUSIVE_FILTERS)
        reject_mixed(list(given), UPDATE_FIELDS, action="updated")
        if given.get("run_configuration") is not None:
            try:
                config = bodies.run_configuration(given["run_configuration"])
            except ValidationError as exc:
                # Said only if the task is a RUN_EXPERIMENT one: for any other, the update is
                # refused first because run_configuration does not apply to it at all.
                _set(self, "_deferred", exc)
            else:
                _set(self, "run_configuration_model", config)
        if "query_filters" in given:
            filters = given["query_filters"]
            model = None if filters is None else bodies.query_filters(filters)
            _set(self, "query_filters_model", model)

    def raise_deferred(self) -> None:
        """Raise the run configuration's refusal, if it had one (the task takes it)."""
        if self._deferred is not None:
            raise self._deferred

    def given(self) -> dict[str, Any]:
        """The fields to change, by API name (None: clear it)."""
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.init}
        return {name: value for name, value in values.items() if value is not UNCHANGED}


@dataclass(frozen=True, kw_only=True)
class RunRequest:
    """How to run a task.  Evaluation tasks take a time window (a start alone ends now; at most
    30 days), max_spans, override_evaluations and, for dataset tasks, experiment_ids;
    RUN_EXPERIMENT tasks need experiment_name and may pick examples."""

    data_start_time: datetime | str | None = None
    data_end_time: datetime | str | None = None
    max_spans: int | None = None
    override_evaluations: bool | None = None
    experiment_ids: Sequence[str] | None = None
    experiment_name: str | None = None
    dataset_version_id: str | None = None
    example_ids: Sequence[str] | None = None
    max_examples: int | None = None
    query_filter: str | None = None
    tracing_metadata: Mapping[str, str] | None = None
    evaluation_task_ids: Sequence[str] | None = None

    def __post_init__(self) -> None:
        check_references(self.given())
        reject_mixed(list(self.given()), TRIGGER_FIELDS, action="triggered")
        if self.example_ids is not None and self.max_examples is not None:
            raise ValidationError(
                f"{field('example_ids')} and {field('max_examples')} are mutually exclusive: "
                f"give one ({field('example_ids')} picks examples, {field('max_examples')} "
                "takes the first N)."
            )
        check_positive_int(self.max_spans, "max_spans")
        check_positive_int(self.max_examples, "max_examples")
        for name in ("data_start_time", "data_end_time"):
            value = getattr(self, name)
            if value is not None:
                _set(self, name, as_datetime(value, name))
        for name in ("experiment_ids", "example_ids", "evaluation_task_ids"):
            value = getattr(self, name)
            if value is not None:
                _set(self, name, string_list(value, name))
        if self.experiment_name is not None:
            check_experiment_name(self.experiment_name)
        if self.dataset_version_id is not None:
            require_id(self.dataset_version_id, "DatasetVersion", "dataset version")
        if self.tracing_metadata is not None:
            _set(self, "tracing_metadata", string_map(self.tracing_metadata, "tracing_metadata"))

    def given(self) -> dict[str, Any]:
        """The fields given, by API name."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: value for name, value in values.items() if value is not None}

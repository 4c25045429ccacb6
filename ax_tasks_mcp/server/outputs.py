"""What the MCP tools return: the API's own objects, as the tools' output schemas.

Each TypedDict describes an object as the API gives it; fields it does not list pass through
untouched.  Lists are one page of items and the cursor of the next page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, NotRequired

from pydantic import Field
from typing_extensions import TypedDict

from ax_tasks_mcp import RUN_STATUSES, TERMINAL_STATUSES

__all__ = [
    "AiIntegration",
    "AiIntegrationList",
    "Dataset",
    "DatasetList",
    "DeletedTask",
    "Evaluator",
    "EvaluatorList",
    "Experiment",
    "ExperimentList",
    "Project",
    "ProjectList",
    "Space",
    "SpaceList",
    "Task",
    "TaskEvaluator",
    "TaskList",
    "TaskRun",
    "TaskRunList",
    "listed",
]


def listed(values: Iterable[str], last: str = "or") -> str:
    """``A, B or C``."""
    items = list(values)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


class TaskEvaluator(TypedDict):
    """An evaluator attached to a task."""

    evaluator_id: str
    evaluator_name: NotRequired[str]
    evaluator_version_id: NotRequired[str | None]
    query_filter: NotRequired[str | None]
    column_mappings: NotRequired[dict[str, str] | None]
    query_mappings: NotRequired[list[dict[str, Any]] | None]


class Task(TypedDict):
    """A task as the API returns it. type: TEMPLATE_EVALUATION, CODE_EVALUATION or
    RUN_EXPERIMENT. Evaluation tasks have evaluators and a project_id or dataset_id;
    run-experiment tasks have a dataset_id and a run_configuration."""

    id: str
    name: str
    type: str
    project_id: NotRequired[str | None]
    dataset_id: NotRequired[str | None]
    sampling_rate: NotRequired[float | None]
    is_continuous: NotRequired[bool]
    query_filter: NotRequired[str | None]
    query_filters: NotRequired[dict[str, Any] | None]
    evaluators: NotRequired[list[TaskEvaluator]]
    experiment_ids: NotRequired[list[str]]
    run_configuration: NotRequired[dict[str, Any] | None]
    last_run_at: NotRequired[str | None]
    created_at: NotRequired[str]
    updated_at: NotRequired[str]
    created_by_user_id: NotRequired[str | None]


class TaskRun(TypedDict):
    # The docstring (the schema's description) is set below from the statuses the spec lists.

    id: str
    task_id: str
    status: str
    experiment_id: NotRequired[str | None]
    run_started_at: NotRequired[str | None]
    run_finished_at: NotRequired[str | None]
    data_start_time: NotRequired[str | None]
    data_end_time: NotRequired[str | None]
    num_successes: NotRequired[int]
    num_errors: NotRequired[int]
    num_skipped: NotRequired[int]
    created_at: NotRequired[str]
    created_by_user_id: NotRequired[str | None]
    failure_reason: NotRequired[str | None]


TaskRun.__doc__ = (
    f"A task run as the API returns it. status: {listed(RUN_STATUSES)}, or one a newer API "
    f"reports ({listed(sorted(TERMINAL_STATUSES), 'and')} are final); failure_reason "
    "explains a FAILED or CANCELLED run."
)


class DeletedTask(TypedDict):
    """The deleted task as it was just before deletion."""

    deleted: bool
    task: Task


class Space(TypedDict):
    """A space: the container of projects, datasets, evaluators and tasks."""

    id: str
    name: str
    description: NotRequired[str | None]
    created_at: NotRequired[str]
    is_private: NotRequired[bool]


class Project(TypedDict):
    """A project (its spans are what project evaluation tasks score)."""

    id: str
    name: str
    space_id: NotRequired[str]
    created_at: NotRequired[str]
    project_type: NotRequired[str | None]


class Dataset(TypedDict):
    """A dataset (its examples are what dataset tasks and experiments work on)."""

    id: str
    name: str
    space_id: NotRequired[str]
    created_at: NotRequired[str]
    updated_at: NotRequired[str]


class Evaluator(TypedDict):
    """An evaluator (type TEMPLATE, CODE, HARNESS or REMOTE) that evaluation tasks run."""

    id: str
    name: str
    type: NotRequired[str]
    description: NotRequired[str | None]
    space_id: NotRequired[str]
    created_at: NotRequired[str]
    updated_at: NotRequired[str]
    created_by_user_id: NotRequired[str | None]


class Experiment(TypedDict):
    """An experiment run over a dataset."""

    id: str
    name: str
    space_id: NotRequired[str]
    dataset_id: NotRequired[str | None]
    dataset_version_id: NotRequired[str | None]
    created_at: NotRequired[str]
    updated_at: NotRequired[str]


class AiIntegration(TypedDict):
    """An AI integration (an LLM provider account) that run configurations use."""

    id: str
    name: str
    provider: NotRequired[str]
    model_names: NotRequired[list[str] | None]
    has_api_key: NotRequired[bool]


_CURSOR_DOC = "Pass as `cursor` to get the next page; null on the last page."


class TaskList(TypedDict):
    """One page of tasks."""

    tasks: list[Task]
    next_cursor: Annotated[str | None, Field(description=_CURSOR_DOC)]


class TaskRunList(TypedDict):
    """One page of a task's runs, newest first."""

    task_runs: list[TaskRun]
    next_cursor: Annotated[str | None, Field(description=_CURSOR_DOC)]


class SpaceList(TypedDict):
    """One page of spaces."""

    spaces: list[Space]
    next_cursor: Annotated[str | None, Field(description=_CURSOR_DOC)]


class ProjectList(TypedDict):
    """One page of projects."""

    projects: list[Project]
    next_cursor: Annotated[str | None, Field(description=_CURSOR_DOC)]


class DatasetList(TypedDict):
    """One page of datasets."""

    datasets: list[Dataset]
    next_cursor: Annotated[str | None, Field(description=_CURSOR_DOC)]


class EvaluatorList(TypedDict):
    """One page of evaluators."""

    evaluators: list[Evaluator]
    next_cursor: Annotated[str | None, Field(description=_CURSOR_DOC)]


class ExperimentList(TypedDict):
    """One page of experiments."""

    experiments: list[Experiment]
    next_cursor: Annotated[str | None, Field(description=_CURSOR_DOC)]


class AiIntegrationList(TypedDict):
    """One page of AI integrations."""

    ai_integrations: list[AiIntegration]
    next_cursor: Annotated[str | None, Field(description=_CURSOR_DOC)]

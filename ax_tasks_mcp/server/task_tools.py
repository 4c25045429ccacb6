"""The tools on tasks (toolset ``tasks``): list_tasks, get_task, create_evaluation_task,
create_run_experiment_task, update_task and delete_task.

Each tool is defined here whole: its docstring is what the model reads, the decorator gives
its title, effect and output schema.  Arguments go to TasksService as they are (names and IDs
alike).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal

from mcp.server.mcpserver import ElicitationResult, Resolve
from mcp_types import CallToolResult
from pydantic import Field

from ax_tasks_mcp import TASK_TYPES
from ax_tasks_mcp.server.calls import Ctx, ShownError, call_service, tool_result
from ax_tasks_mcp.server.confirmation import (
    ConfirmDeletion,
    ask_delete,
    check_answer,
    check_confirm,
    find_task,
)
from ax_tasks_mcp.server.listings import (
    evaluator_matches,
    newer_value_note,
    require_evaluator,
    space_names,
    spans_spaces,
    target_names,
)
from ax_tasks_mcp.server.outputs import (
    DELETED_TASK,
    NEW_TASK,
    TASK,
    TASK_PAGE,
    UPDATED_TASK,
    changes_made,
    task_summary,
)
from ax_tasks_mcp.server.paging import render_page, scan
from ax_tasks_mcp.server.parameters import (
    DEFAULT_LIMIT,
    ConfirmArg,
    CursorArg,
    DatasetArg,
    EvaluationTypeArg,
    EvaluatorFilterArg,
    EvaluatorsArg,
    FullArg,
    IsContinuousArg,
    LimitArg,
    NameFilterArg,
    ProjectArg,
    QueryFilterArg,
    QueryFiltersArg,
    RunConfigurationArg,
    SamplingRateArg,
    SpaceArg,
    TaskArg,
    TaskTypeArg,
)
from ax_tasks_mcp.server.toolkit import DESTRUCTIVE, READ, WRITE, WRITE_AGAIN, Toolset

if TYPE_CHECKING:
    from ax_tasks_mcp import Page, Resource, TasksService

__all__ = ["TASKS"]

TASKS = Toolset("tasks")

NewName = Annotated[str, Field(description="Name of the new task.", min_length=1)]


@TASKS.tool(title="List tasks", effect=READ, output=TASK_PAGE)
async def list_tasks(
    ctx: Ctx,
    space: SpaceArg = None,
    project: ProjectArg = None,
    dataset: DatasetArg = None,
    name: NameFilterArg = None,
    evaluator: EvaluatorFilterArg = None,
    task_type: TaskTypeArg = None,
    limit: LimitArg = DEFAULT_LIMIT,
    cursor: CursorArg = None,
    full: FullArg = False,
) -> CallToolResult:
    """Find tasks by space, project, dataset, name text, type or evaluator. Returns summaries
    (type, target, evaluators, last run) and next_cursor; get_task gives one whole task,
    list_task_runs its runs."""

    def page(s: TasksService) -> dict[str, Any]:
        def fetch(at: str | None, size: int) -> Page:
            return s.list_tasks(
                space=space,
                project=project,
                dataset=dataset,
                name=name,
                task_type=task_type,
                limit=size,
                cursor=at,
            )

        keep = evaluator_matches(evaluator) if evaluator else None
        found = scan(fetch, cursor, limit, tool="list_tasks", keep=keep)
        if evaluator and not found.items and not cursor:
            require_evaluator(s, evaluator, space)
        summary = None if full else _task_summaries(s, found.items, space)
        answer = render_page("tasks", found, summary)
        note = newer_value_note("task_type", task_type, TASK_TYPES)
        if note:
            answer["note"] = f"{answer['note']} {note}" if "note" in answer else note
        return answer

    return tool_result(await call_service(ctx, "list_tasks", page))


def _task_summaries(
    s: TasksService, tasks: list[Resource], space: str | None
) -> Callable[[Resource], dict[str, Any]]:
    """How each task is summarised: its target by name, and its space when the list spans
    every space (a few lookups, made once per page)."""
    if not tasks:
        return lambda task: task_summary(task, {})
    targets = target_names(s, tasks, space)
    spaces = space_names(s) if spans_spaces(s, space) else None
    return lambda task: task_summary(task, targets, spaces)


@TASKS.tool(title="Get a task", effect=READ, output=TASK)
async def get_task(ctx: Ctx, task: TaskArg, space: SpaceArg = None) -> CallToolResult:
    """One whole task: type, target, evaluators or run configuration, filters, last run.
    list_tasks finds tasks you cannot name."""
    found = await call_service(ctx, "get_task", lambda s: s.get_task(task, space=space))
    return tool_result(found)


@TASKS.tool(
    title="Create an evaluation task",
    effect=WRITE,
    output=NEW_TASK,
    hints={"task_type": "RUN_EXPERIMENT tasks are created with create_run_experiment_task."},
)
async def create_evaluation_task(
    ctx: Ctx,
    name: NewName,
    task_type: EvaluationTypeArg,
    evaluators: EvaluatorsArg,
    space: SpaceArg = None,
    project: Annotated[
        str | None, Field(description="Project whose spans are scored (or dataset).")
    ] = None,
    dataset: Annotated[
        str | None, Field(description="Dataset whose experiments are scored (or project).")
    ] = None,
    experiment_ids: Annotated[
        list[str] | None, Field(description="Dataset tasks: experiments, by name or ID.")
    ] = None,
    sampling_rate: SamplingRateArg = None,
    is_continuous: IsContinuousArg = None,
    query_filter: QueryFilterArg = None,
    query_filters: QueryFiltersArg = None,
) -> CallToolResult:
    """Create a task that runs evaluators (list_evaluators) over a project's spans or a
    dataset's experiments; start it with trigger_task_run. Returns the task. To run a prompt
    over a dataset use create_run_experiment_task."""

    def create(service: TasksService) -> Resource:
        from ax_tasks_mcp import EvaluationTaskSpec

        spec = EvaluationTaskSpec(
            name=name,
            task_type=task_type,
            evaluators=evaluators,
            space=space,
            project=project,
            dataset=dataset,
            experiment_ids=experiment_ids,
            sampling_rate=sampling_rate,
            is_continuous=is_continuous,
            query_filter=query_filter,
            query_filters=query_filters,
        )
        return service.create_task(spec)

    return tool_result(await call_service(ctx, "create_evaluation_task", create, write=True))


@TASKS.tool(title="Create a run-experiment task", effect=WRITE, output=NEW_TASK)
async def create_run_experiment_task(
    ctx: Ctx,
    name: NewName,
    dataset: Annotated[str, Field(description="Dataset whose examples are run.")],
    run_configuration: RunConfigurationArg,
    space: SpaceArg = None,
) -> CallToolResult:
    """Create a task that runs an LLM prompt, template evaluation or agent call over each
    example of a dataset, an experiment per run (list_ai_integrations for integrations).
    Returns the task. To score existing data use create_evaluation_task."""

    def create(service: TasksService) -> Resource:
        from ax_tasks_mcp import RunExperimentTaskSpec

        spec = RunExperimentTaskSpec(
            name=name, dataset=dataset, run_configuration=run_configuration, space=space
        )
        return service.create_task(spec)

    return tool_result(await call_service(ctx, "create_run_experiment_task", create, write=True))


@TASKS.tool(title="Update a task", effect=WRITE_AGAIN, output=UPDATED_TASK)
async def update_task(
    ctx: Ctx,
    task: TaskArg,
    space: SpaceArg = None,
    name: Annotated[str | None, Field(description="New name.", min_length=1)] = None,
    sampling_rate: SamplingRateArg = None,
    is_continuous: IsContinuousArg = None,
    query_filter: QueryFilterArg = None,
    query_filters: QueryFiltersArg = None,
    evaluators: Annotated[
        list[dict[str, Any]] | None,
        Field(description="Replaces the whole list; entries as at creation.", min_length=1),
    ] = None,
    run_configuration: Annotated[
        dict[str, Any] | None, Field(description="Replaces the run configuration.")
    ] = None,
    clear: Annotated[
        list[Literal["query_filter", "query_filters"]] | None,
        Field(description="Filters to remove."),
    ] = None,
) -> CallToolResult:
    """Change only the fields given. Evaluation tasks: name, sampling_rate, is_continuous,
    filters, evaluators; run-experiment tasks: name, run_configuration. Returns what changed
    (from, to); get_task shows the whole task."""
    changes: dict[str, Any] = {
        key: value
        for key, value in {
            "name": name,
            "sampling_rate": sampling_rate,
            "is_continuous": is_continuous,
            "query_filter": query_filter,
            "query_filters": query_filters,
            "evaluators": evaluators,
            "run_configuration": run_configuration,
        }.items()
        if value is not None
    }
    for field in clear or ():
        if field in changes:
            raise ShownError(
                f"{field} is both set and cleared; give a new value or clear it, not both."
                " Nothing was changed."
            )
        changes[field] = None

    def update(service: TasksService) -> dict[str, Any]:
        from ax_tasks_mcp import TaskChanges

        checked = TaskChanges(**changes)  # refused before anything is read or sent
        before = service.get_task(task, space=space)
        after = service.update_task(str(before["id"]), checked, space=space)
        return changes_made(before, after, changes)

    return tool_result(await call_service(ctx, "update_task", update, write=True))


@TASKS.tool(title="Delete a task", effect=DESTRUCTIVE, output=DELETED_TASK)
async def delete_task(
    ctx: Ctx,
    target: Annotated[dict[str, Any], Resolve(find_task)],
    answer: Annotated[ElicitationResult[ConfirmDeletion], Resolve(ask_delete)],
    task: TaskArg,
    space: SpaceArg = None,
    confirm: ConfirmArg = False,
) -> CallToolResult:
    """Delete a task and all its runs, for good. The user is asked when the client can;
    otherwise confirm=true after the user agreed, and your host's approval of this call is
    the guard. Returns the task as it was. cancel_task_run stops one run."""
    nothing = "Nothing was deleted."
    task_id = str(target.get("id"))  # the ID the user was asked about, not the name again
    if not check_answer(answer, f"deleting task {task_id}", nothing):
        check_confirm(confirm, "deleting a task", nothing)
    before = await call_service(ctx, "delete_task", lambda s: s.delete_task(task_id), write=True)
    return tool_result({"deleted": True, "task": before})

"""The tools on tasks (toolset ``tasks``): list_tasks, get_task, create_evaluation_task,
create_run_experiment_task, update_task and delete_task.

Each tool is defined here whole: its docstring is what the model reads, the decorator gives
its title, effect and output schema.  Arguments go to TasksService as they are (names and IDs
alike).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from mcp.server.mcpserver import ElicitationResult, Resolve
from mcp_types import CallToolResult
from pydantic import Field

from ax_tasks_mcp.server.calls import Ctx, ShownError, call_service, tool_result
from ax_tasks_mcp.server.confirmation import (
    ConfirmDeletion,
    ask_delete,
    check_answer,
    check_confirm,
)
from ax_tasks_mcp.server.outputs import DELETED_TASK, TASK, TASK_PAGE, task_summary
from ax_tasks_mcp.server.parameters import (
    DEFAULT_LIMIT,
    ConfirmArg,
    CursorArg,
    DatasetArg,
    EvaluationTypeArg,
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
    task_type: TaskTypeArg = None,
    limit: LimitArg = DEFAULT_LIMIT,
    cursor: CursorArg = None,
    full: FullArg = False,
) -> CallToolResult:
    """Find tasks, by space, project, dataset, name text or type. Returns summaries (type,
    target, evaluators, last run) and next_cursor; get_task gives one whole task,
    list_task_runs its runs."""

    def summaries(s: TasksService) -> dict[str, Any]:
        page = s.list_tasks(
            space=space,
            project=project,
            dataset=dataset,
            name=name,
            task_type=task_type,
            limit=limit,
            cursor=cursor,
        )
        if full:
            return {"tasks": page.items, "next_cursor": page.next_cursor}
        names = _target_names(s, page, space)
        items = [task_summary(task, names) for task in page.items]
        return {"tasks": items, "next_cursor": page.next_cursor}

    return tool_result(await call_service(ctx, "list_tasks", summaries))


def _target_names(s: TasksService, page: Page, space: str | None) -> dict[str, str]:
    """Project and dataset names by ID, for the targets on this page (one request per kind).

    Names come from the space's first 100 of each; a target not among them keeps its ID only.
    They are a convenience: if they cannot be listed, the summaries carry the IDs alone.
    """
    from ax_tasks_mcp import AxTasksError

    if not page.items or not (space or s.settings.space):
        return {}
    names: dict[str, str] = {}
    for kind in ("project", "dataset"):
        if any(task.get(f"{kind}_id") for task in page.items):
            try:
                listed = s.list_lookup(f"{kind}s", space=space, limit=100)
            except AxTasksError:
                continue
            names.update({str(item["id"]): str(item["name"]) for item in listed.items})
    return names


@TASKS.tool(title="Get a task", effect=READ, output=TASK)
async def get_task(ctx: Ctx, task: TaskArg, space: SpaceArg = None) -> CallToolResult:
    """One whole task: type, target, evaluators or run configuration, filters, last run.
    list_tasks finds tasks you cannot name."""
    found = await call_service(ctx, "get_task", lambda s: s.get_task(task, space=space))
    return tool_result(found)


@TASKS.tool(
    title="Create an evaluation task",
    effect=WRITE,
    output=TASK,
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


@TASKS.tool(title="Create a run-experiment task", effect=WRITE, output=TASK)
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


@TASKS.tool(title="Update a task", effect=WRITE_AGAIN, output=TASK)
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
    filters, evaluators; run-experiment tasks: name, run_configuration. Returns the task;
    get_task shows current values."""
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

    def update(service: TasksService) -> Resource:
        from ax_tasks_mcp import TaskChanges

        return service.update_task(task, TaskChanges(**changes), space=space)

    return tool_result(await call_service(ctx, "update_task", update, write=True))


@TASKS.tool(title="Delete a task", effect=DESTRUCTIVE, output=DELETED_TASK)
async def delete_task(
    ctx: Ctx,
    answer: Annotated[ElicitationResult[ConfirmDeletion], Resolve(ask_delete)],
    task: TaskArg,
    space: SpaceArg = None,
    confirm: ConfirmArg = False,
) -> CallToolResult:
    """Delete a task and all its runs, for good. The user is asked when the client can;
    otherwise confirm=true after the user agreed, and your host's approval of this call is
    the guard. Returns the task as it was. cancel_task_run stops one run."""
    nothing = "Nothing was deleted."
    found = await call_service(ctx, "delete_task", lambda s: s.get_task(task, space=space))
    task_id = str(found.get("id"))
    if not check_answer(answer, f"deleting task {found.get('name')!r}", nothing):
        check_confirm(confirm, "deleting a task", nothing)
    before = await call_service(ctx, "delete_task", lambda s: s.delete_task(task_id), write=True)
    return tool_result({"deleted": True, "task": before})

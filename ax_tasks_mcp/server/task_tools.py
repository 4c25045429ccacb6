"""The MCP tools on tasks: list_tasks, get_task, create_evaluation_task,
create_run_experiment_task, update_task and delete_task.

Each hands its arguments to TasksService as they are (names and IDs alike, enums in any case)
and returns what the service returns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from mcp.server.mcpserver import ElicitationResult, Resolve
from mcp_types import CallToolResult
from pydantic import Field

if TYPE_CHECKING:
    from ax_tasks_mcp import Resource, TasksService

from ax_tasks_mcp.server.calls import (
    Ctx,
    ShownError,
    call_service,
    page_result,
    tool_result,
)
from ax_tasks_mcp.server.confirmation import (
    ConfirmDeletion,
    ask_delete,
    check_answer,
    check_confirm,
)
from ax_tasks_mcp.server.outputs import DeletedTask, Task, TaskList
from ax_tasks_mcp.server.parameters import (
    ConfirmArg,
    CursorArg,
    DatasetArg,
    EvaluatorsArg,
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
)

__all__ = [
    "create_evaluation_task",
    "create_run_experiment_task",
    "delete_task",
    "get_task",
    "list_tasks",
    "update_task",
]


async def list_tasks(
    ctx: Ctx,
    space: SpaceArg = None,
    project: ProjectArg = None,
    dataset: DatasetArg = None,
    name: NameFilterArg = None,
    task_type: Annotated[
        str | None,
        Field(
            description=(
                "Only tasks of this type: TEMPLATE_EVALUATION, CODE_EVALUATION or"
                " RUN_EXPERIMENT (any case)."
            ),
            examples=["template_evaluation"],
        ),
    ] = None,
    limit: LimitArg = None,
    cursor: CursorArg = None,
) -> Annotated[CallToolResult, TaskList]:
    page = await call_service(
        ctx,
        "list_tasks",
        lambda s: s.list_tasks(
            space=space,
            project=project,
            dataset=dataset,
            name=name,
            task_type=task_type,
            limit=limit,
            cursor=cursor,
        ),
    )
    return page_result("tasks", page)


async def get_task(
    ctx: Ctx, task: TaskArg, space: SpaceArg = None
) -> Annotated[CallToolResult, Task]:
    found = await call_service(ctx, "get_task", lambda s: s.get_task(task, space=space))
    return tool_result(found)


async def create_evaluation_task(
    ctx: Ctx,
    name: Annotated[
        str,
        Field(
            description="Name of the new task.", min_length=1, examples=["nightly-hallucination"]
        ),
    ],
    task_type: Annotated[
        str,
        Field(
            description="TEMPLATE_EVALUATION or CODE_EVALUATION (any case).",
            examples=["TEMPLATE_EVALUATION"],
        ),
    ],
    evaluators: EvaluatorsArg,
    space: SpaceArg = None,
    project: Annotated[
        str | None,
        Field(
            description=(
                "Project whose spans are evaluated: name (looked up in `space`) or ID. Give"
                " either project or dataset."
            ),
            examples=["checkout-agent", "TW9kZWw6MTIzOmFCY0Q="],
        ),
    ] = None,
    dataset: Annotated[
        str | None,
        Field(
            description=(
                "Dataset whose experiments are evaluated: name (looked up in `space`) or ID."
                " Give either project or dataset."
            ),
            examples=["golden-questions", "RGF0YXNldDo1NjpxUndY"],
        ),
    ] = None,
    experiment_ids: Annotated[
        list[str] | None,
        Field(
            description="Dataset tasks: experiments to evaluate, by name or ID.",
            examples=[["baseline-run"]],
        ),
    ] = None,
    sampling_rate: SamplingRateArg = None,
    is_continuous: IsContinuousArg = None,
    query_filter: QueryFilterArg = None,
    query_filters: QueryFiltersArg = None,
) -> Annotated[CallToolResult, Task]:
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


async def create_run_experiment_task(
    ctx: Ctx,
    name: Annotated[
        str, Field(description="Name of the new task.", min_length=1, examples=["qa-prompt-v2"])
    ],
    dataset: Annotated[
        str,
        Field(
            description="Dataset whose examples are run: name (looked up in `space`) or ID.",
            examples=["golden-questions", "RGF0YXNldDo1NjpxUndY"],
        ),
    ],
    run_configuration: RunConfigurationArg,
    space: SpaceArg = None,
) -> Annotated[CallToolResult, Task]:
    def create(service: TasksService) -> Resource:
        from ax_tasks_mcp import RunExperimentTaskSpec

        spec = RunExperimentTaskSpec(
            name=name, dataset=dataset, run_configuration=run_configuration, space=space
        )
        return service.create_task(spec)

    return tool_result(await call_service(ctx, "create_run_experiment_task", create, write=True))


async def update_task(
    ctx: Ctx,
    task: TaskArg,
    space: SpaceArg = None,
    name: Annotated[
        str | None, Field(description="New name.", min_length=1, examples=["nightly-v2"])
    ] = None,
    sampling_rate: SamplingRateArg = None,
    is_continuous: IsContinuousArg = None,
    query_filter: QueryFilterArg = None,
    query_filters: QueryFiltersArg = None,
    evaluators: Annotated[
        list[dict[str, Any]] | None,
        Field(
            description=(
                "Evaluation tasks: the new evaluator list, replacing the whole list (same"
                " entry shapes as create_evaluation_task)."
            ),
            min_length=1,
            examples=[[{"evaluator": "toxicity", "column_mappings": {"input": "input"}}]],
        ),
    ] = None,
    run_configuration: Annotated[
        dict[str, Any] | None,
        Field(
            description=(
                "Run-experiment tasks: the new run configuration, replacing the old one (same"
                " shape as create_run_experiment_task)."
            ),
            examples=[
                {
                    "experiment_type": "LLM_GENERATION",
                    "ai_integration_id": "openai-prod",
                    "messages": [{"role": "USER", "content": "{question}"}],
                }
            ],
        ),
    ] = None,
    clear: Annotated[
        list[Literal["query_filter", "query_filters"]] | None,
        Field(
            description="Filters to remove from the task (set them to null).",
            examples=[["query_filter"]],
        ),
    ] = None,
) -> Annotated[CallToolResult, Task]:
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


async def delete_task(
    ctx: Ctx,
    answer: Annotated[ElicitationResult[ConfirmDeletion], Resolve(ask_delete)],
    task: TaskArg,
    space: SpaceArg = None,
    confirm: ConfirmArg = False,
    confirm_name: Annotated[
        str | None,
        Field(
            description=("With confirm: the task's exact name or ID, as the user confirmed it."),
            examples=["nightly-hallucination-check"],
        ),
    ] = None,
) -> Annotated[CallToolResult, DeletedTask]:
    nothing = "Nothing was deleted."
    found = await call_service(ctx, "delete_task", lambda s: s.get_task(task, space=space))
    task_id = str(found.get("id"))
    if not check_answer(answer, f"deleting task {found.get('name')!r}", nothing):
        accepted = [str(found.get("name", "")), task_id]
        check_confirm(confirm, confirm_name, accepted, "deleting a task", nothing)
    before = await call_service(ctx, "delete_task", lambda s: s.delete_task(task_id), write=True)
    return tool_result({"deleted": True, "task": before})

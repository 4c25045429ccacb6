"""The MCP tools on task runs: trigger_task_run, list_task_runs, get_task_run,
cancel_task_run and wait_for_task_run.

With wait (trigger_task_run) or in wait_for_task_run, the run's progress reaches the client as
progress notifications while the tool waits.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from mcp.server.mcpserver import ElicitationResult, Resolve
from mcp_types import CallToolResult
from pydantic import Field

if TYPE_CHECKING:
    from ax_tasks_mcp import Resource, TasksService

from ax_tasks_mcp import RUN_STATUSES
from ax_tasks_mcp.server.calls import (
    Ctx,
    call_service,
    page_result,
    tool_result,
    wait_with_progress,
)
from ax_tasks_mcp.server.confirmation import (
    ConfirmCancellation,
    ask_cancel,
    check_answer,
    check_confirm,
)
from ax_tasks_mcp.server.outputs import TaskRun, TaskRunList, listed
from ax_tasks_mcp.server.parameters import (
    DEFAULT_WAIT_SECONDS,
    ConfirmArg,
    CursorArg,
    LimitArg,
    RunIdArg,
    SpaceArg,
    TaskArg,
    TimeoutArg,
    WaitArg,
)

__all__ = [
    "cancel_task_run",
    "get_task_run",
    "list_task_runs",
    "trigger_task_run",
    "wait_for_task_run",
]


async def trigger_task_run(
    ctx: Ctx,
    task: TaskArg,
    space: SpaceArg = None,
    data_start_time: Annotated[
        datetime | None,
        Field(
            description=(
                "Project tasks: start of the span window (RFC 3339). Required on a project"
                " task's first run; the window may span at most 30 days."
            ),
            examples=["2026-03-01T00:00:00Z"],
        ),
    ] = None,
    data_end_time: Annotated[
        datetime | None,
        Field(
            description="Project tasks: end of the span window (RFC 3339); defaults to now.",
            examples=["2026-03-07T12:00:00Z"],
        ),
    ] = None,
    max_spans: Annotated[
        int | None,
        Field(description="Evaluation tasks: most spans to evaluate.", ge=1, examples=[1000]),
    ] = None,
    override_evaluations: Annotated[
        bool | None,
        Field(
            description="Evaluation tasks: re-evaluate items that already have labels.",
            examples=[True],
        ),
    ] = None,
    experiment_ids: Annotated[
        list[str] | None,
        Field(
            description="Dataset evaluation tasks: experiments to evaluate, by name or ID.",
            examples=[["baseline-run"]],
        ),
    ] = None,
    experiment_name: Annotated[
        str | None,
        Field(
            description=(
                "Run-experiment tasks (required there): name of the experiment this run"
                " creates, unique within the dataset."
            ),
            examples=["qa-prompt-v2-2026-03-07"],
        ),
    ] = None,
    dataset_version_id: Annotated[
        str | None,
        Field(
            description="Run-experiment tasks: dataset version to use; defaults to the latest.",
            examples=["RGF0YXNldFZlcnNpb246MTIzNDU="],
        ),
    ] = None,
    example_ids: Annotated[
        list[str] | None,
        Field(
            description="Run-experiment tasks: only these examples (not with max_examples).",
            examples=[["6f1d4c1e-0000-4d8e-9a43-3f0c2b6b8e11"]],
        ),
    ] = None,
    max_examples: Annotated[
        int | None,
        Field(
            description="Run-experiment tasks: run at most this many examples.", ge=1, examples=[50]
        ),
    ] = None,
    query_filter: Annotated[
        str | None,
        Field(
            description="Run-experiment tasks: only the examples matching this filter.",
            examples=["metadata.topic = 'billing'"],
        ),
    ] = None,
    tracing_metadata: Annotated[
        dict[str, str] | None,
        Field(
            description="Run-experiment tasks: metadata to trace the run with (turns tracing on).",
            examples=[{"purpose": "regression"}],
        ),
    ] = None,
    evaluation_task_ids: Annotated[
        list[str] | None,
        Field(
            description=(
                "Run-experiment tasks: evaluation tasks to trigger on the experiment once it"
                " finishes, by ID."
            ),
            examples=[["T25saW5lVGFzazo0NTpxUndY"]],
        ),
    ] = None,
    wait: WaitArg = False,
    timeout_seconds: TimeoutArg = DEFAULT_WAIT_SECONDS,
) -> Annotated[CallToolResult, TaskRun]:
    def trigger(service: TasksService) -> Resource:
        from ax_tasks_mcp import RunRequest

        request = RunRequest(
            data_start_time=data_start_time,
            data_end_time=data_end_time,
            max_spans=max_spans,
            override_evaluations=override_evaluations,
            experiment_ids=experiment_ids,
            experiment_name=experiment_name,
            dataset_version_id=dataset_version_id,
            example_ids=example_ids,
            max_examples=max_examples,
            query_filter=query_filter,
            tracing_metadata=tracing_metadata,
            evaluation_task_ids=evaluation_task_ids,
        )
        return service.trigger_run(task, request, space=space)

    run = await call_service(ctx, "trigger_task_run", trigger, write=True)
    if wait:
        run = await wait_with_progress(
            ctx, "trigger_task_run", str(run["id"]), timeout_seconds, known=run
        )
    return tool_result(run)


async def list_task_runs(
    ctx: Ctx,
    task: TaskArg,
    space: SpaceArg = None,
    status: Annotated[
        str | None,
        Field(
            description=f"Only runs in this status: {listed(RUN_STATUSES)} (any case).",
            examples=["failed"],
        ),
    ] = None,
    limit: LimitArg = None,
    cursor: CursorArg = None,
) -> Annotated[CallToolResult, TaskRunList]:
    page = await call_service(
        ctx,
        "list_task_runs",
        lambda s: s.list_runs(task, space=space, status=status, limit=limit, cursor=cursor),
    )
    return page_result("task_runs", page)


async def get_task_run(ctx: Ctx, run_id: RunIdArg) -> Annotated[CallToolResult, TaskRun]:
    return tool_result(await call_service(ctx, "get_task_run", lambda s: s.get_run(run_id)))


async def cancel_task_run(
    ctx: Ctx,
    answer: Annotated[ElicitationResult[ConfirmCancellation], Resolve(ask_cancel)],
    run_id: RunIdArg,
    confirm: ConfirmArg = False,
    confirm_name: Annotated[
        str | None,
        Field(
            description="With confirm: the run ID, exactly, as the user confirmed it.",
            examples=["VGFza1J1bjo5OTpxUndY"],
        ),
    ] = None,
) -> Annotated[CallToolResult, TaskRun]:
    nothing = "Nothing was cancelled."
    if not check_answer(answer, f"cancelling run {run_id}", nothing):
        check_confirm(confirm, confirm_name, [run_id], "cancelling a run", nothing)
    run = await call_service(ctx, "cancel_task_run", lambda s: s.cancel_run(run_id), write=True)
    return tool_result(run)


async def wait_for_task_run(
    ctx: Ctx, run_id: RunIdArg, timeout_seconds: TimeoutArg = DEFAULT_WAIT_SECONDS
) -> Annotated[CallToolResult, TaskRun]:
    return tool_result(await wait_with_progress(ctx, "wait_for_task_run", run_id, timeout_seconds))

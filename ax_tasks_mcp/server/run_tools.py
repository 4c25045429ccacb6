"""The tools on task runs (toolset ``runs``): trigger_task_run, list_task_runs, get_task_run,
cancel_task_run and wait_for_task_run.

While a tool waits, the run's progress reaches the client as progress notifications; a wait
that runs out of time answers with the run and ``timed_out: true`` (never an error, so no
model triggers a second run to "retry").
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from mcp.server.mcpserver import ElicitationResult, Resolve
from mcp_types import CallToolResult
from pydantic import Field

from ax_tasks_mcp.server.calls import Ctx, call_service, now_of, tool_result, wait_with_progress
from ax_tasks_mcp.server.confirmation import (
    ConfirmCancellation,
    ask_cancel,
    check_answer,
    check_confirm,
)
from ax_tasks_mcp.server.listings import (
    RunWindow,
    newer_value_note,
    share_failure_reasons,
    window_totals,
)
from ax_tasks_mcp.server.outputs import (
    CANCELLED_RUN,
    RUN,
    RUN_PAGE,
    TRIGGERED_RUN,
    WAITED_RUN,
    run_summary,
)
from ax_tasks_mcp.server.paging import MAX_SCANNED, render_page, scan
from ax_tasks_mcp.server.parameters import (
    DEFAULT_LIMIT,
    DEFAULT_WAIT_SECONDS,
    RUN_STATUSES,
    ConfirmArg,
    CursorArg,
    FullArg,
    LimitArg,
    RunIdArg,
    RunStatusArg,
    SinceArg,
    SpaceArg,
    TaskArg,
    TimeoutArg,
    UntilArg,
    WaitArg,
)
from ax_tasks_mcp.server.toolkit import DESTRUCTIVE, READ, WRITE, Toolset

if TYPE_CHECKING:
    from ax_tasks_mcp import Page, Resource, TasksService

__all__ = ["RUNS"]

RUNS = Toolset("runs")

IDs = list[str] | None


@RUNS.tool(title="Trigger a task run", effect=WRITE, output=TRIGGERED_RUN)
async def trigger_task_run(
    ctx: Ctx,
    task: TaskArg,
    space: SpaceArg = None,
    data_start_time: Annotated[
        datetime | None,
        Field(description="Project tasks: window start, RFC 3339; needed on the first run."),
    ] = None,
    data_end_time: Annotated[
        datetime | None, Field(description="Project tasks: window end; default now.")
    ] = None,
    max_spans: Annotated[int | None, Field(description="Most spans to evaluate.", ge=1)] = None,
    override_evaluations: Annotated[
        bool | None, Field(description="Re-evaluate items already labelled.")
    ] = None,
    experiment_ids: Annotated[
        IDs, Field(description="Dataset evaluation tasks: experiments, by name or ID.")
    ] = None,
    experiment_name: Annotated[
        str | None, Field(description="Run-experiment tasks (required): new experiment's name.")
    ] = None,
    dataset_version_id: Annotated[
        str | None, Field(description="Dataset version; default latest.")
    ] = None,
    example_ids: Annotated[IDs, Field(description="Only these examples.")] = None,
    max_examples: Annotated[int | None, Field(description="Most examples to run.", ge=1)] = None,
    query_filter: Annotated[str | None, Field(description="Only matching examples.")] = None,
    tracing_metadata: Annotated[
        dict[str, str] | None, Field(description="Trace the run with this metadata.")
    ] = None,
    evaluation_task_ids: Annotated[
        IDs, Field(description="Evaluation task IDs to trigger on the new experiment.")
    ] = None,
    wait: WaitArg = False,
    timeout_seconds: TimeoutArg = DEFAULT_WAIT_SECONDS,
) -> CallToolResult:
    """Start a run of a task now. Evaluation tasks take the span window, max_spans,
    override_evaluations, experiment_ids; run-experiment tasks the rest. Returns the run;
    with wait=true the final run (timed_out: false) or the current one (timed_out: true).
    Then wait_for_task_run."""

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
        waited = await wait_with_progress(
            ctx, "trigger_task_run", str(run["id"]), timeout_seconds, known=run
        )
        return tool_result(waited)
    return tool_result(run)


@RUNS.tool(title="List a task's runs", effect=READ, output=RUN_PAGE)
async def list_task_runs(
    ctx: Ctx,
    task: TaskArg,
    space: SpaceArg = None,
    status: RunStatusArg = None,
    since: SinceArg = None,
    until: UntilArg = None,
    limit: LimitArg = DEFAULT_LIMIT,
    cursor: CursorArg = None,
    full: FullArg = False,
) -> CallToolResult:
    """A task's runs, newest first: status, counts, times, failure reason, and next_cursor;
    with since or until, the window's totals too. get_task_run gives one whole run."""
    window = RunWindow.of(since, until, now_of(ctx))

    def page(s: TasksService) -> dict[str, Any]:
        def fetch(at: str | None, size: int) -> Page:
            return s.list_runs(task, space=space, status=status, limit=size, cursor=at)

        if window is None:
            found = scan(fetch, cursor, limit, tool="list_task_runs")
            extra: dict[str, Any] = {}
        else:  # every run of the window, for its totals; the page shows the first ones
            every = scan(
                fetch,
                cursor,
                MAX_SCANNED,
                tool="list_task_runs",
                keep=window.keep,
                stop=window.past,
            )
            found, extra = every.first(limit), {"totals": window_totals(every)}
        answer = render_page("task_runs", found, None if full else run_summary, extra)
        if not full and (shared := share_failure_reasons(answer["task_runs"])):
            answer["failure_reasons"] = shared
        note = newer_value_note("status", status, RUN_STATUSES)
        if note:
            answer["note"] = f"{answer['note']} {note}" if "note" in answer else note
        return answer

    return tool_result(await call_service(ctx, "list_task_runs", page))


@RUNS.tool(title="Get a task run", effect=READ, output=RUN)
async def get_task_run(ctx: Ctx, run_id: RunIdArg) -> CallToolResult:
    """One whole run, now: status, counts, times, failure_reason. wait_for_task_run waits
    for it to end."""
    return tool_result(await call_service(ctx, "get_task_run", lambda s: s.get_run(run_id)))


@RUNS.tool(title="Cancel a task run", effect=DESTRUCTIVE, output=CANCELLED_RUN)
async def cancel_task_run(
    ctx: Ctx,
    answer: Annotated[ElicitationResult[ConfirmCancellation], Resolve(ask_cancel)],
    run_id: RunIdArg,
    confirm: ConfirmArg = False,
) -> CallToolResult:
    """Cancel a PENDING or RUNNING run. The user is asked when the client can; otherwise
    confirm=true after the user agreed, and your host's approval is the guard. Returns the
    run. delete_task removes a whole task."""
    nothing = "Nothing was cancelled."
    if not check_answer(answer, f"cancelling run {run_id}", nothing):
        check_confirm(confirm, "cancelling a run", nothing)
    run = await call_service(ctx, "cancel_task_run", lambda s: s.cancel_run(run_id), write=True)
    return tool_result(run)


@RUNS.tool(title="Wait for a task run", effect=READ, output=WAITED_RUN)
async def wait_for_task_run(
    ctx: Ctx, run_id: RunIdArg, timeout_seconds: TimeoutArg = DEFAULT_WAIT_SECONDS
) -> CallToolResult:
    """Wait until a run ends, reporting progress. Returns the final run (FAILED or CANCELLED
    too) with timed_out: false, or the current run with timed_out: true; the run goes on.
    get_task_run looks without waiting."""
    return tool_result(await wait_with_progress(ctx, "wait_for_task_run", run_id, timeout_seconds))

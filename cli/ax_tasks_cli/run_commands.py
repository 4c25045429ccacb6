"""Run commands: trigger-run, list-runs, get-run, cancel-run and wait-for-run.

Waiting draws a progress line on a terminal; Ctrl-C while waiting exits 130 at once, saying
how to cancel the run (which keeps going), or cancels it with --cancel-on-interrupt.
"""

from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from ax_tasks_cli import exitcodes
from ax_tasks_cli.asking import confirm_or_refuse
from ax_tasks_cli.errors import PROG, UsageProblem
from ax_tasks_cli.inputs import parse_datetime, parse_id_list, require_string_map
from ax_tasks_cli.landed import after_write, positive_seconds
from ax_tasks_cli.options import (
    JSON_SOURCES,
    TRACING_EXAMPLE,
    AllPages,
    Cursor,
    DryRun,
    Force,
    Limit,
    Output,
    Space,
    TaskRef,
    check_paging,
    command,
    json_arg,
    label,
    show_result,
    warn_newer_value,
)
from ax_tasks_cli.runtime import Session, command_session
from ax_tasks_cli.waiting import WaitLine, counts_text

if TYPE_CHECKING:
    from ax_tasks_mcp import Resource

_PollInterval = Annotated[
    float | None,
    typer.Option(
        "--poll-interval",
        metavar="SECONDS",
        help=(
            "Seconds between polls. Without it polling adapts: quick at first, then every 5 "
            "seconds at most."
        ),
    ),
]
_Timeout = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        help="Maximum seconds to wait with --wait (default: 600).",
        show_default=False,
    ),
]
DEFAULT_TIMEOUT = 600.0
_CancelOnInterrupt = Annotated[
    bool,
    typer.Option(
        "--cancel-on-interrupt",
        help="On Ctrl-C while waiting, cancel the run on the server too (else it keeps going).",
    ),
]
_RunId = Annotated[str, typer.Argument(help="Task run ID.", metavar="RUN_ID")]
_RunTask = Annotated[
    str | None,
    typer.Option(
        "--task",
        metavar="NAME_OR_ID",
        help="The run's task (name or ID; by name with --space): a run of another task is "
        "refused, and the Tab key completes this task's run IDs.",
    ),
]

__all__ = ["COMMANDS"]


@command(
    "trigger-run",
    "ax-tasks trigger-run T25saW5lVGFzazoxOm9zemE=",
    (
        "ax-tasks trigger-run chatbot-hallucination --space demo "
        "--data-start-time 2024-01-01T00:00:00Z --data-end-time 2024-01-31T00:00:00Z"
    ),
    "ax-tasks trigger-run T25saW5lVGFzazoxOm9zemE= --wait",
    "ax-tasks trigger-run T25saW5lVGFzazoxOm9zemE= --wait --timeout 300 --poll-interval 10",
    (
        "ax-tasks trigger-run checkout-nightly-generation --space production-llm "
        "--experiment-name nightly-4 --max-examples 20"
    ),
)
def trigger_run(
    ctx: typer.Context,
    task: TaskRef,
    space: Space = None,
    data_start_time: Annotated[
        str | None,
        typer.Option(
            "--data-start-time",
            metavar="TIME",
            help=(
                "ISO 8601 start of the data window (evaluation tasks only), e.g. "
                "2024-01-01T00:00:00Z; no zone means UTC."
            ),
        ),
    ] = None,
    data_end_time: Annotated[
        str | None,
        typer.Option(
            "--data-end-time",
            metavar="TIME",
            help=(
                "ISO 8601 end of the data window (evaluation tasks only, defaults to now). "
                "The window may span at most 30 days."
            ),
        ),
    ] = None,
    max_spans: Annotated[
        int | None,
        typer.Option(
            "--max-spans",
            metavar="N",
            min=1,
            help="Max spans to process (evaluation tasks only; server default: 10000).",
        ),
    ] = None,
    override_evaluations: Annotated[
        bool | None,
        typer.Option(
            "--override-evaluations/--no-override-evaluations",
            help="Re-evaluate data that already has labels (evaluation tasks only).",
            show_default=False,
        ),
    ] = None,
    experiment_ids: Annotated[
        str | None,
        typer.Option(
            "--experiment-ids",
            metavar="IDS",
            help="Comma-separated experiment IDs (dataset-based evaluation tasks only).",
        ),
    ] = None,
    experiment_name: Annotated[
        str | None,
        typer.Option(
            "--experiment-name",
            metavar="NAME",
            help="Name of the experiment to create (required for run_experiment tasks).",
        ),
    ] = None,
    dataset_version_id: Annotated[
        str | None,
        typer.Option(
            "--dataset-version-id",
            metavar="ID",
            help="Dataset version ID; defaults to the latest version (run_experiment tasks only).",
        ),
    ] = None,
    max_examples: Annotated[
        int | None,
        typer.Option(
            "--max-examples",
            metavar="N",
            min=1,
            help="Maximum number of examples to run (run_experiment tasks only).",
        ),
    ] = None,
    example_ids: Annotated[
        str | None,
        typer.Option(
            "--example-ids",
            metavar="IDS",
            help=(
                "Comma-separated dataset example IDs to run (run_experiment tasks only; not "
                "with --max-examples)."
            ),
        ),
    ] = None,
    query_filter: Annotated[
        str | None,
        typer.Option(
            "--query-filter",
            metavar="EXPR",
            help="Run only the examples matching this filter (run_experiment tasks only).",
        ),
    ] = None,
    tracing_metadata: Annotated[
        str | None,
        typer.Option(
            "--tracing-metadata",
            help=(
                "JSON object of key/value strings attached to experiment traces (run_experiment "
                f"tasks only), e.g. {TRACING_EXAMPLE}. {JSON_SOURCES}"
            ),
            metavar="JSON",
        ),
    ] = None,
    evaluation_task_ids: Annotated[
        str | None,
        typer.Option(
            "--evaluation-task-ids",
            metavar="IDS",
            help=(
                "Comma-separated evaluation task IDs to trigger after the experiment finishes "
                "(run_experiment tasks only)."
            ),
        ),
    ] = None,
    wait: Annotated[
        bool,
        typer.Option("--wait", "-w", help="Block until the run reaches a terminal state."),
    ] = False,
    poll_interval: _PollInterval = None,
    timeout: _Timeout = None,
    cancel_on_interrupt: _CancelOnInterrupt = False,
    dry_run: DryRun = False,
    output: Output = None,
) -> None:
    """Trigger an on-demand run of a task; the run starts PENDING.

    Options that do not fit the task's type are refused before anything is sent. With --wait
    the exit code tells the outcome: 0 COMPLETED, 5 FAILED, 6 CANCELLED, 7 timeout.
    """
    with command_session(ctx, output) as session:
        from ax_tasks_mcp import RunRequest

        _wait_options(wait, timeout=timeout, poll_interval=poll_interval)
        if cancel_on_interrupt and not wait:
            raise UsageProblem("--cancel-on-interrupt applies only while waiting: add --wait (-w).")
        metadata = json_arg("--tracing-metadata", tracing_metadata)
        request = RunRequest(
            data_start_time=parse_datetime("--data-start-time", data_start_time),
            data_end_time=parse_datetime("--data-end-time", data_end_time),
            max_spans=max_spans,
            override_evaluations=override_evaluations,
            experiment_ids=parse_id_list(experiment_ids),
            experiment_name=experiment_name,
            dataset_version_id=dataset_version_id,
            example_ids=parse_id_list(example_ids),
            max_examples=max_examples,
            query_filter=query_filter,
            tracing_metadata=(
                None
                if metadata is None
                else require_string_map("--tracing-metadata", metadata, TRACING_EXAMPLE)
            ),
            evaluation_task_ids=parse_id_list(evaluation_task_ids),
        )
        service, where = session.service(), session.space(space)
        if dry_run:
            session.print_planned(service.plan_trigger(task, request, space=where))
            return
        result = service.trigger_run(task, request, space=where)
        run_id = str(result["id"])
        with after_write(session, f"Triggered run {run_id}", result):
            if not wait:
                session.printer.one(result, "run")
                session.say(
                    f"Triggered run {run_id} ({result.get('status', 'PENDING')}). Wait for it "
                    f"with: {session.runtime.command_prefix()} wait-for-run {run_id}"
                )
                return
            session.say(f"Triggered run {run_id}; waiting for it (Ctrl-C to stop waiting).")
            _wait_and_report(
                session,
                run_id,
                timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
                poll_interval=poll_interval,
                known=result,
                cancel_on_interrupt=cancel_on_interrupt,
            )


@command(
    "list-runs",
    "ax-tasks list-runs T25saW5lVGFzazoxOm9zemE=",
    "ax-tasks list-runs T25saW5lVGFzazoxOm9zemE= --status completed",
    "ax-tasks list-runs chatbot-hallucination --space demo --status failed --output runs.json",
)
def list_runs(
    ctx: typer.Context,
    task: TaskRef,
    space: Space = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="Filter by run status in any case, e.g. completed or failed; a status this "
            "version does not know yet is sent as given, with a warning.",
        ),
    ] = None,
    limit: Limit = 15,
    cursor: Cursor = None,
    all_pages: AllPages = False,
    output: Output = None,
) -> None:
    """List the runs of a task, optionally filtered by status."""
    with command_session(ctx, output) as session:
        check_paging(cursor, all_pages)
        from ax_tasks_mcp import RUN_STATUSES

        warn_newer_value(session, status, RUN_STATUSES, "run status")
        service = session.service()
        space_value = session.space(space)
        if all_pages:
            session.print_all(service.iter_runs(task, space=space_value, status=status), "run")
        else:
            page = service.list_runs(
                task, space=space_value, status=status, limit=limit, cursor=cursor
            )
            session.print_page(page, "run")


@command(
    "get-run",
    "ax-tasks get-run VGFza1J1bjoxOkxsbWk=",
    "ax-tasks get-run --task chatbot-hallucination --space demo VGFza1J1bjoxOkxsbWk=",
)
def get_run(
    ctx: typer.Context,
    run_id: _RunId,
    task: _RunTask = None,
    space: Space = None,
    output: Output = None,
) -> None:
    """Get a task run by its ID."""
    with command_session(ctx, output) as session:
        run = session.service().get_run(run_id)
        _check_task(session, run, task, space)
        session.printer.one(run, "run")


@command(
    "cancel-run",
    "ax-tasks cancel-run VGFza1J1bjoxOkxsbWk=",
    "ax-tasks cancel-run VGFza1J1bjoxOkxsbWk= --force",
)
def cancel_run(
    ctx: typer.Context,
    run_id: _RunId,
    task: _RunTask = None,
    space: Space = None,
    force: Force = False,
    dry_run: DryRun = False,
    output: Output = None,
) -> None:
    """Cancel a task run; only valid while it is pending or running.

    On a terminal it asks first; elsewhere it refuses unless --force is given.
    """
    with command_session(ctx, output) as session:
        service = session.service()
        if task is not None:
            _check_task(session, service.get_run(run_id), task, space)
        if dry_run:
            session.print_planned(service.plan_cancel(run_id))
            return
        if not force:
            confirm_or_refuse(
                session,
                action="cancel",
                target=f"run {run_id}",
                read=lambda: service.get_run(run_id),
                question=lambda run: (
                    f"Cancel run {run.get('id', run_id)} of task {run.get('task_id', '?')} "
                    f"(now {run.get('status', 'unknown')})?"
                ),
                unchanged=lambda _: f"Nothing was changed: run {run_id} keeps going.",
            )
        result = service.cancel_run(run_id)
        show_result(session, result, "run", lambda r: f"Cancelled run {r.get('id', run_id)}.")


@command(
    "wait-for-run",
    "ax-tasks wait-for-run VGFza1J1bjoxOkxsbWk=",
    "ax-tasks wait-for-run VGFza1J1bjoxOkxsbWk= --timeout 300 --poll-interval 10",
)
def wait_for_run(
    ctx: typer.Context,
    run_id: _RunId,
    task: _RunTask = None,
    space: Space = None,
    poll_interval: _PollInterval = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", metavar="SECONDS", help="Maximum seconds to wait before failing."
        ),
    ] = 600,
    cancel_on_interrupt: _CancelOnInterrupt = False,
    output: Output = None,
) -> None:
    """Poll a task run until it is COMPLETED, FAILED or CANCELLED.

    Prints the final run. The exit code tells the outcome: 0 COMPLETED, 5 FAILED, 6 CANCELLED,
    7 when --timeout passes first (the run keeps going), 130 when interrupted.
    """
    with command_session(ctx, output) as session:
        positive_seconds("--timeout", timeout)
        positive_seconds("--poll-interval", poll_interval)
        known = None
        if task is not None:  # the run as read for the check stands for the first poll
            known = session.service().get_run(run_id)
            _check_task(session, known, task, space)
        _wait_and_report(
            session,
            run_id,
            timeout=timeout,
            poll_interval=poll_interval,
            known=known,
            cancel_on_interrupt=cancel_on_interrupt,
        )


COMMANDS = (trigger_run, list_runs, get_run, cancel_run, wait_for_run)


def _in_cli_words(reason: object) -> str | None:
    """A run's failure reason as the API wrote it, its request fields said as flags."""
    if not isinstance(reason, str) or not reason:
        return None
    from ax_tasks_cli.words import CLI_WORDS
    from ax_tasks_mcp import mark_api_fields

    return CLI_WORDS.render(mark_api_fields(reason))


def _wait_options(wait: bool, *, timeout: float | None, poll_interval: float | None) -> None:
    """Check the waiting options before anything is sent; without --wait they are refused
    rather than silently ignored (a script that meant to wait finds out at once)."""
    if not wait:
        given = [
            flag
            for flag, value in (("--timeout", timeout), ("--poll-interval", poll_interval))
            if value is not None
        ]
        if given:
            several = len(given) > 1
            raise UsageProblem(
                f"{' and '.join(given)} {'apply' if several else 'applies'} only while waiting: "
                f"add --wait (-w), or drop {'them' if several else 'it'}."
            )
        return
    positive_seconds("--timeout", timeout)
    positive_seconds("--poll-interval", poll_interval)


def _check_task(session: Session, run: "Resource", task: str | None, space: str | None) -> None:
    """Refuse a run that is not of ``task`` (when one was given)."""
    if task is None:
        return
    owner = session.service().get_task(task, space=session.space(space))
    if run.get("task_id") != owner.get("id"):
        raise UsageProblem(
            f"Run {run.get('id')} belongs to task {run.get('task_id')}, not to "
            f"{label(owner)}: drop --task, or give the run's own task."
        )


def _wait_and_report(
    session: Session,
    run_id: str,
    *,
    timeout: float,
    poll_interval: float | None,
    known: "Resource | None" = None,
    cancel_on_interrupt: bool = False,
) -> None:
    service = session.service()
    progress = session.progress(f"Waiting for run {run_id}")
    try:
        with progress:
            run = service.wait_for_run(
                run_id,
                timeout=timeout,
                poll_interval=poll_interval,
                max_interval=5.0,
                on_progress=WaitLine(progress),
                known=known,
            )
    except KeyboardInterrupt:
        _interrupted(session, run_id, cancel=cancel_on_interrupt)
    session.printer.one(run, "run")
    status = str(run.get("status", "")).upper()
    reason = _in_cli_words(run.get("failure_reason"))
    if status == "FAILED":
        session.warn(f"Run {run_id} FAILED" + (f": {reason}" if reason else "."))
        raise typer.Exit(exitcodes.RUN_FAILED)
    if status == "CANCELLED":
        session.warn(f"Run {run_id} was CANCELLED" + (f": {reason}" if reason else "."))
        raise typer.Exit(exitcodes.RUN_CANCELLED)
    counts = counts_text(
        int(run.get("num_successes") or 0),
        int(run.get("num_errors") or 0),
        int(run.get("num_skipped") or 0),
    )
    session.say(f"Run {run_id} {status}: {counts}.")


def _interrupted(session: Session, run_id: str, *, cancel: bool) -> NoReturn:
    """Ctrl-C while waiting: exit 130 at once.  The run keeps going on the server unless
    --cancel-on-interrupt asked to cancel it; either way the message says what to do."""
    if cancel:
        try:
            session.service().cancel_run(run_id)
        except KeyboardInterrupt:
            session.warn(f"{PROG}: interrupted again; run {run_id} may still be going.")
        except Exception as exc:
            session.warn(f"{PROG}: interrupted; could not cancel run {run_id}: {exc}")
        else:
            session.warn(f"{PROG}: interrupted; cancelled run {run_id}.")
        raise typer.Exit(exitcodes.INTERRUPTED)
    hint = f"{session.runtime.command_prefix()} cancel-run {run_id} --force"
    session.warn(f"{PROG}: interrupted; run {run_id} keeps going on the server. To stop it: {hint}")
    raise typer.Exit(exitcodes.INTERRUPTED)

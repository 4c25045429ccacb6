"""Task commands: list, get, update and delete (the three creates are in create_commands)."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ax_tasks_cli.asking import confirm_or_refuse
from ax_tasks_cli.options import (
    JSON_SOURCES,
    QUERY_FILTERS_EXAMPLE,
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
    label,
    parse_evaluators,
    parse_query_filters,
    parse_run_configuration,
    show_result,
    warn_newer_value,
)
from ax_tasks_cli.runtime import Session, command_session

if TYPE_CHECKING:
    from ax_tasks_mcp import Resource

_ResolvingSpace = Annotated[
    str | None,
    typer.Option(
        "--space",
        "-s",
        metavar="SPACE",
        help="Space name or ID (needed when resolving the task by name).",
    ),
]


def show_task(session: Session, task: "Resource", done: str) -> None:
    """The task a create or update returned, then "<done> task 'name' (id)."."""
    show_result(session, task, "task", lambda found: f"{done} task {label(found)}.")


@command(
    "list",
    "ax-tasks list --space demo",
    "ax-tasks list --space demo --task-type template_evaluation",
    "ax-tasks list --space demo --project chatbot --output tasks.json",
    "ax-tasks list --all --output ndjson",
)
def list_tasks(
    ctx: typer.Context,
    space: Annotated[
        str | None,
        typer.Option(
            "--space",
            "-s",
            metavar="SPACE",
            help=(
                "Filter tasks by space name or ID (default: the profile's space or ARIZE_SPACE)."
            ),
        ),
    ] = None,
    project: Annotated[
        str | None,
        typer.Option("--project", metavar="PROJECT", help="Filter tasks by project name or ID."),
    ] = None,
    dataset: Annotated[
        str | None,
        typer.Option("--dataset", metavar="DATASET", help="Filter tasks by dataset name or ID."),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name", "-n", metavar="NAME", help="Case-insensitive substring filter on task name."
        ),
    ] = None,
    task_type: Annotated[
        str | None,
        typer.Option(
            "--task-type",
            metavar="TYPE",
            help="Filter by type: template_evaluation, code_evaluation or run_experiment (any "
            "case); a type this version does not know yet is sent as given, with a warning.",
        ),
    ] = None,
    limit: Limit = 15,
    cursor: Cursor = None,
    all_pages: AllPages = False,
    output: Output = None,
) -> None:
    """List evaluation tasks, optionally filtered by space, project, dataset, name or type."""
    with command_session(ctx, output) as session:
        check_paging(cursor, all_pages)
        from ax_tasks_mcp import TASK_TYPES

        warn_newer_value(session, task_type, TASK_TYPES, "task type")
        service = session.service()
        filters: dict[str, Any] = {
            "space": session.space(space),
            "project": project,
            "dataset": dataset,
            "name": name,
            "task_type": task_type,
        }
        if all_pages:
            session.print_all(service.iter_tasks(**filters), "task")
        else:
            session.print_page(service.list_tasks(**filters, limit=limit, cursor=cursor), "task")


@command(
    "get",
    "ax-tasks get T25saW5lVGFzazoxOm9zemE=",
    "ax-tasks get chatbot-hallucination --space demo",
)
def get_task(
    ctx: typer.Context,
    task: TaskRef,
    space: Space = None,
    output: Output = None,
) -> None:
    """Get a task by name or ID."""
    with command_session(ctx, output) as session:
        result = session.service().get_task(task, space=session.space(space))
        session.printer.one(result, "task")


@command(
    "update",
    ('ax-tasks update T25saW5lVGFzazoxOm9zemE= --name "Relevance Monitor v2" --sampling-rate 0.25'),
    'ax-tasks update chatbot-hallucination --space demo --query-filter ""',
)
def update(
    ctx: typer.Context,
    task: TaskRef,
    space: _ResolvingSpace = None,
    name: Annotated[
        str | None, typer.Option("--name", "-n", metavar="NAME", help="New task display name.")
    ] = None,
    sampling_rate: Annotated[
        float | None,
        typer.Option(
            "--sampling-rate",
            metavar="RATE",
            min=0.0,
            max=1.0,
            help="Sampling rate between 0 and 1 (evaluation tasks only).",
        ),
    ] = None,
    is_continuous: Annotated[
        bool | None,
        typer.Option(
            "--is-continuous/--no-continuous",
            help="Whether the task runs continuously (evaluation tasks only).",
            show_default=False,
        ),
    ] = None,
    query_filter: Annotated[
        str | None,
        typer.Option(
            "--query-filter",
            metavar="EXPR",
            help=(
                'Task-level query filter (evaluation tasks only). An empty value ("") '
                "clears the existing filter."
            ),
        ),
    ] = None,
    query_filters: Annotated[
        str | None,
        typer.Option(
            "--query-filters",
            help=(
                "Trace/session filters as a JSON object (null clears them), e.g. "
                f"{QUERY_FILTERS_EXAMPLE}. {JSON_SOURCES}"
            ),
            metavar="JSON",
        ),
    ] = None,
    evaluators: Annotated[
        str | None,
        typer.Option(
            "--evaluators",
            help=(
                "JSON array replacing the full evaluator list (evaluation tasks only; same "
                f"shape as create --evaluators). {JSON_SOURCES}"
            ),
            metavar="JSON",
        ),
    ] = None,
    run_configuration: Annotated[
        str | None,
        typer.Option(
            "--run-configuration",
            help=(
                "JSON object replacing the run configuration (run_experiment tasks only); the "
                f"stored config is replaced atomically. {JSON_SOURCES}"
            ),
            metavar="JSON",
        ),
    ] = None,
    dry_run: DryRun = False,
    output: Output = None,
) -> None:
    """Update mutable fields of a task; at least one field must be given.

    Fields that do not fit the task's type are refused with the list of those that do.
    """
    with command_session(ctx, output) as session:
        from ax_tasks_mcp import TaskChanges

        changes: dict[str, Any] = {
            "name": name,
            "sampling_rate": sampling_rate,
            "is_continuous": is_continuous,
            "evaluators": parse_evaluators(evaluators),
            "run_configuration": parse_run_configuration(run_configuration),
        }
        changes = {key: value for key, value in changes.items() if value is not None}
        if query_filter is not None:  # "" clears the filter
            changes["query_filter"] = query_filter if query_filter.strip() else None
        given, parsed_filters = parse_query_filters(query_filters)
        if given:  # JSON null clears the filters
            changes["query_filters"] = parsed_filters
        request = TaskChanges(**changes)
        service, where = session.service(), session.space(space)
        if dry_run:
            session.print_planned(service.plan_update(task, request, space=where))
            return
        show_task(session, service.update_task(task, request, space=where), "Updated")


@command(
    "delete",
    "ax-tasks delete T25saW5lVGFzazoxOm9zemE= --force",
    "ax-tasks delete chatbot-hallucination --space demo",
)
def delete(
    ctx: typer.Context,
    task: TaskRef,
    space: _ResolvingSpace = None,
    force: Force = False,
    dry_run: DryRun = False,
    output: Output = None,
) -> None:
    """Delete a task with its evaluator configuration and runs. This cannot be undone.

    On a terminal it asks first; elsewhere it refuses unless --force is given.
    """
    with command_session(ctx, output) as session:
        service = session.service()
        space_value = session.space(space)
        if dry_run:
            session.print_planned(service.plan_delete(task, space=space_value))
            return
        target = task
        if not force:
            from ax_tasks_mcp import quoted

            current = confirm_or_refuse(
                session,
                action="delete",
                target=f"task {quoted(task)}",
                read=lambda: service.get_task(task, space=space_value),
                question=lambda t: f"Delete task {label(t)}? This cannot be undone.",
                unchanged=lambda t: f"Nothing was deleted: task {label(t)} is unchanged.",
            )
            target = str(current.get("id") or task)
        deleted = service.delete_task(target, space=space_value)
        from ax_tasks_cli.landed import after_write

        with after_write(session, f"Deleted task {label(deleted)}", deleted):
            if session.choice.format != "table" or session.choice.path is not None:
                session.printer.one(deleted, "task")
        session.warn(f"Deleted task {label(deleted)}.")

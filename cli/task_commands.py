"""Task commands: list, get, create, create-evaluation, create-run-experiment, update, delete."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.errors import Declined, UsageProblem
from cli.inputs import parse_id_list
from cli.options import (
    EVALUATORS_EXAMPLE,
    JSON_SOURCES,
    QUERY_FILTERS_EXAMPLE,
    RUN_CONFIG_EXAMPLE,
    AllPages,
    Cursor,
    DryRun,
    Force,
    Limit,
    Output,
    Space,
    TaskRef,
    command,
    label,
    no_cursor_with_all,
    parse_evaluators,
    parse_query_filters,
    parse_run_configuration,
    show_result,
)
from cli.runtime import Session, command_session

if TYPE_CHECKING:
    from ax_tasks_mcp.service.models import PlannedRequest, Resource

_TaskName = Annotated[
    str,
    typer.Option(
        "--name", "-n", metavar="NAME", help="Task name (must be unique within the space)."
    ),
]
_Project = Annotated[
    str | None,
    typer.Option(
        "--project",
        metavar="PROJECT",
        help="Target project name or ID; mutually exclusive with --dataset.",
    ),
]
_ExperimentIds = Annotated[
    str | None,
    typer.Option(
        "--experiment-ids",
        metavar="IDS",
        help="Comma-separated experiment IDs (or names in the dataset); dataset tasks only.",
    ),
]
_SamplingRate = Annotated[
    float | None,
    typer.Option(
        "--sampling-rate",
        metavar="RATE",
        min=0.0,
        max=1.0,
        help="Fraction of spans to evaluate, 0-1 (project evaluation tasks only).",
    ),
]
_Continuous = Annotated[
    bool | None,
    typer.Option(
        "--is-continuous/--no-continuous",
        help="Run the task continuously on incoming data (evaluation tasks only).",
        show_default=False,
    ),
]
_QueryFilter = Annotated[
    str | None,
    typer.Option(
        "--query-filter",
        metavar="EXPR",
        help="Task-level SQL-style filter applied to all evaluators (evaluation tasks only).",
    ),
]
_ResolvingSpace = Annotated[
    str | None,
    typer.Option(
        "--space",
        "-s",
        metavar="SPACE",
        help="Space name or ID (needed when resolving the task by name).",
    ),
]
_QueryFilters = Annotated[
    str | None,
    typer.Option(
        "--query-filters",
        help=(
            f"Trace/session filters as a JSON object, e.g. {QUERY_FILTERS_EXAMPLE}. {JSON_SOURCES}"
        ),
        metavar="JSON",
    ),
]


def _show_task(session: Session, result: "Resource | PlannedRequest", done: str) -> None:
    """The task a create or update returned, then "<done> task 'name' (id)."."""
    show_result(session, result, "task", lambda task: f"{done} task {label(task)}.")


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
            help="Filter by type: template_evaluation, code_evaluation or run_experiment.",
        ),
    ] = None,
    limit: Limit = 15,
    cursor: Cursor = None,
    all_pages: AllPages = False,
    output: Output = None,
) -> None:
    """List evaluation tasks, optionally filtered by space, project, dataset, name or type."""
    with command_session(ctx, output) as session:
        no_cursor_with_all(cursor, all_pages)
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
    "create",
    (
        'ax-tasks create --name "Relevance Monitor" --task-type template_evaluation '
        '--space demo --project chatbot --evaluators \'[{"evaluator": "relevance"}]\' '
        "--is-continuous --sampling-rate 0.1"
    ),
    (
        'ax-tasks create --name "Experiment Evaluation" --task-type template_evaluation '
        '--space demo --dataset qa-golden --experiment-ids "baseline-gpt-4o,prompt-v2" '
        '--evaluators \'[{"evaluator": "hallucination"}]\' --no-continuous'
    ),
    (
        'ax-tasks create --name "GPT-4o Summarization" --task-type run_experiment '
        "--space demo --dataset qa-golden --run-configuration @run_config.json"
    ),
)
def create(
    ctx: typer.Context,
    name: _TaskName,
    task_type: Annotated[
        str,
        typer.Option(
            "--task-type",
            metavar="TYPE",
            help="template_evaluation, code_evaluation or run_experiment.",
        ),
    ],
    evaluators: Annotated[
        str | None,
        typer.Option(
            "--evaluators",
            help=(
                "JSON array of evaluator objects (required for evaluation tasks), e.g. "
                f"{EVALUATORS_EXAMPLE}. {JSON_SOURCES}"
            ),
            metavar="JSON",
        ),
    ] = None,
    run_configuration: Annotated[
        str | None,
        typer.Option(
            "--run-configuration",
            help=(
                "JSON object with the run configuration (required for run_experiment tasks), "
                f"e.g. {RUN_CONFIG_EXAMPLE}. {JSON_SOURCES}"
            ),
            metavar="JSON",
        ),
    ] = None,
    project: _Project = None,
    space: Annotated[
        str | None,
        typer.Option(
            "--space",
            "-s",
            metavar="SPACE",
            help="Space name or ID (needed to resolve --project or --dataset by name).",
        ),
    ] = None,
    dataset: Annotated[
        str | None,
        typer.Option(
            "--dataset",
            metavar="DATASET",
            help=(
                "Target dataset name or ID; mutually exclusive with --project for evaluation "
                "tasks; required for run_experiment tasks."
            ),
        ),
    ] = None,
    experiment_ids: _ExperimentIds = None,
    sampling_rate: _SamplingRate = None,
    is_continuous: _Continuous = None,
    query_filter: _QueryFilter = None,
    query_filters: _QueryFilters = None,
    dry_run: DryRun = False,
    output: Output = None,
) -> None:
    """Create a task; dispatches on --task-type.

    Evaluation tasks (template_evaluation, code_evaluation) need --evaluators and either
    --project or --dataset, not both. Run-experiment tasks (run_experiment) need --dataset and
    --run-configuration.
    """
    with command_session(ctx, output) as session:
        parsed_evaluators = parse_evaluators(evaluators)
        parsed_config = parse_run_configuration(run_configuration)
        _, parsed_filters = parse_query_filters(query_filters)
        result = session.service().create_task(
            name=name,
            task_type=task_type,
            space=session.space(space),
            project=project,
            dataset=dataset,
            evaluators=parsed_evaluators,
            run_configuration=parsed_config,
            experiment_ids=parse_id_list(experiment_ids),
            sampling_rate=sampling_rate,
            is_continuous=is_continuous,
            query_filter=query_filter,
            query_filters=parsed_filters,
            dry_run=dry_run,
        )
        _show_task(session, result, "Created")


@command(
    "create-evaluation",
    (
        'ax-tasks create-evaluation --name "Relevance Monitor" --task-type template_evaluation '
        '--space demo --project chatbot --evaluators \'[{"evaluator": "relevance"}]\' '
        "--sampling-rate 0.1 --is-continuous"
    ),
)
def create_evaluation(
    ctx: typer.Context,
    name: _TaskName,
    task_type: Annotated[
        str,
        typer.Option("--task-type", metavar="TYPE", help="template_evaluation or code_evaluation."),
    ],
    evaluators: Annotated[
        str,
        typer.Option(
            "--evaluators",
            help=(
                "JSON array of evaluator objects, e.g. "
                f'{EVALUATORS_EXAMPLE}; an entry may name its evaluator with "evaluator" '
                f'instead of "evaluator_id". {JSON_SOURCES}'
            ),
            metavar="JSON",
        ),
    ],
    project: _Project = None,
    space: Annotated[
        str | None,
        typer.Option(
            "--space",
            "-s",
            metavar="SPACE",
            help="Space name or ID (needed when using a project name).",
        ),
    ] = None,
    dataset: Annotated[
        str | None,
        typer.Option(
            "--dataset",
            metavar="DATASET",
            help="Target dataset name or ID; mutually exclusive with --project.",
        ),
    ] = None,
    experiment_ids: Annotated[
        str | None,
        typer.Option(
            "--experiment-ids",
            metavar="IDS",
            help="Comma-separated experiment IDs or names (required for dataset-based tasks).",
        ),
    ] = None,
    sampling_rate: _SamplingRate = None,
    is_continuous: _Continuous = None,
    query_filter: _QueryFilter = None,
    query_filters: _QueryFilters = None,
    dry_run: DryRun = False,
    output: Output = None,
) -> None:
    """Create an evaluation task (template_evaluation or code_evaluation).

    Requires --name, --task-type, --evaluators, and one of --project / --dataset.
    """
    with command_session(ctx, output) as session:
        parsed = parse_evaluators(evaluators) or []
        _, parsed_filters = parse_query_filters(query_filters)
        result = session.service().create_evaluation_task(
            name=name,
            task_type=task_type,
            evaluators=parsed,
            space=session.space(space),
            project=project,
            dataset=dataset,
            experiment_ids=parse_id_list(experiment_ids),
            sampling_rate=sampling_rate,
            is_continuous=is_continuous,
            query_filter=query_filter,
            query_filters=parsed_filters,
            dry_run=dry_run,
        )
        _show_task(session, result, "Created")


@command(
    "create-run-experiment",
    (
        'ax-tasks create-run-experiment --name "GPT-4o Summarization" --space demo '
        "--dataset qa-golden --run-configuration @./run_config.json"
    ),
)
def create_run_experiment(
    ctx: typer.Context,
    name: _TaskName,
    dataset: Annotated[
        str,
        typer.Option(
            "--dataset", metavar="DATASET", help="Dataset name or ID to run experiments against."
        ),
    ],
    run_configuration: Annotated[
        str,
        typer.Option(
            "--run-configuration",
            help=(
                f"JSON object with the run configuration, e.g. {RUN_CONFIG_EXAMPLE}. "
                "Enums in any case; input_variable_format is inferred when missing. "
                f"{JSON_SOURCES}"
            ),
            metavar="JSON",
        ),
    ],
    space: Space = None,
    dry_run: DryRun = False,
    output: Output = None,
) -> None:
    """Create a run_experiment task. Requires --name, --dataset and --run-configuration."""
    with command_session(ctx, output) as session:
        config = parse_run_configuration(run_configuration) or {}
        result = session.service().create_run_experiment_task(
            name=name,
            dataset=dataset,
            run_configuration=config,
            space=session.space(space),
            dry_run=dry_run,
        )
        _show_task(session, result, "Created")


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
    from ax_tasks_mcp.service.models import UNCHANGED

    with command_session(ctx, output) as session:
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = name
        if sampling_rate is not None:
            changes["sampling_rate"] = sampling_rate
        if is_continuous is not None:
            changes["is_continuous"] = is_continuous
        if query_filter is not None:
            changes["query_filter"] = query_filter if query_filter.strip() else None
        given, parsed_filters = parse_query_filters(query_filters)
        if given:
            changes["query_filters"] = parsed_filters
        parsed_evaluators = parse_evaluators(evaluators)
        if parsed_evaluators is not None:
            changes["evaluators"] = parsed_evaluators
        parsed_config = parse_run_configuration(run_configuration)
        if parsed_config is not None:
            changes["run_configuration"] = parsed_config
        result = session.service().update_task(
            task,
            space=session.space(space),
            name=changes.get("name", UNCHANGED),
            sampling_rate=changes.get("sampling_rate", UNCHANGED),
            is_continuous=changes.get("is_continuous", UNCHANGED),
            query_filter=changes.get("query_filter", UNCHANGED),
            query_filters=changes.get("query_filters", UNCHANGED),
            evaluators=changes.get("evaluators", UNCHANGED),
            run_configuration=changes.get("run_configuration", UNCHANGED),
            dry_run=dry_run,
        )
        _show_task(session, result, "Updated")


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
            show_result(
                session, service.delete_task(task, space=space_value, dry_run=True), "task", label
            )
            return
        target = task
        if not force:
            if not session.can_prompt:
                raise UsageProblem(
                    f"Refusing to delete task {task!r} without confirmation: there is no "
                    "terminal to ask on. Pass --force (-f) to delete it, or --dry-run to see "
                    "the request."
                )
            current = service.get_task(task, space=space_value)
            if not session.confirm(f"Delete task {label(current)}? This cannot be undone."):
                raise Declined(f"Nothing was deleted: task {label(current)} is unchanged.")
            target = str(current.get("id") or task)
        deleted = service.delete_task(target, space=space_value)
        from ax_tasks_mcp.service.models import PlannedRequest

        if isinstance(deleted, PlannedRequest):  # pragma: no cover - dry_run is False here
            session.print_planned(deleted)
            return
        if session.choice.format != "table" or session.choice.path is not None:
            session.printer.one(deleted, "task")
        session.warn(f"Deleted task {label(deleted)}.")

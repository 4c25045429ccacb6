"""Creating tasks: create (any type, by --task-type), create-evaluation, create-run-experiment.

Each builds the service's typed spec from its options; --dry-run shows the request instead.
"""

from typing import TYPE_CHECKING, Annotated

import typer

from ax_tasks_cli.inputs import parse_id_list
from ax_tasks_cli.options import (
    EVALUATORS_EXAMPLE,
    JSON_SOURCES,
    QUERY_FILTERS_EXAMPLE,
    RUN_CONFIG_EXAMPLE,
    DryRun,
    Output,
    Space,
    command,
    parse_evaluators,
    parse_query_filters,
    parse_run_configuration,
)
from ax_tasks_cli.runtime import Session, command_session
from ax_tasks_cli.task_commands import show_task

if TYPE_CHECKING:
    from ax_tasks_mcp import TaskSpec

__all__ = ["COMMANDS"]

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
        from ax_tasks_mcp import task_spec

        _, parsed_filters = parse_query_filters(query_filters)
        spec = task_spec(
            task_type,
            name=name,
            space=session.space(space),
            project=project,
            dataset=dataset,
            evaluators=parse_evaluators(evaluators),
            run_configuration=parse_run_configuration(run_configuration),
            experiment_ids=parse_id_list(experiment_ids),
            sampling_rate=sampling_rate,
            is_continuous=is_continuous,
            query_filter=query_filter,
            query_filters=parsed_filters,
        )
        _create(session, spec, dry_run=dry_run)


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
        from ax_tasks_mcp import EvaluationTaskSpec

        _, parsed_filters = parse_query_filters(query_filters)
        spec = EvaluationTaskSpec(
            name=name,
            task_type=task_type,
            evaluators=parse_evaluators(evaluators) or [],
            space=session.space(space),
            project=project,
            dataset=dataset,
            experiment_ids=parse_id_list(experiment_ids),
            sampling_rate=sampling_rate,
            is_continuous=is_continuous,
            query_filter=query_filter,
            query_filters=parsed_filters,
        )
        _create(session, spec, dry_run=dry_run)


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
        from ax_tasks_mcp import RunExperimentTaskSpec

        spec = RunExperimentTaskSpec(
            name=name,
            dataset=dataset,
            run_configuration=parse_run_configuration(run_configuration) or {},
            space=session.space(space),
        )
        _create(session, spec, dry_run=dry_run)


def _create(session: Session, spec: "TaskSpec", *, dry_run: bool) -> None:
    service = session.service()
    if dry_run:
        session.print_planned(service.plan_create(spec))
        return
    show_task(session, service.create_task(spec), "Created")


COMMANDS = (create, create_evaluation, create_run_experiment)

"""``ax-tasks``: manage Arize AX evaluation tasks and their runs from a terminal.

A drop-in for the official ``ax tasks`` commands (list, create, create-evaluation,
create-run-experiment, get, update, delete, trigger-run, list-runs, get-run, cancel-run,
wait-for-run), plus lookups (spaces, projects, datasets, evaluators, ai-integrations,
experiments), the local sandbox and the MCP server.

Every command talks to the API through ``TasksService`` only; it is imported inside the
commands, so ``ax-tasks --help`` starts without loading the HTTP stack.
"""

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from cli import exitcodes
from cli.errors import PROG, Declined, UsageProblem
from cli.inputs import (
    parse_datetime,
    parse_id_list,
    read_json_argument,
    require_array_of_objects,
    require_object,
    require_string_map,
)
from cli.output import FORMATS
from cli.runtime import Session, command_session, enable_verbose, get_runtime
from cli.waiting import ProgressLine, counts_text

if TYPE_CHECKING:
    from ax_tasks_mcp.models import PlannedRequest, Resource

__all__ = ["app", "run"]

_CLICK_EXCEPTION = "ClickException"


def _is_click_exception(exc: BaseException) -> bool:
    return any(cls.__name__ == _CLICK_EXCEPTION for cls in type(exc).__mro__)


def _output_in(args: Sequence[str]) -> str | None:
    """The -o/--output value in raw arguments, for errors raised before parsing finished."""
    for index, arg in enumerate(args):
        if arg in ("-o", "--output") and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--output="):
            return arg.split("=", 1)[1]
    return None


class _AxTasksGroup(TyperGroup):
    """The root command: usage errors become one line and exit 2, never a traceback."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        arglist = list(sys.argv[1:] if args is None else args)
        try:
            result = super().main(
                args=arglist,
                prog_name=prog_name or PROG,
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
            code = result if isinstance(result, int) and not isinstance(result, bool) else 0
        except typer.Abort:
            sys.stderr.write(f"{PROG}: aborted.\n")
            code = exitcodes.API_ERROR
        except Exception as exc:
            if not _is_click_exception(exc):
                raise
            code = _show_usage_error(exc, arglist)
        if standalone_mode:
            sys.exit(code)
        return code


def _show_usage_error(exc: Exception, args: Sequence[str]) -> int:
    import json

    code = getattr(exc, "exit_code", exitcodes.USAGE)
    code = code if isinstance(code, int) else exitcodes.USAGE
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
        sys.stderr.write(ctx.get_help() + "\n")
        return code
    message = str(getattr(exc, "format_message", lambda: str(exc))())
    message = " ".join(message.split())
    path = getattr(ctx, "command_path", PROG) if ctx is not None else PROG
    output = _output_in(args)
    if output is not None and output.strip().lower() in FORMATS[1:]:
        data = {"kind": "usage_error", "message": message, "exit_code": code}
        sys.stderr.write(json.dumps({"error": data}) + "\n")
    else:
        sys.stderr.write(f"{path}: error: {message} (see '{path} --help')\n")
    return code


# --------------------------------------------------------------------------------------------
# The application and its global options
# --------------------------------------------------------------------------------------------

_CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

app = typer.Typer(
    name=PROG,
    cls=_AxTasksGroup,
    help=(
        "Manage Arize AX evaluation tasks and their runs (ALPHA: the tasks API may change "
        "without notice).\n\n"
        "Tasks score spans in a project or evaluate experiment results with LLM-as-judge or "
        "code evaluators; run-experiment tasks run a dataset through a model. Names or IDs are "
        "accepted wherever a task, project, dataset or space is expected."
    ),
    epilog=exitcodes.help_epilog(),
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=False,
    context_settings=_CONTEXT,
)

sandbox_app = typer.Typer(
    name="sandbox",
    help="Run or inspect the local sandbox: an Arize-compatible tasks API on SQLite.",
    rich_markup_mode=None,
    no_args_is_help=True,
    context_settings=_CONTEXT,
)
app.add_typer(sandbox_app)


def _version(value: bool) -> None:
    if value:
        from ax_tasks_mcp.version import __version__

        sys.stdout.write(f"{PROG} {__version__}\n")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            metavar="NAME",
            help="Settings profile to use (ax-tasks profiles.toml, or an ax CLI profile).",
            envvar="ARIZE_PROFILE",
            show_envvar=False,
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="API base URL, e.g. https://api.eu-west-1a.arize.com or http://127.0.0.1:8000.",
        ),
    ] = None,
    sandbox: Annotated[
        bool,
        typer.Option(
            "--sandbox",
            help=(
                "Use the embedded local sandbox instead of Arize (no key needed; state in "
                "AX_TASKS_SANDBOX_DB). Also enabled by AX_TASKS_SANDBOX=1."
            ),
            envvar="AX_TASKS_SANDBOX",
            show_envvar=False,
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Diagnostics on stderr (the API key is never shown)."),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Show the version and exit.",
            callback=_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    runtime = get_runtime(ctx)
    runtime.profile = profile
    runtime.base_url = base_url
    runtime.sandbox = sandbox
    runtime.verbose = verbose
    if verbose:
        ctx.call_on_close(enable_verbose(runtime))


# --------------------------------------------------------------------------------------------
# Shared options
# --------------------------------------------------------------------------------------------

_OUTPUT_HELP = (
    "Output format: table, json, yaml, ndjson or csv; or a file path whose extension picks "
    "the format (.json, .yaml, .ndjson, .csv, .txt). Default: table on a terminal, json "
    "otherwise."
)
_JSON_SOURCES = "Inline JSON, @file.json, a file path, or - for stdin."
_EVALUATORS_EXAMPLE = '[{"evaluator_id": "RXZhbHVhdG9yOjI6b2FhTQ=="}]'
_RUN_CONFIG_EXAMPLE = (
    '{"experiment_type": "llm_generation", "ai_integration_id": "openai-prod", '
    '"model_name": "gpt-4o", "messages": [{"role": "user", "content": "{{input}}"}]}'
)
_QUERY_FILTERS_EXAMPLE = (
    '{"filters": [{"id": "A", "filter": "attributes.llm.model_name = \'gpt-4o\'"}]}'
)
_TRACING_EXAMPLE = '{"team": "search", "ticket": "AX-42"}'

Output = Annotated[
    str | None, typer.Option("--output", "-o", help=_OUTPUT_HELP, metavar="FORMAT|FILE")
]
Space = Annotated[
    str | None,
    typer.Option(
        "--space",
        "-s",
        metavar="SPACE",
        help="Space name or ID (default: the profile's space or ARIZE_SPACE).",
    ),
]
Limit = Annotated[
    int,
    typer.Option(
        "--limit", "-l", metavar="N", min=1, max=100, help="Maximum number of results to return."
    ),
]
Cursor = Annotated[
    str | None,
    typer.Option("--cursor", "-c", metavar="CURSOR", help="Pagination cursor for the next page."),
]
AllPages = Annotated[
    bool,
    typer.Option(
        "--all",
        help="Follow every cursor and return all results (ignores --limit; streams with ndjson).",
    ),
]
DryRun = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Print the request that would be sent (method, URL, JSON body); send nothing.",
    ),
]
Force = Annotated[bool, typer.Option("--force", "-f", help="Skip the confirmation prompt.")]
PollInterval = Annotated[
    float | None,
    typer.Option(
        "--poll-interval",
        metavar="SECONDS",
        help=(
            "Seconds between polls (default: 5). Without it polling adapts: quick at first, "
            "then every 5 seconds at most."
        ),
    ),
]
Timeout = Annotated[
    float, typer.Option("--timeout", metavar="SECONDS", help="Maximum seconds to wait.")
]


def _examples(*lines: str) -> str:
    return "\n".join(["\b", "Examples:", *(f"  {line}" for line in lines)])


def _command(name: str, *examples: str, **kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
    epilog = _examples(*examples) if examples else None
    return app.command(name, epilog=epilog, context_settings=_CONTEXT, **kwargs)


def _show_result(
    session: Session,
    result: "Resource | PlannedRequest",
    kind: str,
    done: Callable[["Resource"], str],
) -> None:
    from ax_tasks_mcp.models import PlannedRequest

    if isinstance(result, PlannedRequest):
        session.print_planned(result)
        return
    session.printer.one(result, kind)
    session.say(done(result))


def _label(resource: "Resource") -> str:
    name = resource.get("name")
    ident = resource.get("id", "?")
    return f"{name!r} ({ident})" if name else str(ident)


def _json_arg(option: str, value: str | None) -> Any:
    return None if value is None else read_json_argument(option, value)


def _evaluators(value: str | None) -> list[dict[str, Any]] | None:
    data = _json_arg("--evaluators", value)
    if data is None:
        return None
    return require_array_of_objects("--evaluators", data, _EVALUATORS_EXAMPLE)


def _run_configuration(value: str | None) -> dict[str, Any] | None:
    data = _json_arg("--run-configuration", value)
    if data is None:
        return None
    return require_object("--run-configuration", data, '{"experiment_type": "llm_generation", ...}')


def _query_filters(value: str | None) -> tuple[bool, dict[str, Any] | None]:
    """(given, value): JSON null clears the filters on update."""
    if value is None:
        return False, None
    data = read_json_argument("--query-filters", value)
    if data is None:
        return True, None
    return True, require_object("--query-filters", data, _QUERY_FILTERS_EXAMPLE)


# --------------------------------------------------------------------------------------------
# Tasks
# --------------------------------------------------------------------------------------------


@_command(
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
        _no_cursor_with_all(cursor, all_pages)
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


def _no_cursor_with_all(cursor: str | None, all_pages: bool) -> None:
    if all_pages and cursor:
        raise UsageProblem("--all and --cursor do not go together: --all starts at the first page.")


@_command(
    "get",
    "ax-tasks get T25saW5lVGFzazoxOm9zemE=",
    "ax-tasks get chatbot-hallucination --space demo",
)
def get_task(
    ctx: typer.Context,
    task: Annotated[str, typer.Argument(help="Task name or ID.", metavar="NAME_OR_ID")],
    space: Space = None,
    output: Output = None,
) -> None:
    """Get a task by name or ID."""
    with command_session(ctx, output) as session:
        result = session.service().get_task(task, space=session.space(space))
        session.printer.one(result, "task")


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
            "Trace/session filters as a JSON object, e.g. "
            f"{_QUERY_FILTERS_EXAMPLE}. {_JSON_SOURCES}"
        ),
        metavar="JSON",
    ),
]


@_command(
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
                f"{_EVALUATORS_EXAMPLE}. {_JSON_SOURCES}"
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
                f"e.g. {_RUN_CONFIG_EXAMPLE}. {_JSON_SOURCES}"
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
        parsed_evaluators = _evaluators(evaluators)
        parsed_config = _run_configuration(run_configuration)
        _, parsed_filters = _query_filters(query_filters)
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
        _show_result(session, result, "task", lambda r: f"Created task {_label(r)}.")


@_command(
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
                f'{_EVALUATORS_EXAMPLE}; an entry may name its evaluator with "evaluator" '
                f'instead of "evaluator_id". {_JSON_SOURCES}'
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
        parsed = _evaluators(evaluators) or []
        _, parsed_filters = _query_filters(query_filters)
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
        _show_result(session, result, "task", lambda r: f"Created task {_label(r)}.")


@_command(
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
                f"JSON object with the run configuration, e.g. {_RUN_CONFIG_EXAMPLE}. "
                "Enums in any case; input_variable_format is inferred when missing. "
                f"{_JSON_SOURCES}"
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
        config = _run_configuration(run_configuration) or {}
        result = session.service().create_run_experiment_task(
            name=name,
            dataset=dataset,
            run_configuration=config,
            space=session.space(space),
            dry_run=dry_run,
        )
        _show_result(session, result, "task", lambda r: f"Created task {_label(r)}.")


@_command(
    "update",
    ('ax-tasks update T25saW5lVGFzazoxOm9zemE= --name "Relevance Monitor v2" --sampling-rate 0.25'),
    'ax-tasks update chatbot-hallucination --space demo --query-filter ""',
)
def update(
    ctx: typer.Context,
    task: Annotated[str, typer.Argument(help="Task name or ID.", metavar="NAME_OR_ID")],
    space: Annotated[
        str | None,
        typer.Option(
            "--space",
            "-s",
            metavar="SPACE",
            help="Space name or ID (needed when resolving the task by name).",
        ),
    ] = None,
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
                f"{_QUERY_FILTERS_EXAMPLE}. {_JSON_SOURCES}"
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
                f"shape as create --evaluators). {_JSON_SOURCES}"
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
                f"stored config is replaced atomically. {_JSON_SOURCES}"
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
    from ax_tasks_mcp.models import UNCHANGED

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
        given, parsed_filters = _query_filters(query_filters)
        if given:
            changes["query_filters"] = parsed_filters
        parsed_evaluators = _evaluators(evaluators)
        if parsed_evaluators is not None:
            changes["evaluators"] = parsed_evaluators
        parsed_config = _run_configuration(run_configuration)
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
        _show_result(session, result, "task", lambda r: f"Updated task {_label(r)}.")


@_command(
    "delete",
    "ax-tasks delete T25saW5lVGFzazoxOm9zemE= --force",
    "ax-tasks delete chatbot-hallucination --space demo",
)
def delete(
    ctx: typer.Context,
    task: Annotated[str, typer.Argument(help="Task name or ID.", metavar="NAME_OR_ID")],
    space: Annotated[
        str | None,
        typer.Option(
            "--space",
            "-s",
            metavar="SPACE",
            help="Space name or ID (needed when resolving the task by name).",
        ),
    ] = None,
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
            _show_result(
                session, service.delete_task(task, space=space_value, dry_run=True), "task", _label
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
            if not session.confirm(f"Delete task {_label(current)}? This cannot be undone."):
                raise Declined(f"Nothing was deleted: task {_label(current)} is unchanged.")
            target = str(current.get("id") or task)
        deleted = service.delete_task(target, space=space_value)
        from ax_tasks_mcp.models import PlannedRequest

        if isinstance(deleted, PlannedRequest):  # pragma: no cover - dry_run is False here
            session.print_planned(deleted)
            return
        if session.choice.format != "table" or session.choice.path is not None:
            session.printer.one(deleted, "task")
        session.warn(f"Deleted task {_label(deleted)}.")


# --------------------------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------------------------


@_command(
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
    task: Annotated[str, typer.Argument(help="Task name or ID.", metavar="NAME_OR_ID")],
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
            help="Most of spans to process (evaluation tasks only; server default: 10000).",
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
                f"tasks only), e.g. {_TRACING_EXAMPLE}. {_JSON_SOURCES}"
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
    poll_interval: PollInterval = None,
    timeout: Timeout = 600.0,
    dry_run: DryRun = False,
    output: Output = None,
) -> None:
    """Trigger an on-demand run of a task; the run starts PENDING.

    Options that do not fit the task's type are refused before anything is sent. With --wait
    the exit code tells the outcome: 0 COMPLETED, 5 FAILED, 6 CANCELLED, 7 timeout.
    """
    with command_session(ctx, output) as session:
        metadata = _json_arg("--tracing-metadata", tracing_metadata)
        result = session.service().trigger_run(
            task,
            space=session.space(space),
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
                else require_string_map("--tracing-metadata", metadata, _TRACING_EXAMPLE)
            ),
            evaluation_task_ids=parse_id_list(evaluation_task_ids),
            dry_run=dry_run,
        )
        from ax_tasks_mcp.models import PlannedRequest

        if isinstance(result, PlannedRequest):
            session.print_planned(result)
            return
        run_id = str(result["id"])
        if not wait:
            session.printer.one(result, "run")
            session.say(
                f"Triggered run {run_id} ({result.get('status', 'PENDING')}). Wait for it with: "
                f"{session.runtime.command_prefix()} wait-for-run {run_id}"
            )
            return
        session.say(f"Triggered run {run_id}; waiting for it (Ctrl-C to stop waiting).")
        _wait_and_report(session, run_id, timeout=timeout, poll_interval=poll_interval)


@_command(
    "list-runs",
    "ax-tasks list-runs T25saW5lVGFzazoxOm9zemE=",
    "ax-tasks list-runs T25saW5lVGFzazoxOm9zemE= --status completed",
    "ax-tasks list-runs chatbot-hallucination --space demo --status failed --output runs.json",
)
def list_runs(
    ctx: typer.Context,
    task: Annotated[str, typer.Argument(help="Task name or ID.", metavar="NAME_OR_ID")],
    space: Space = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="Filter by run status: pending, running, completed, failed or cancelled.",
        ),
    ] = None,
    limit: Limit = 15,
    cursor: Cursor = None,
    all_pages: AllPages = False,
    output: Output = None,
) -> None:
    """List the runs of a task, optionally filtered by status."""
    with command_session(ctx, output) as session:
        _no_cursor_with_all(cursor, all_pages)
        service = session.service()
        space_value = session.space(space)
        if all_pages:
            session.print_all(service.iter_runs(task, space=space_value, status=status), "run")
        else:
            page = service.list_runs(
                task, space=space_value, status=status, limit=limit, cursor=cursor
            )
            session.print_page(page, "run")


_RunId = Annotated[str, typer.Argument(help="Task run ID.", metavar="RUN_ID")]


@_command("get-run", "ax-tasks get-run VGFza1J1bjoxOkxsbWk=")
def get_run(ctx: typer.Context, run_id: _RunId, output: Output = None) -> None:
    """Get a task run by its ID."""
    with command_session(ctx, output) as session:
        session.printer.one(session.service().get_run(run_id), "run")


@_command(
    "cancel-run",
    "ax-tasks cancel-run VGFza1J1bjoxOkxsbWk=",
    "ax-tasks cancel-run VGFza1J1bjoxOkxsbWk= --force",
)
def cancel_run(
    ctx: typer.Context,
    run_id: _RunId,
    force: Force = False,
    dry_run: DryRun = False,
    output: Output = None,
) -> None:
    """Cancel a task run; only valid while it is pending or running.

    On a terminal it asks first; elsewhere it refuses unless --force is given.
    """
    with command_session(ctx, output) as session:
        service = session.service()
        if dry_run:
            _show_result(session, service.cancel_run(run_id, dry_run=True), "run", _label)
            return
        if not force:
            if not session.can_prompt:
                raise UsageProblem(
                    f"Refusing to cancel run {run_id} without confirmation: there is no "
                    "terminal to ask on. Pass --force (-f) to cancel it."
                )
            current = service.get_run(run_id)
            question = (
                f"Cancel run {current.get('id', run_id)} of task {current.get('task_id', '?')} "
                f"(now {current.get('status', 'unknown')})?"
            )
            if not session.confirm(question):
                raise Declined(f"Nothing was changed: run {run_id} keeps going.")
        result = service.cancel_run(run_id)
        _show_result(session, result, "run", lambda r: f"Cancelled run {r.get('id', run_id)}.")


@_command(
    "wait-for-run",
    "ax-tasks wait-for-run VGFza1J1bjoxOkxsbWk=",
    "ax-tasks wait-for-run VGFza1J1bjoxOkxsbWk= --timeout 300 --poll-interval 10",
)
def wait_for_run(
    ctx: typer.Context,
    run_id: _RunId,
    poll_interval: PollInterval = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", metavar="SECONDS", help="Maximum seconds to wait before failing."
        ),
    ] = 600,
    output: Output = None,
) -> None:
    """Poll a task run until it is COMPLETED, FAILED or CANCELLED.

    Prints the final run. The exit code tells the outcome: 0 COMPLETED, 5 FAILED, 6 CANCELLED,
    7 when --timeout passes first (the run keeps going), 130 when interrupted.
    """
    with command_session(ctx, output) as session:
        _wait_and_report(session, run_id, timeout=timeout, poll_interval=poll_interval)


def _wait_and_report(
    session: Session, run_id: str, *, timeout: float, poll_interval: float | None
) -> None:
    service = session.service()
    line = ProgressLine(
        session.stderr, enabled=session.stderr_tty, color=session.runtime.color("stderr")
    )
    try:
        run = service.wait_for_run(
            run_id,
            timeout=timeout,
            poll_interval=poll_interval,
            max_interval=5.0,
            on_progress=line,
        )
    except KeyboardInterrupt:
        line.finish()
        _interrupted(session, run_id)
    finally:
        line.finish()
    session.printer.one(run, "run")
    status = str(run.get("status", "")).upper()
    reason = run.get("failure_reason")
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


def _interrupted(session: Session, run_id: str) -> NoReturn:
    hint = f"{session.runtime.command_prefix()} cancel-run {run_id}"
    if session.can_prompt:
        try:
            cancel = session.confirm(f"Interrupted. Cancel run {run_id} on the server as well?")
        except KeyboardInterrupt:
            cancel = False
            session.warn("")
        if cancel:
            try:
                session.service().cancel_run(run_id)
            except Exception as exc:
                session.warn(f"{PROG}: error: could not cancel run {run_id}: {exc}")
            else:
                session.warn(f"Cancelled run {run_id}.")
            raise typer.Exit(exitcodes.INTERRUPTED)
        session.warn(f"Run {run_id} keeps going on the server. To stop it: {hint}")
    else:
        session.warn(
            f"{PROG}: interrupted; run {run_id} keeps going on the server. To stop it: {hint}"
        )
    raise typer.Exit(exitcodes.INTERRUPTED)


# --------------------------------------------------------------------------------------------
# Lookups
# --------------------------------------------------------------------------------------------

_LookupName = Annotated[
    str | None,
    typer.Option(
        "--name", "-n", metavar="NAME", help="Case-insensitive substring filter on the name."
    ),
]


def _lookup(
    ctx: typer.Context,
    kind: str,
    plural: str,
    filters: dict[str, Any],
    *,
    limit: int,
    cursor: str | None,
    all_pages: bool,
    output: str | None,
    uses_space: bool = True,
) -> None:
    with command_session(ctx, output) as session:
        _no_cursor_with_all(cursor, all_pages)
        service = session.service()
        if uses_space:
            filters["space"] = session.space(filters.get("space"))
        if all_pages:
            session.print_all(service.iter_lookup(plural, **filters), kind)
            return
        method = getattr(service, f"list_{plural}")
        session.print_page(method(**filters, limit=limit, cursor=cursor), kind)


@_command("spaces", "ax-tasks spaces", "ax-tasks spaces --name prod --output json")
def spaces(
    ctx: typer.Context,
    name: _LookupName = None,
    limit: Limit = 15,
    cursor: Cursor = None,
    all_pages: AllPages = False,
    output: Output = None,
) -> None:
    """List the spaces the API key can see."""
    _lookup(
        ctx,
        "space",
        "spaces",
        {"name": name},
        limit=limit,
        cursor=cursor,
        all_pages=all_pages,
        output=output,
        uses_space=False,
    )


@_command("projects", "ax-tasks projects --space demo")
def projects(
    ctx: typer.Context,
    space: Space = None,
    name: _LookupName = None,
    limit: Limit = 15,
    cursor: Cursor = None,
    all_pages: AllPages = False,
    output: Output = None,
) -> None:
    """List projects (the targets of project-based evaluation tasks)."""
    _lookup(
        ctx,
        "project",
        "projects",
        {"space": space, "name": name},
        limit=limit,
        cursor=cursor,
        all_pages=all_pages,
        output=output,
    )


@_command("datasets", "ax-tasks datasets --space demo")
def datasets(
    ctx: typer.Context,
    space: Space = None,
    name: _LookupName = None,
    limit: Limit = 15,
    cursor: Cursor = None,
    all_pages: AllPages = False,
    output: Output = None,
) -> None:
    """List datasets (the targets of dataset tasks and run-experiment tasks)."""
    _lookup(
        ctx,
        "dataset",
        "datasets",
        {"space": space, "name": name},
        limit=limit,
        cursor=cursor,
        all_pages=all_pages,
        output=output,
    )


@_command("evaluators", "ax-tasks evaluators --space demo")
def evaluators(
    ctx: typer.Context,
    space: Space = None,
    name: _LookupName = None,
    limit: Limit = 15,
    cursor: Cursor = None,
    all_pages: AllPages = False,
    output: Output = None,
) -> None:
    """List evaluators (what an evaluation task's --evaluators refer to)."""
    _lookup(
        ctx,
        "evaluator",
        "evaluators",
        {"space": space, "name": name},
        limit=limit,
        cursor=cursor,
        all_pages=all_pages,
        output=output,
    )


@_command("ai-integrations", "ax-tasks ai-integrations --space demo")
def ai_integrations(
    ctx: typer.Context,
    space: Space = None,
    name: _LookupName = None,
    limit: Limit = 15,
    cursor: Cursor = None,
    all_pages: AllPages = False,
    output: Output = None,
) -> None:
    """List AI integrations (the ai_integration_id of a run configuration)."""
    _lookup(
        ctx,
        "ai_integration",
        "ai_integrations",
        {"space": space, "name": name},
        limit=limit,
        cursor=cursor,
        all_pages=all_pages,
        output=output,
    )


@_command(
    "experiments",
    "ax-tasks experiments --space demo --dataset qa-golden",
)
def experiments(
    ctx: typer.Context,
    space: Space = None,
    dataset: Annotated[
        str | None,
        typer.Option("--dataset", metavar="DATASET", help="Only the experiments of this dataset."),
    ] = None,
    name: _LookupName = None,
    limit: Limit = 15,
    cursor: Cursor = None,
    all_pages: AllPages = False,
    output: Output = None,
) -> None:
    """List experiments (what --experiment-ids refer to)."""
    _lookup(
        ctx,
        "experiment",
        "experiments",
        {"space": space, "dataset": dataset, "name": name},
        limit=limit,
        cursor=cursor,
        all_pages=all_pages,
        output=output,
    )


# --------------------------------------------------------------------------------------------
# Sandbox and MCP
# --------------------------------------------------------------------------------------------

_SandboxDb = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH",
        help="SQLite file of the sandbox (default: AX_TASKS_SANDBOX_DB, else the user data dir).",
        envvar="AX_TASKS_SANDBOX_DB",
        show_envvar=False,
    ),
]


@sandbox_app.command(
    "serve",
    epilog=_examples(
        "ax-tasks sandbox serve --port 8765",
        "ax-tasks --base-url http://127.0.0.1:8765 list --space demo",
    ),
    context_settings=_CONTEXT,
)
def sandbox_serve(
    ctx: typer.Context,
    host: Annotated[
        str,
        typer.Option("--host", metavar="HOST", help="Address to listen on (loopback only)."),
    ] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option(
            "--port", metavar="PORT", min=0, max=65535, help="Port to listen on; 0 picks one."
        ),
    ] = 8765,
    db: _SandboxDb = None,
    speed: Annotated[
        float | None,
        typer.Option(
            "--speed",
            metavar="FACTOR",
            help=(
                "How much faster than real time runs progress (default: AX_TASKS_SANDBOX_SPEED "
                "or 1)."
            ),
        ),
    ] = None,
    fault_rate: Annotated[
        float,
        typer.Option(
            "--fault-rate",
            metavar="RATE",
            min=0.0,
            max=1.0,
            help="Share of requests answered 503 or 429 (fault injection).",
        ),
    ] = 0.0,
    latency: Annotated[
        float,
        typer.Option(
            "--latency", metavar="SECONDS", min=0.0, help="Seconds added to every request."
        ),
    ] = 0.0,
    hang: Annotated[
        bool, typer.Option("--hang", help="Accept requests but answer none (fault injection).")
    ] = False,
) -> None:
    """Serve the sandbox over HTTP until interrupted (point --base-url at it)."""
    with command_session(ctx, None, notice=False):
        from ax_tasks_mcp.sandbox.serve import serve

        try:
            serve(
                host=host,
                port=port,
                db_path=db,
                fault_rate=fault_rate,
                latency=latency,
                hang=hang,
                speed=speed,
            )
        except ValueError as exc:
            raise UsageProblem(str(exc)) from None
        except KeyboardInterrupt:
            return


@sandbox_app.command(
    "info",
    epilog=_examples("ax-tasks sandbox info", "ax-tasks sandbox info --output json"),
    context_settings=_CONTEXT,
)
def sandbox_info(ctx: typer.Context, db: _SandboxDb = None, output: Output = None) -> None:
    """Show what the sandbox holds (spaces, projects, datasets, evaluators, tasks) with IDs."""
    with command_session(ctx, output, notice=False) as session:
        from ax_tasks_mcp.sandbox.admin import format_info, info

        summary = info(db)
        if session.choice.format == "table" and session.choice.path is None:
            session.stdout.write(format_info(summary) + "\n")
        else:
            session.printer.one(summary, "sandbox")


@sandbox_app.command("reset", context_settings=_CONTEXT)
def sandbox_reset(ctx: typer.Context, db: _SandboxDb = None) -> None:
    """Wipe the sandbox's database and seed it again."""
    with command_session(ctx, None, notice=False) as session:
        from ax_tasks_mcp.sandbox.admin import reset

        reset(db)
        session.warn("Sandbox reset to its seed data.")


@app.command(
    "mcp",
    context_settings={**_CONTEXT, "allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def mcp(ctx: typer.Context) -> None:
    """Start the MCP server (arguments are passed on; see 'ax-tasks mcp --help')."""
    runtime = get_runtime(ctx)
    argv = list(ctx.args)
    if runtime.sandbox and "--sandbox" not in argv:
        argv.insert(0, "--sandbox")
    if runtime.profile and "--profile" not in argv:
        argv[:0] = ["--profile", runtime.profile]
    if runtime.base_url and "--base-url" not in argv:
        argv[:0] = ["--base-url", runtime.base_url]
    from ax_tasks_mcp import server

    code = server.main(argv)
    raise typer.Exit(int(code or 0))


def run() -> None:
    """The console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    run()

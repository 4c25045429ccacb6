"""What the commands share: option types, the command decorator, JSON arguments, results.

Option types are ``Annotated`` aliases, so one option reads the same in every command that
takes it; JSON-argument wrappers name their option and show an example when the value is wrong.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ax_tasks_cli.app import CONTEXT_SETTINGS
from ax_tasks_cli.errors import UsageProblem
from ax_tasks_cli.inputs import (
    read_json_argument,
    require_array_of_objects,
    require_object,
)
from ax_tasks_cli.runtime import Session

if TYPE_CHECKING:
    from ax_tasks_mcp import Resource

__all__ = [
    "EVALUATORS_EXAMPLE",
    "JSON_SOURCES",
    "QUERY_FILTERS_EXAMPLE",
    "RUN_CONFIG_EXAMPLE",
    "TRACING_EXAMPLE",
    "AllPages",
    "Command",
    "Cursor",
    "DryRun",
    "Force",
    "Limit",
    "Output",
    "Space",
    "TaskRef",
    "check_paging",
    "command",
    "examples",
    "json_arg",
    "label",
    "parse_evaluators",
    "parse_query_filters",
    "parse_run_configuration",
    "register",
    "show_result",
    "warn_newer_value",
]

# --------------------------------------------------------------------------------------------
# Help texts and the JSON examples they show
# --------------------------------------------------------------------------------------------

_OUTPUT_HELP = (
    "Output format: table, json, yaml, ndjson or csv; or a file path whose extension picks "
    "the format (.json, .yaml, .ndjson, .csv, .txt). Default: table on a terminal, json "
    "otherwise."
)
JSON_SOURCES = "Inline JSON, @file.json, a file path, or - for stdin."
EVALUATORS_EXAMPLE = '[{"evaluator_id": "RXZhbHVhdG9yOjI6b2FhTQ=="}]'
RUN_CONFIG_EXAMPLE = (
    '{"experiment_type": "llm_generation", "ai_integration_id": "openai-prod", '
    '"model_name": "gpt-4o", "messages": [{"role": "user", "content": "{{input}}"}]}'
)
QUERY_FILTERS_EXAMPLE = (
    '{"filters": [{"id": "A", "filter": "attributes.llm.model_name = \'gpt-4o\'"}]}'
)
TRACING_EXAMPLE = '{"team": "search", "ticket": "AX-42"}'

# --------------------------------------------------------------------------------------------
# Options more than one command takes
# --------------------------------------------------------------------------------------------

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
TaskRef = Annotated[str, typer.Argument(help="Task name or ID.", metavar="NAME_OR_ID")]
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


def check_paging(cursor: str | None, all_pages: bool) -> None:
    """Refuse --cursor with --all, and an empty --cursor (a loop that passes back the last
    page's missing cursor would otherwise start over at the first page, for ever)."""
    if cursor is not None and not cursor.strip():
        raise UsageProblem(
            "--cursor is empty: pass the cursor a page printed, or leave --cursor out for the "
            "first page (the last page prints no cursor)."
        )
    if all_pages and cursor:
        raise UsageProblem("--all and --cursor do not go together: --all starts at the first page.")


def warn_newer_value(session: Session, value: str | None, known: Iterable[str], what: str) -> None:
    """A filter whose values the API may add to (a task type, a run status): one word this
    version does not know is sent as given, for the API to judge, with a warning saying so."""
    word = re.sub(r"[\s-]+", "_", (value or "").strip()).upper()
    known = tuple(known)
    if word and word not in known and re.fullmatch(r"[A-Z][A-Z0-9_]*", word):
        session.warn(
            f"ax-tasks: warning: {word} is not a {what} this version knows "
            f"({', '.join(known)}); it is sent as given."
        )


# --------------------------------------------------------------------------------------------
# Declaring a command
# --------------------------------------------------------------------------------------------


def examples(*lines: str) -> str:
    """An epilog listing example command lines, kept as written (click's \\b)."""
    return "\n".join(["\b", "Examples:", *(f"  {line}" for line in lines)])


@dataclass(frozen=True)
class Command:
    """A command to add to a Typer app: its name, function, examples and Typer settings."""

    name: str
    callback: Callable[..., Any]
    epilog: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)


def command(name: str, *example_lines: str, **settings: Any) -> Callable[..., Command]:
    """Declare a command, with its examples as the help's epilog; :func:`register` adds it."""
    epilog = examples(*example_lines) if example_lines else None

    def declare(callback: Callable[..., Any]) -> Command:
        return Command(name, callback, epilog, settings)

    return declare


def register(app: typer.Typer, commands: Iterable[Command]) -> None:
    """Add commands to ``app`` in the order given (the order the help lists them)."""
    for each in commands:
        settings = {"context_settings": CONTEXT_SETTINGS, **each.settings}
        app.command(each.name, epilog=each.epilog, **settings)(each.callback)


# --------------------------------------------------------------------------------------------
# JSON arguments
# --------------------------------------------------------------------------------------------


def json_arg(option: str, value: str | None) -> Any:
    return None if value is None else read_json_argument(option, value)


def parse_evaluators(value: str | None) -> list[dict[str, Any]] | None:
    data = json_arg("--evaluators", value)
    if data is None:
        return None
    return require_array_of_objects("--evaluators", data, EVALUATORS_EXAMPLE)


def parse_run_configuration(value: str | None) -> dict[str, Any] | None:
    data = json_arg("--run-configuration", value)
    if data is None:
        return None
    return require_object("--run-configuration", data, '{"experiment_type": "llm_generation", ...}')


def parse_query_filters(value: str | None) -> tuple[bool, dict[str, Any] | None]:
    """(given, value): JSON null clears the filters on update."""
    if value is None:
        return False, None
    data = read_json_argument("--query-filters", value)
    if data is None:
        return True, None
    return True, require_object("--query-filters", data, QUERY_FILTERS_EXAMPLE)


# --------------------------------------------------------------------------------------------
# Showing what a write returned
# --------------------------------------------------------------------------------------------


def show_result(
    session: Session,
    result: "Resource",
    kind: str,
    done: Callable[["Resource"], str],
) -> None:
    """The resource a write returned, and a one-line note of what was done."""
    from ax_tasks_cli.landed import after_write

    message = done(result)
    with after_write(session, message.rstrip("."), result):
        session.printer.one(result, kind)
    session.say(message)


def label(resource: "Resource") -> str:
    from ax_tasks_mcp import quoted

    name = resource.get("name")
    ident = resource.get("id", "?")
    return f"{quoted(name)} ({ident})" if name else str(ident)

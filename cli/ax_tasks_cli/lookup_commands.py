"""Lookup commands: spaces, projects, datasets, evaluators, ai-integrations and experiments.

They list what task options refer to by name or ID. All six take --name, the paging options
and --output; all but spaces take --space, and experiments also --dataset.
"""

from typing import Annotated, Any

import typer

from ax_tasks_cli.options import (
    AllPages,
    Command,
    Cursor,
    Limit,
    Output,
    Space,
    check_paging,
    command,
)
from ax_tasks_cli.runtime import command_session

_LookupName = Annotated[
    str | None,
    typer.Option(
        "--name", "-n", metavar="NAME", help="Case-insensitive substring filter on the name."
    ),
]


def _lookup(
    ctx: typer.Context,
    plural: str,
    filters: dict[str, Any],
    *,
    limit: int,
    cursor: str | None,
    all_pages: bool,
    output: str | None,
) -> None:
    """Print one page of ``plural`` (every page with --all); a given space is resolved first."""
    kind = plural.removesuffix("s")
    with command_session(ctx, output) as session:
        check_paging(cursor, all_pages)
        service = session.service()
        if "space" in filters:
            filters["space"] = session.space(filters["space"])
        if all_pages:
            session.print_all(service.iter_lookup(plural, **filters), kind)
            return
        session.print_page(service.list_lookup(plural, **filters, limit=limit, cursor=cursor), kind)


@command("spaces", "ax-tasks spaces", "ax-tasks spaces --name prod --output json")
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
        "spaces",
        {"name": name},
        limit=limit,
        cursor=cursor,
        all_pages=all_pages,
        output=output,
    )


def _space_lookup(command_name: str, summary: str) -> Command:
    """A lookup command that takes --space, --name, the paging options and --output."""
    plural = command_name.replace("-", "_")

    @command(command_name, f"ax-tasks {command_name} --space demo", help=summary)
    def lookup(
        ctx: typer.Context,
        space: Space = None,
        name: _LookupName = None,
        limit: Limit = 15,
        cursor: Cursor = None,
        all_pages: AllPages = False,
        output: Output = None,
    ) -> None:
        _lookup(
            ctx,
            plural,
            {"space": space, "name": name},
            limit=limit,
            cursor=cursor,
            all_pages=all_pages,
            output=output,
        )

    return lookup


@command(
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
        "experiments",
        {"space": space, "dataset": dataset, "name": name},
        limit=limit,
        cursor=cursor,
        all_pages=all_pages,
        output=output,
    )


COMMANDS = (
    spaces,
    _space_lookup("projects", "List projects (the targets of project-based evaluation tasks)."),
    _space_lookup(
        "datasets", "List datasets (the targets of dataset tasks and run-experiment tasks)."
    ),
    _space_lookup(
        "evaluators", "List evaluators (what an evaluation task's --evaluators refer to)."
    ),
    _space_lookup(
        "ai-integrations", "List AI integrations (the ai_integration_id of a run configuration)."
    ),
    experiments,
)

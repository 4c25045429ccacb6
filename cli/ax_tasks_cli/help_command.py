"""``ax-tasks help [COMMAND...]``: the help of ax-tasks or of one of its commands, for those who
type ``help`` before the command rather than ``--help`` after it."""

from typing import Annotated

import typer

from ax_tasks_cli.errors import UsageProblem
from ax_tasks_cli.options import command
from ax_tasks_cli.runtime import command_session

__all__ = ["help_"]


@command("help", "ax-tasks help", "ax-tasks help trigger-run", "ax-tasks help sandbox serve")
def help_(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(metavar="[COMMAND]...", help="The command to explain (none: ax-tasks)."),
    ] = None,
) -> None:
    """Show the help of ax-tasks, or of one of its commands (the same as COMMAND --help)."""
    with command_session(ctx, None, notice=False) as session:
        parent = ctx.find_root()
        target = parent.command
        for name in names or []:
            found = getattr(target, "get_command", lambda _ctx, _name: None)(parent, name)
            if found is None:
                where = parent.command_path
                raise UsageProblem(f"{where} has no command {name!r}: '{where} --help' lists them.")
            parent = typer.Context(found, info_name=name, parent=parent)
            target = found
        session.stdout.write(target.get_help(parent) + "\n")

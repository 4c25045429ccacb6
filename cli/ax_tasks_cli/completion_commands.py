"""``ax-tasks completion SHELL``: the script that makes the Tab key complete for bash, zsh or
fish (the completion itself is ``completing``, imported only when the shell asks)."""

from typing import Annotated

import typer

from ax_tasks_cli.errors import UsageProblem
from ax_tasks_cli.options import command
from ax_tasks_cli.runtime import command_session

__all__ = ["completion"]

_SHELLS = ("bash", "zsh", "fish")


@command(
    "completion",
    'eval "$(ax-tasks completion bash)"',
    "mkdir -p ~/.zfunc && ax-tasks completion zsh > ~/.zfunc/_ax-tasks",
    "mkdir -p ~/.config/fish/completions && "
    "ax-tasks completion fish > ~/.config/fish/completions/ax-tasks.fish",
)
def completion(
    ctx: typer.Context,
    # The choices as the metavar: help reads {bash|zsh|fish}; the value is checked below, in
    # any case, as every value of ax-tasks is (a choice type would load pydantic to convert).
    shell: Annotated[
        str, typer.Argument(help="The shell to complete in.", metavar="bash|zsh|fish")
    ],
) -> None:
    """Print the shell completion script for bash, zsh or fish.

    Commands, options and fixed values complete at once; names (tasks, spaces, projects,
    datasets, evaluators, AI integrations, experiments, run IDs with --task) come from the API
    or the sandbox, cached for two minutes, within AX_TASKS_COMPLETION_TIMEOUT seconds
    (default 2). The script's first lines say how to install it."""
    with command_session(ctx, notice=False) as session:
        name = shell.strip().lower()
        if name not in _SHELLS:
            raise UsageProblem(f"The shell must be bash, zsh or fish, not {shell!r}.")
        from ax_tasks_cli.completion_scripts import SCRIPTS

        session.stdout.write(SCRIPTS[name])

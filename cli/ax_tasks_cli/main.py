"""``ax-tasks``: manage Arize AX evaluation tasks and their runs from a terminal.

A drop-in for the official ``ax tasks`` commands (list, create, create-evaluation,
create-run-experiment, get, update, delete, trigger-run, list-runs, get-run, cancel-run,
wait-for-run), plus lookups (spaces, projects, datasets, evaluators, ai-integrations,
experiments), the local sandbox and the MCP server.

This is the entry point: it adds every command to the app, in the order the help lists them.
Every command talks to the API through the ``ax_tasks_mcp`` library, imported inside the
commands, so ``ax-tasks --help`` starts without loading the HTTP stack.
"""

from ax_tasks_cli import (
    admin_commands,
    completion_commands,
    config_commands,
    create_commands,
    help_command,
    lookup_commands,
    plan_commands,
    run_commands,
    task_commands,
)
from ax_tasks_cli.app import app, run
from ax_tasks_cli.options import register

__all__ = ["app", "run"]

register(
    app,
    (
        task_commands.list_tasks,
        task_commands.get_task,
        *create_commands.COMMANDS,
        task_commands.update,
        task_commands.delete,
        *run_commands.COMMANDS,
        *lookup_commands.COMMANDS,
        *plan_commands.COMMANDS,
        config_commands.config,
        completion_commands.completion,
        admin_commands.mcp,
        help_command.help_,
    ),
)
app.add_typer(admin_commands.sandbox_app)

if __name__ == "__main__":  # pragma: no cover
    run()

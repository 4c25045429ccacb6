"""``ax-tasks``: manage Arize AX evaluation tasks and their runs from a terminal.

A drop-in for the official ``ax tasks`` commands (list, create, create-evaluation,
create-run-experiment, get, update, delete, trigger-run, list-runs, get-run, cancel-run,
wait-for-run), plus lookups (spaces, projects, datasets, evaluators, ai-integrations,
experiments), the local sandbox and the MCP server.

This is the entry point: it imports the command modules, which add their commands to the app,
in the order the help lists them. Every command talks to the API through ``TasksService``
only; it is imported inside the commands, so ``ax-tasks --help`` starts without loading the
HTTP stack.
"""

# The help lists commands in the order they are added: keep these imports in this order.
# isort: off
from cli import task_commands  # noqa: F401 - list, get, create..., update, delete
from cli import run_commands  # noqa: F401 - trigger-run, list-runs, ..., wait-for-run
from cli import lookup_commands  # noqa: F401 - spaces, projects, ..., experiments
from cli import admin_commands  # noqa: F401 - mcp, and the sandbox group

# isort: on
from cli.app import app, run

__all__ = ["app", "run"]

if __name__ == "__main__":  # pragma: no cover
    run()

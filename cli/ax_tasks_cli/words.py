"""The CLI's words for the service's fields and operations: flags and ``ax-tasks`` commands.

A service message that names ``sampling_rate`` or the ``get_run`` operation reads
``--sampling-rate`` and ``ax-tasks get-run`` here (see ``ax_tasks_mcp.service.words``).
Plain data, no service import: ``--help`` stays fast.
"""

from __future__ import annotations

from typing import Final

from ax_tasks_mcp import Words

__all__ = ["CLI_WORDS", "COMMANDS", "flag"]

PROG: Final = "ax-tasks"

#: Service operations (TasksService methods) by the command that does them.
COMMANDS: Final[dict[str, str]] = {
    "list_tasks": "list",
    "iter_tasks": "list --all",
    "get_task": "get",
    "create_task": "create",
    "create_evaluation_task": "create-evaluation",
    "create_run_experiment_task": "create-run-experiment",
    "update_task": "update",
    "delete_task": "delete",
    "trigger_run": "trigger-run",
    "list_runs": "list-runs",
    "get_run": "get-run",
    "cancel_run": "cancel-run",
    "wait_for_run": "wait-for-run",
    "list_spaces": "spaces",
    "list_projects": "projects",
    "list_datasets": "datasets",
    "list_evaluators": "evaluators",
    "list_ai_integrations": "ai-integrations",
    "list_experiments": "experiments",
}

#: Fields the CLI takes as positional arguments, not options.
_ARGUMENTS: Final = {"task": "TASK", "run_id": "RUN_ID"}


def flag(name: str) -> str:
    """The option for an API field: ``sampling_rate`` → ``--sampling-rate``."""
    return _ARGUMENTS.get(name) or "--" + name.replace("_", "-")


def _command(name: str) -> str:
    return f"{PROG} {COMMANDS.get(name, name.replace('_', '-'))}"


CLI_WORDS: Final = Words(field=flag, operation=_command)

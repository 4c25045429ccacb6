"""The MCP server's words for the service's fields and operations: parameters and tool names.

A service message that names ``timeout`` or the ``get_run`` operation reads ``timeout_seconds``
and ``get_task_run`` here (see ``ax_tasks_mcp.Words``); every other field is the parameter of
the same name.
"""

from __future__ import annotations

from typing import Final

from ax_tasks_mcp import Words

__all__ = ["MCP_WORDS", "TOOLS"]

#: Service operations (TasksService methods) by the tool that does them, where the names differ.
TOOLS: Final[dict[str, str]] = {
    "iter_tasks": "list_tasks",
    "create_task": "create_evaluation_task or create_run_experiment_task",
    "trigger_run": "trigger_task_run",
    "list_runs": "list_task_runs",
    "get_run": "get_task_run",
    "cancel_run": "cancel_task_run",
    "wait_for_run": "wait_for_task_run",
}
#: API fields whose tool parameter has another name.
_PARAMETERS: Final[dict[str, str]] = {"timeout": "timeout_seconds"}

MCP_WORDS: Final = Words(
    field=lambda name: _PARAMETERS.get(name, name),
    operation=lambda name: TOOLS.get(name, name),
)

"""The MCP server over TasksService: its tools, their descriptions and annotations.

Every tool is a thin face: it hands its arguments to the service (names and IDs alike, enums in
any case) and returns what the service returns, with the API's own field names.  The tools live
in ``mcp_task_tools``, ``mcp_run_tools`` and ``mcp_lookup_tools``; this module names, describes
and registers them, in the order tools/list shows them.  ``server.py`` holds the process entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, InputRequiredResult, ToolAnnotations
from mcp_types import Tool as MCPTool

from ax_tasks_mcp.server.calls import Ctx, ServiceHandle, ShownError
from ax_tasks_mcp.server.features import add_features
from ax_tasks_mcp.server.identity import ICONS, WEBSITE_URL
from ax_tasks_mcp.server.lookup_tools import (
    list_ai_integrations,
    list_datasets,
    list_evaluators,
    list_experiments,
    list_projects,
    list_spaces,
)
from ax_tasks_mcp.server.run_tools import (
    cancel_task_run,
    get_task_run,
    list_task_runs,
    trigger_task_run,
    wait_for_task_run,
)
from ax_tasks_mcp.server.task_tools import (
    create_evaluation_task,
    create_run_experiment_task,
    delete_task,
    get_task,
    list_tasks,
    update_task,
)

if TYPE_CHECKING:
    from ax_tasks_mcp import TasksService

__all__ = [
    "READ_TOOLS",
    "WRITE_TOOLS",
    "ServiceHandle",
    "TasksMCPServer",
    "build_server",
]

SERVER_NAME = "ax-tasks"

INSTRUCTIONS = """\
Manage Arize AX tasks: evaluation tasks that score spans of a project or examples of a dataset,
and run-experiment tasks that run a prompt over a dataset. Wherever a task, space, project,
dataset or evaluator is asked for, its exact name (case included) or its ID works; names are
looked up within the space, so pass `space` (a name or ID) unless a default space is configured.
Use the list_* tools to find names and IDs. Task types and run statuses may be written in any
case. Run IDs must be real IDs (from trigger_task_run or list_task_runs).
"""

# ------------------------------------------------------------------------------------------------
# Titles, descriptions and annotations
# ------------------------------------------------------------------------------------------------

_READ = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=True)


def _write(*, destructive: bool, idempotent: bool) -> ToolAnnotations:
    return ToolAnnotations(
        read_only_hint=False,
        destructive_hint=destructive,
        idempotent_hint=idempotent,
        open_world_hint=True,
    )


_NAMES_NOTE = (
    " Names of tasks, projects, datasets and evaluators are looked up exactly (case included)"
    " in `space`; an ambiguous name fails with the IDs to choose from."
)

# name: (function, title, description, annotations)
_TOOLS: dict[str, tuple[Callable[..., Any], str, str, ToolAnnotations]] = {
    "list_tasks": (
        list_tasks,
        "List tasks",
        "List tasks, optionally only those of a space, project or dataset, by name text or by"
        " type. Returns {tasks: [...], next_cursor}; pass next_cursor as cursor for more."
        " Use get_task for one task you can already name, list_task_runs for a task's runs.",
        _READ,
    ),
    "get_task": (
        get_task,
        "Get a task",
        "Get one task by name or ID: its type, target project or dataset, evaluators or run"
        " configuration, filters and last run time. Returns the task. Use list_tasks to"
        " search when you do not know the name." + _NAMES_NOTE,
        _READ,
    ),
    "create_evaluation_task": (
        create_evaluation_task,
        "Create an evaluation task",
        "Create a TEMPLATE_EVALUATION or CODE_EVALUATION task that runs evaluators over a"
        " project's spans or a dataset's experiments. Returns the new task. Find evaluators"
        " with list_evaluators and projects or datasets with list_projects / list_datasets;"
        " to run a prompt over a dataset use create_run_experiment_task instead. Then start"
        " it with trigger_task_run." + _NAMES_NOTE,
        _write(destructive=False, idempotent=False),
    ),
    "create_run_experiment_task": (
        create_run_experiment_task,
        "Create a run-experiment task",
        "Create a RUN_EXPERIMENT task that runs an LLM prompt, a template evaluation or an"
        " agent call over every example of a dataset, creating an experiment per run. Returns"
        " the new task. Find integrations with list_ai_integrations; to score existing"
        " spans or experiments use create_evaluation_task instead. Start runs with"
        " trigger_task_run (experiment_name required).",
        _write(destructive=False, idempotent=False),
    ),
    "update_task": (
        update_task,
        "Update a task",
        "Change a task: only the fields given change; `clear` removes filters. Evaluation"
        " tasks accept name, sampling_rate, is_continuous, query_filter, query_filters and"
        " evaluators; run-experiment tasks accept name and run_configuration. Returns the"
        " updated task. Fields that do not fit the task's type are refused with the list of"
        " valid ones. Use get_task first to see the current values; to start a run use"
        " trigger_task_run." + _NAMES_NOTE,
        _write(destructive=False, idempotent=True),
    ),
    "delete_task": (
        delete_task,
        "Delete a task",
        "Delete a task with its configuration and all its runs; this cannot be undone. The"
        " user is asked to confirm when the client supports it; otherwise pass confirm=true"
        " and confirm_name (the task's exact name or ID) only after the user agreed. Returns"
        " {deleted: true, task} with the task as it was. To stop one run use cancel_task_run;"
        " to pause a continuous task use update_task with is_continuous=false." + _NAMES_NOTE,
        _write(destructive=True, idempotent=True),
    ),
    "trigger_task_run": (
        trigger_task_run,
        "Trigger a task run",
        "Start a run of a task now. Evaluation tasks take an optional span window"
        " (data_start_time, required on a project task's first run), max_spans,"
        " override_evaluations and experiment_ids; run-experiment tasks require"
        " experiment_name and take example_ids or max_examples, query_filter,"
        " dataset_version_id, tracing_metadata and evaluation_task_ids. Fields that do not"
        " fit the task's type are refused. Returns the new run; with wait=true, waits"
        " (reporting progress) and returns the final run, FAILED or CANCELLED included, with"
        " failure_reason. Otherwise follow it with wait_for_task_run or get_task_run.",
        _write(destructive=False, idempotent=False),
    ),
    "list_task_runs": (
        list_task_runs,
        "List a task's runs",
        "List the runs of one task, newest first, optionally only those in one status."
        " Returns {task_runs: [...], next_cursor}. Use get_task_run for one run by ID."
        + _NAMES_NOTE,
        _READ,
    ),
    "get_task_run": (
        get_task_run,
        "Get a task run",
        "Get one run by ID: its status, counts of successes, errors and skipped items, times,"
        " and failure_reason when it FAILED or was CANCELLED. Returns the run at once; use"
        " wait_for_task_run to wait until it finishes.",
        _READ,
    ),
    "cancel_task_run": (
        cancel_task_run,
        "Cancel a task run",
        "Cancel a PENDING or RUNNING run. The user is asked to confirm when the client"
        " supports it; otherwise pass confirm=true and confirm_name (the run ID) only after"
        " the user agreed. Returns the cancelled run. To remove the whole task use"
        " delete_task.",
        _write(destructive=True, idempotent=True),
    ),
    "wait_for_task_run": (
        wait_for_task_run,
        "Wait for a task run",
        "Wait until a run finishes (COMPLETED, FAILED or CANCELLED), reporting progress"
        " (status, counts, elapsed time) as it goes, for at most timeout_seconds. Returns the"
        " final run even when it FAILED or was CANCELLED, with failure_reason; if time runs"
        " out it says so and the run keeps going. Use get_task_run for a quick look instead.",
        _READ,
    ),
    "list_spaces": (
        list_spaces,
        "List spaces",
        "List the spaces the API key can see, optionally by name text. Returns {spaces: [...],"
        " next_cursor}. Use a space's name or ID as `space` in the other tools, e.g."
        " list_projects, list_datasets or list_evaluators to see what a space holds.",
        _READ,
    ),
    "list_projects": (
        list_projects,
        "List projects",
        "List the projects of a space, optionally by name text. Returns {projects: [...],"
        " next_cursor}. Project evaluation tasks (create_evaluation_task with project) score"
        " a project's spans.",
        _READ,
    ),
    "list_datasets": (
        list_datasets,
        "List datasets",
        "List the datasets of a space, optionally by name text. Returns {datasets: [...],"
        " next_cursor}. A dataset is what create_run_experiment_task runs over, and what"
        " create_evaluation_task evaluates the experiments of; list_experiments shows those.",
        _READ,
    ),
    "list_evaluators": (
        list_evaluators,
        "List evaluators",
        "List the evaluators of a space, optionally by name text. Returns {evaluators: [...],"
        " next_cursor}. Pass an evaluator's name or ID in create_evaluation_task's evaluators.",
        _READ,
    ),
    "list_ai_integrations": (
        list_ai_integrations,
        "List AI integrations",
        "List the AI integrations (LLM provider accounts) available in a space, optionally by"
        " name text. Returns {ai_integrations: [...], next_cursor}. Use one's name or ID as"
        " ai_integration_id in create_run_experiment_task's run_configuration.",
        _READ,
    ),
    "list_experiments": (
        list_experiments,
        "List experiments",
        "List experiments of a space or of one dataset, optionally by name text. Returns"
        " {experiments: [...], next_cursor}. Pass their names or IDs as experiment_ids to"
        " create_evaluation_task or trigger_task_run (dataset evaluation tasks).",
        _READ,
    ),
}

WRITE_TOOLS: frozenset[str] = frozenset(
    name for name, (_, _, _, notes) in _TOOLS.items() if notes.read_only_hint is not True
)
READ_TOOLS: frozenset[str] = frozenset(_TOOLS) - WRITE_TOOLS


# ------------------------------------------------------------------------------------------------
# The server
# ------------------------------------------------------------------------------------------------


class TasksMCPServer(MCPServer[Any]):
    """MCPServer with the service handle, read-only mode, and errors shown without a prefix."""

    def __init__(self, handle: ServiceHandle, *, read_only: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.handle = handle
        self.read_only = read_only

    async def list_tools(self) -> list[MCPTool]:
        tools = await super().list_tools()
        if self.read_only:
            tools = [t for t in tools if t.name not in WRITE_TOOLS]
        return tools

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Ctx | None = None
    ) -> CallToolResult | InputRequiredResult:
        if self.read_only and name in WRITE_TOOLS:
            raise ToolError(
                f"{name} is not available: this server was started read-only, so tasks"
                " and runs cannot be created, changed, triggered, cancelled or deleted."
                " Nothing was changed."
            )
        try:
            return await super().call_tool(name, arguments, context)
        except ToolError as exc:
            # The SDK prefixes "Error executing tool <name>: "; ours are written for the model.
            if isinstance(exc.__cause__, ShownError):
                raise exc.__cause__ from None
            raise


def build_server(
    service: TasksService | ServiceHandle, *, read_only: bool = False, version: str = ""
) -> TasksMCPServer:
    """The MCP server over ``service`` (a TasksService, or a handle that creates one lazily)."""
    handle = service if isinstance(service, ServiceHandle) else ServiceHandle.of(service)
    server = TasksMCPServer(
        handle,
        read_only=read_only,
        name=SERVER_NAME,
        title="Arize AX tasks",
        instructions=INSTRUCTIONS,
        version=version,
        website_url=WEBSITE_URL,
        icons=ICONS,
        log_level="WARNING",
    )
    for name, (fn, title, description, notes) in _TOOLS.items():
        server.add_tool(
            fn,
            name=name,
            title=title,
            description=description,
            annotations=notes.model_copy(update={"title": title}),
            structured_output=True,
        )
    add_features(server, handle)
    return server

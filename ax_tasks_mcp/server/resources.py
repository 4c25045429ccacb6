"""The MCP resources: a task and a run, readable by URI so a host can attach them to a chat.

* ``arize-task://{space}/{task}``: a task by name (looked up in the space) or ID, as JSON.
* ``arize-run://{run_id}``: a task run by ID, as JSON.

Values go percent-encoded into the URI (a name with ``/`` in it is ``%2F``).  Only these two
templates are served; there is no static resource list, since tasks and runs are found with
the tools.  Subscribing to a run lives in :mod:`ax_tasks_mcp.server.run_watch`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError
from mcp.server.mcpserver.resources import ResourceSecurity
from mcp.shared.uri_template import UriTemplate

from ax_tasks_mcp.server.calls import Ctx, ShownError, call_service
from ax_tasks_mcp.server.clipping import fit

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

__all__ = ["RUN_TEMPLATE", "TASK_TEMPLATE", "TEMPLATE_VARIABLE_KINDS", "add_resources", "run_id_of"]

TASK_TEMPLATE: Final = "arize-task://{space}/{task}"
RUN_TEMPLATE: Final = "arize-run://{run_id}"
JSON_TYPE: Final = "application/json"

#: template: {variable: the service list that names its values} (for completion).
TEMPLATE_VARIABLE_KINDS: Final[dict[str, dict[str, str]]] = {
    TASK_TEMPLATE: {"space": "spaces", "task": "tasks"},
    RUN_TEMPLATE: {},
}

# Names are not file paths: ".." or a leading "/" in one is just a name.
_NAMES = ResourceSecurity(reject_path_traversal=False, reject_absolute_paths=False)
_RUN_URI = UriTemplate.parse(RUN_TEMPLATE)


def run_id_of(uri: str) -> str | None:
    """The run ID an ``arize-run://`` URI names, or None when it names no run."""
    found = _RUN_URI.match(uri)
    value = found.get("run_id") if found else None
    return value if isinstance(value, str) and value else None


def _json(data: Any) -> str:
    """Compact JSON, cut to fit the answer budget as a tool result is (clipping.py)."""
    return json.dumps(fit(data), ensure_ascii=False, default=str, separators=(",", ":"))


async def _read(ctx: Ctx, what: str, work: Any) -> str:
    """The service's answer as JSON; its errors as resource errors with its own words."""
    from ax_tasks_mcp import NotFoundError

    try:
        return _json(await call_service(ctx, what, work))
    except ShownError as exc:
        cls = ResourceNotFoundError if isinstance(exc.__context__, NotFoundError) else ResourceError
        raise cls(str(exc)) from None


async def read_task(space: str, task: str, ctx: Ctx) -> str:
    """The task, as get_task returns it."""
    return await _read(ctx, "reading a task", lambda s: s.get_task(task, space=space or None))


async def read_run(run_id: str, ctx: Ctx) -> str:
    """The run, as get_task_run returns it."""
    return await _read(ctx, "reading a run", lambda s: s.get_run(run_id))


def add_resources(server: MCPServer[Any]) -> None:
    """Register the task and run templates on ``server``."""
    server.resource(
        TASK_TEMPLATE,
        name="task",
        title="Arize AX task",
        description="A task by space and name (or ID): type, target, evaluators, last run.",
        mime_type=JSON_TYPE,
        security=_NAMES,
    )(read_task)
    server.resource(
        RUN_TEMPLATE,
        name="task-run",
        title="Arize AX task run",
        description="A task run by ID: status, counts, times, failure_reason. Subscribe to"
        " it for updates until the run is final.",
        mime_type=JSON_TYPE,
        security=_NAMES,
    )(read_run)

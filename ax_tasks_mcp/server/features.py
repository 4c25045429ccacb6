"""Everything the server offers beyond its tools, added in one call from ``build_server``.

Prompts, resource templates, completions, run subscriptions and client logging each live in a
module of their own; none of them rides on tools/list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ax_tasks_mcp.server.completions import add_completions
from ax_tasks_mcp.server.logs import add_client_logging
from ax_tasks_mcp.server.prompts import add_prompts
from ax_tasks_mcp.server.resources import add_resources
from ax_tasks_mcp.server.run_watch import add_run_subscriptions

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from ax_tasks_mcp.server.calls import ServiceHandle

__all__ = ["add_features"]


def add_features(server: MCPServer[Any], handle: ServiceHandle) -> None:
    """Add prompts, resources, completions, run subscriptions and client logging."""
    add_prompts(server)
    add_resources(server)
    add_completions(server, handle)
    add_run_subscriptions(server, handle)
    add_client_logging(server, handle)

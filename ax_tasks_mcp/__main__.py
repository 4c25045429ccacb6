"""``python -m ax_tasks_mcp``: the MCP server (same as ``ax-tasks-mcp``)."""

from __future__ import annotations

from ax_tasks_mcp.server.app import run

if __name__ == "__main__":
    run()

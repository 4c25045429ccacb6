"""Who the server says it is: the Implementation fields of ``serverInfo`` beyond name and
version (a website and an icon), and the name it goes by in the MCP Registry.

The registry name, the README's ``mcp-name`` marker, ``server.json`` and the package's URLs are
kept in step by tests/packaging.
"""

from __future__ import annotations

import base64
from typing import Final

from mcp_types import Icon

__all__ = ["ICONS", "ICON_SVG", "REGISTRY_NAME", "WEBSITE_URL"]

REGISTRY_NAME: Final = "io.github.ax-tasks/ax-tasks"
WEBSITE_URL: Final = "https://github.com/ax-tasks/ax-tasks"

# A checklist on a rounded square: tasks that are evaluated.  Small enough to inline.
ICON_SVG: Final = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
    '<rect width="64" height="64" rx="14" fill="#5b3fd6"/>'
    '<path d="M14 20l5 5 9-10M14 40l5 5 9-10" fill="none" stroke="#fff" stroke-width="5"'
    ' stroke-linecap="round" stroke-linejoin="round"/>'
    '<path d="M34 20h16M34 40h16" stroke="#fff" stroke-width="5" stroke-linecap="round"/>'
    "</svg>"
)

ICONS: Final = [
    Icon(
        src="data:image/svg+xml;base64," + base64.b64encode(ICON_SVG.encode()).decode(),
        mime_type="image/svg+xml",
        sizes=["any"],
    )
]

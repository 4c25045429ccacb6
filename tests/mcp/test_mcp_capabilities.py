"""What the server advertises is what it serves (issue 11, point 7): tools only, no empty
prompt or resource lists, no change notifications it never sends - under both protocols."""

from __future__ import annotations

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp_types import DiscoverResult

pytestmark = pytest.mark.anyio


async def test_only_tools_are_advertised(client: Client, protocol: str) -> None:
    if protocol == "2026-07-28":  # no handshake: the client asks server/discover
        raw = await client.session.send_discover(protocol)
        capabilities = DiscoverResult.model_validate(raw).capabilities
    else:
        capabilities = client.server_capabilities
    assert capabilities.tools is not None
    assert not capabilities.tools.list_changed
    assert capabilities.prompts is None
    assert capabilities.resources is None
    assert capabilities.completions is None


async def test_prompts_and_resources_are_not_served(client: Client) -> None:
    with pytest.raises(MCPError):
        await client.list_prompts()
    with pytest.raises(MCPError):
        await client.list_resources()

"""What the server advertises is what it serves, under both protocols:
every advertised list has something in it, and a server with no prompts or resources does not
advertise them at all."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer
from mcp.shared.exceptions import MCPError
from mcp_types import DiscoverResult, ServerCapabilities

from ax_tasks_mcp.server.tools import serve_only_what_exists
from tests.server.conftest import Connect

pytestmark = pytest.mark.anyio


async def capabilities_of(client: Client, protocol: str) -> ServerCapabilities:
    if protocol == "2026-07-28":  # no handshake: the client asks server/discover
        raw = await client.session.send_discover(protocol)
        return DiscoverResult.model_validate(raw).capabilities
    return client.server_capabilities


async def test_every_advertised_list_has_something_in_it(client: Client, protocol: str) -> None:
    capabilities = await capabilities_of(client, protocol)
    assert capabilities.tools is not None
    assert (await client.list_tools()).tools
    if capabilities.prompts is not None:
        assert (await client.list_prompts()).prompts
    if capabilities.resources is not None:
        resources = (await client.list_resources()).resources
        templates = (await client.list_resource_templates()).resource_templates
        assert resources or templates


async def test_a_server_without_prompts_or_resources_does_not_advertise_them(
    connect: Connect, protocol: str
) -> None:
    server: MCPServer[Any] = MCPServer(name="bare")

    @server.tool()
    def ping() -> str:
        """Answers pong."""
        return "pong"

    serve_only_what_exists(server)
    async with connect(server) as client:
        capabilities = await capabilities_of(client, protocol)
        assert capabilities.tools is not None
        assert capabilities.prompts is None
        assert capabilities.resources is None
        with pytest.raises(MCPError):
            await client.list_prompts()
        with pytest.raises(MCPError):
            await client.list_resources()

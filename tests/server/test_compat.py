"""The SDK internals the server reaches (ax_tasks_mcp/server/compat.py) are still there: an mcp
upgrade that moves one fails here, naming the attribute, before any handler breaks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from mcp import Client
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver import MCPServer
from mcp.server.session import ServerSession

from ax_tasks_mcp.server import compat

pytestmark = pytest.mark.anyio

Check = Callable[[MCPServer[Any], ServerSession], object]

# How each private attribute compat.PRIVATE names is reached: one accessor that reads it.
CHECKS: dict[tuple[str, str], Check] = {
    ("MCPServer", "_lowlevel_server"): lambda s, _: compat.has_request_handler(s, "tools/list"),
    ("Server", "_request_handlers"): lambda s, _: compat.drop_request_handlers(s, ()),
    ("MCPServer", "_prompt_manager"): lambda s, _: compat.has_prompts(s),
    ("MCPServer", "_resource_manager"): lambda s, _: compat.has_resources(s),
    ("MCPServer", "_tool_manager"): lambda s, _: compat.registered_tool(s, "get_task"),
    ("MCPServer", "_subscriptions"): lambda s, _: compat.subscription_bus(s),
    ("ServerSession", "_connection"): lambda _, session: compat.connection_state(session),
}


@pytest.fixture
async def session(server: MCPServer[Any]) -> ServerSession:
    """A real session, as a request handler sees it (caught by a middleware)."""
    seen: list[ServerSession] = []

    async def catch(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        seen.append(ctx.session)
        return await call_next(ctx)

    server.middleware.append(catch)
    async with Client(server, mode="legacy") as client:
        await client.list_tools()
    server.middleware.remove(catch)
    return seen[0]


async def test_every_private_attribute_compat_reads_has_a_check() -> None:
    assert {(owner, name) for owner, name, _ in compat.PRIVATE} == set(CHECKS)


@pytest.mark.parametrize(("owner", "name", "why"), compat.PRIVATE, ids=lambda v: str(v))
async def test_the_sdk_still_has_each_private_attribute_compat_reads(
    server: MCPServer[Any], session: ServerSession, owner: str, name: str, why: str
) -> None:
    try:
        CHECKS[(owner, name)](server, session)
    except compat.SdkChanged as exc:
        pytest.fail(f"{exc} (it is used to {why})")


async def test_a_moved_internal_is_named_in_a_plain_message(
    server: MCPServer[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(server, "_tool_manager")
    with pytest.raises(compat.SdkChanged, match=r"MCPServer\._tool_manager is missing") as caught:
        compat.registered_tool(server, "get_task")
    assert "ax_tasks_mcp/server/compat.py" in str(caught.value)


async def test_a_bus_that_no_longer_publishes_is_named(
    server: MCPServer[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server, "_subscriptions", object())
    with pytest.raises(compat.SdkChanged, match=r"MCPServer\._subscriptions"):
        compat.subscription_bus(server)

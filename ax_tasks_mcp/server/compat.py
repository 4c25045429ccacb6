"""The mcp SDK's internals this server reaches, in one room.

The SDK (mcp 2.x) gives no public way to serve a request method of its own on an MCPServer, to
drop a handler it registered, to ask whether any prompt or resource is registered, to find a
registered tool, to keep state on a client's connection, or to reach the bus behind
``subscriptions/listen``.  Each is reached here, through the private attribute :data:`PRIVATE`
names; nothing else in ``ax_tasks_mcp/server`` touches an underscored name of the SDK.  Nor does
it type a resolver's failure to read a client's answer: :func:`is_resolver_failure` reads its
words (guarded by tests/server/test_mcp_confirmation.py, an answer that does not fit).

An SDK release that moves one fails ``tests/server/test_compat.py`` with a message naming it,
and here with :class:`SdkChanged` naming it, instead of an AttributeError deep in a handler.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast

from mcp.server.mcpserver.exceptions import ToolError

if TYPE_CHECKING:
    from mcp.server.connection import Connection
    from mcp.server.lowlevel.server import Server
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.tools import Tool
    from mcp.server.session import ServerSession
    from mcp.server.subscriptions import SubscriptionBus

__all__ = [
    "PRIVATE",
    "SdkChanged",
    "add_request_handler",
    "connection_state",
    "drop_request_handlers",
    "has_prompts",
    "has_request_handler",
    "has_resources",
    "is_resolver_failure",
    "on_connection_close",
    "registered_tool",
    "subscription_bus",
]

#: Every private attribute of the SDK this module reads: (owner, attribute, what for).
PRIVATE: Final = (
    ("MCPServer", "_lowlevel_server", "serve our own request methods, drop unused ones"),
    ("Server", "_request_handlers", "drop a handler the SDK registered"),
    ("MCPServer", "_prompt_manager", "advertise prompts only when there are some"),
    ("MCPServer", "_resource_manager", "advertise resources only when there are some"),
    ("MCPServer", "_tool_manager", "check a call's arguments against its tool first"),
    ("MCPServer", "_subscriptions", "publish run updates on subscriptions/listen"),
    ("ServerSession", "_connection", "keep a client's state and teardown on its connection"),
)

T = TypeVar("T")


class SdkChanged(RuntimeError):
    """The installed mcp SDK no longer has an internal this server relies on."""


def _changed(owner: object, name: str, what: str) -> SdkChanged:
    from importlib.metadata import version

    # Name the SDK's class (MCPServer), not a subclass of ours (TasksMCPServer).
    sdk = next((c for c in type(owner).__mro__ if c.__module__.startswith("mcp.")), type(owner))
    return SdkChanged(
        f"mcp {version('mcp')}: {sdk.__name__}.{name} is {what}; "
        "ax_tasks_mcp/server/compat.py needs updating for this SDK."
    )


def _private(owner: object, name: str, kind: type[T]) -> T:
    value = getattr(owner, name, None)
    if not isinstance(value, kind):
        raise _changed(owner, name, f"missing or no longer a {kind.__name__}")
    return value


def _lowlevel(server: MCPServer[Any]) -> Server[Any]:
    from mcp.server.lowlevel.server import Server

    return _private(server, "_lowlevel_server", Server)


def _handlers(server: MCPServer[Any]) -> dict[str, Any]:
    return _private(_lowlevel(server), "_request_handlers", dict)


def add_request_handler(
    server: MCPServer[Any], method: str, params_type: type[Any], handler: Callable[..., Any]
) -> None:
    """Serve ``method`` on ``server`` with ``handler`` (its params parsed as ``params_type``)."""
    _lowlevel(server).add_request_handler(method, params_type, handler)


def has_request_handler(server: MCPServer[Any], method: str) -> bool:
    return _lowlevel(server).get_request_handler(method) is not None


def drop_request_handlers(server: MCPServer[Any], methods: Iterable[str]) -> None:
    """Serve none of ``methods`` (and so advertise none of their capabilities)."""
    handlers = _handlers(server)
    for method in methods:
        handlers.pop(method, None)


def has_prompts(server: MCPServer[Any]) -> bool:
    from mcp.server.mcpserver.prompts import PromptManager

    return bool(_private(server, "_prompt_manager", PromptManager).list_prompts())


def has_resources(server: MCPServer[Any]) -> bool:
    from mcp.server.mcpserver.resources import ResourceManager

    resources = _private(server, "_resource_manager", ResourceManager)
    return bool(resources.list_resources() or resources.list_templates())


def registered_tool(server: MCPServer[Any], name: str) -> Tool | None:
    from mcp.server.mcpserver.tools import ToolManager

    return _private(server, "_tool_manager", ToolManager).get_tool(name)


def subscription_bus(server: MCPServer[Any]) -> SubscriptionBus:
    """The SDK's bus behind subscriptions/listen (what ctx.notify_resource_updated publishes
    to)."""
    bus = getattr(server, "_subscriptions", None)
    if not callable(getattr(bus, "publish", None)):  # a protocol: no class to check against
        raise _changed(server, "_subscriptions", "missing or no longer a bus that publishes")
    return cast("SubscriptionBus", bus)


def _connection(session: ServerSession) -> Connection:
    from mcp.server.connection import Connection

    return _private(session, "_connection", Connection)


def connection_state(session: ServerSession) -> dict[str, Any]:
    """Scratch state of the session's connection: it lives as long as the client stays."""
    return _connection(session).state


def on_connection_close(session: ServerSession, callback: Callable[[], object]) -> None:
    """Call ``callback`` when the session's connection closes."""
    _connection(session).exit_stack.callback(callback)


#: How the SDK words a resolver's failure to read a client's answer (an elicitation whose
#: content does not fit the form, an accept with no content): "Resolver '<module:function>' ...".
_RESOLVER_PREFIX = "Resolver "


def is_resolver_failure(exc: BaseException) -> bool:
    """True when ``exc`` (or what it wraps: the SDK prefixes "Error executing tool ...") is the
    SDK saying a resolver could not read the client's answer; its words name our module and
    function, so the tool says it in its own."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ToolError) and str(seen).startswith(_RESOLVER_PREFIX):
            return True
        seen = seen.__cause__
    return False

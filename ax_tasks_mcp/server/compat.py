"""The MCP SDK's internals this face relies on, in one room (each guarded by a test:
is_resolver_failure by tests/server/test_mcp_confirmation.py, an answer that does not fit).

Anything here reads what the SDK does not promise: when an SDK upgrade changes it, the test
beside it fails and names this module.
"""

from __future__ import annotations

from mcp.server.mcpserver.exceptions import ToolError

__all__ = ["is_resolver_failure"]

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

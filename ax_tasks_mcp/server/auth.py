"""Guarding the HTTP transport: loopback detection and a static bearer token.

The token is compared in constant time; requests without it get 401 with a
``WWW-Authenticate: Bearer`` challenge and never reach the MCP app.  OAuth discovery paths
(``/.well-known/...``) answer 404 to everyone: this server has no authorization server, and a
401 there sends clients such as the MCP Inspector into an OAuth flow that cannot succeed.
Lifespan events pass through untouched.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["BearerTokenMiddleware", "is_loopback"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DISCOVERY_PREFIX = "/.well-known/"


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class BearerTokenMiddleware:
    """ASGI middleware: every HTTP request must carry ``Authorization: Bearer <token>``."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        if not token:
            raise ValueError("an empty bearer token would let anyone in")
        self._app = app
        self._token = token.encode("utf-8")

    def _authorized(self, scope: Scope) -> bool:
        for key, value in scope.get("headers", ()):
            if key.lower() == b"authorization":
                scheme, _, credentials = bytes(value).partition(b" ")
                if scheme.lower() == b"bearer":
                    return hmac.compare_digest(credentials.strip(), self._token)
                return False
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(DISCOVERY_PREFIX):
            await _answer(send, 404, {"error": "not_found"}, [])
            return
        if scope["type"] not in ("http", "websocket") or self._authorized(scope):
            await self._app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await _answer(
            send,
            401,
            {
                "error": "invalid_token",
                "error_description": "Missing or wrong bearer token for this MCP server.",
            },
            [(b"www-authenticate", b'Bearer realm="ax-tasks-mcp"')],
        )


async def _answer(
    send: Send, status: int, content: dict[str, str], headers: list[tuple[bytes, bytes]]
) -> None:
    body = json.dumps(content).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})

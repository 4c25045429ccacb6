"""One line on stderr per request the served sandbox answers (``serve --access-log``).

``sandbox: GET /v2/tasks?space_id=... 200``: what a command sent, as the server saw it; the
tests count these lines to show what reached the server.  Headers are never written.
"""

from __future__ import annotations

import sys
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["AccessLog", "with_access_log"]


class AccessLog:
    """ASGI middleware writing one line per HTTP request once its answer has started."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        target = scope.get("path", "") + (f"?{query}" if query else "")

        async def logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                line = f"sandbox: {scope.get('method', '?')} {target} {message['status']}"
                print(line, file=sys.stderr, flush=True)
            await send(message)

        await self.app(scope, receive, logged)


def with_access_log(app: Any, enabled: bool) -> Any:
    return AccessLog(app) if enabled else app

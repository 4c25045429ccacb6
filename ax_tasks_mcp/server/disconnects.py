"""A client that hangs up on a tool call over HTTP cancels it, on both protocols.

On 2026-07-28 the SDK cancels a request whose HTTP connection closes.  On the handshake-era
transport a request lives in its session, not its connection: a client that disconnects in the
middle of ``wait_for_task_run`` would leave the server polling the API for up to an hour, for an
answer no one can receive (this server keeps no event store to replay it).  This ASGI middleware
watches each POST that carries a session's ``tools/call``; when its connection closes before the
answer is complete, it tells the session ``notifications/cancelled`` for that request, as the
client itself could, and the SDK cancels the call: a wait stops at once, between polls or in
one, and a write already sent is let finish (calls.py), so nothing is left half-known.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Final

__all__ = ["CancelOnDisconnect"]

Message = MutableMapping[str, Any]
ASGIApp = Callable[[Message, Any, Any], Awaitable[None]]

_SESSION: Final = b"mcp-session-id"
_FORWARDED: Final = frozenset({b"content-length", b"accept", b"content-type"})


class CancelOnDisconnect:
    """ASGI middleware: a session's tools/call whose connection closes early is cancelled."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Message, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or not _has_session(scope):
            await self._app(scope, receive, send)
            return
        body = await _read_body(receive)
        request_id = _tool_call_id(body)
        state = {"replayed": False, "answered": False}

        async def replay() -> Message:
            if not state["replayed"]:
                state["replayed"] = True
                return {"type": "http.request", "body": body, "more_body": False}
            message: Message = await receive()
            hung_up = message["type"] == "http.disconnect" and not state["answered"]
            if hung_up and request_id is not None:
                await self._cancel(scope, request_id)
            return message

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                state["answered"] = True
            await send(message)

        await self._app(scope, replay, watch)

    async def _cancel(self, scope: Message, request_id: Any) -> None:
        """Send the session ``notifications/cancelled`` for ``request_id``, as its client would."""
        note = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "notifications/cancelled",
                "params": {"requestId": request_id, "reason": "The client disconnected."},
            }
        ).encode()
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in _FORWARDED]
        headers += [
            (b"content-type", b"application/json"),
            (b"accept", b"application/json, text/event-stream"),
            (b"content-length", str(len(note)).encode()),
        ]
        sent = {"note": False}

        async def receive_note() -> Message:
            if not sent["note"]:
                sent["note"] = True
                return {"type": "http.request", "body": note, "more_body": False}
            return {"type": "http.disconnect"}

        async def discard(message: Message) -> None:
            return None

        await self._app({**scope, "headers": headers}, receive_note, discard)


def _has_session(scope: Message) -> bool:
    return any(name.lower() == _SESSION for name, _ in scope.get("headers", ()))


async def _read_body(receive: Any) -> bytes:
    body = b""
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return body
        body += bytes(message.get("body", b""))
        if not message.get("more_body", False):
            return body


def _tool_call_id(body: bytes) -> Any:
    """The id of the one tools/call request ``body`` holds, else None."""
    try:
        message = json.loads(body)
    except ValueError:
        return None
    if isinstance(message, dict) and message.get("method") == "tools/call":
        return message.get("id")
    return None

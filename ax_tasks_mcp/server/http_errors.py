"""Protocol errors over HTTP in plain words.

The SDK's handshake-era transport answers a body that is not one JSON-RPC message (a batch, an
object with no method, params that are not an object) with HTTP 400 and pydantic's validation
report as the error message: type names, ``input_value=...`` echoes of the body and links.  This
ASGI middleware gives such an answer one plain line instead, as the 2026-07-28 transport does;
every other answer passes untouched.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Final

__all__ = ["NOT_ONE_MESSAGE", "PlainProtocolErrors"]

Message = MutableMapping[str, Any]
ASGIApp = Callable[[Message, Any, Any], Awaitable[None]]

#: What a client that sent something other than one JSON-RPC message reads.
NOT_ONE_MESSAGE: Final = (
    "The body must be one JSON-RPC message: a JSON object with jsonrpc '2.0', a method, an id"
    " for a request, and params, when given, as an object. Batches are not accepted."
)
_INVALID_REQUEST: Final = -32600
_PYDANTIC_REPORT: Final = "Validation error:"
_LARGEST_ERROR: Final = 64_000  # bytes of an error body worth reading; more passes as it is


class PlainProtocolErrors:
    """ASGI middleware: a 400 whose JSON-RPC error is a validation report becomes one line."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Message, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        held: list[Message] = []

        async def send_plainly(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 400:
                held.append(message)  # the body decides: hold the start until it comes
                return
            if not held:
                await send(message)
                return
            held.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                for part in _plain(held):
                    await send(part)
                held.clear()

        await self._app(scope, receive, send_plainly)


def _plain(held: list[Message]) -> list[Message]:
    """The held 400 as it was, or with its validation report replaced by one line."""
    start, bodies = held[0], held[1:]
    body = b"".join(part.get("body", b"") for part in bodies)
    if len(body) > _LARGEST_ERROR:
        return held
    try:
        answer = json.loads(body)
        report = answer["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return held
    if not isinstance(report, str) or not report.startswith(_PYDANTIC_REPORT):
        return held
    answer["error"] = {"code": _INVALID_REQUEST, "message": NOT_ONE_MESSAGE}
    plain = json.dumps(answer, separators=(",", ":")).encode()
    headers = [
        (name, value)
        for name, value in start.get("headers", [])
        if name.lower() != b"content-length"
    ]
    headers.append((b"content-length", str(len(plain)).encode()))
    return [
        {**start, "headers": headers},
        {"type": "http.response.body", "body": plain, "more_body": False},
    ]

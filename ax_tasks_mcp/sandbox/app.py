"""The sandbox as an ASGI (Starlette) app: a thin async wrapper over Sandbox.handle."""

from __future__ import annotations

import math
import os
import re

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response as StarletteResponse
from starlette.types import Receive, Scope, Send

from .clock import Clock
from .core import Response, Sandbox
from .faults import FaultConfig, FaultInjector

_HANG_POLL = 0.1
#: The scheme and authority of a request target in absolute form (``http://host:port``).
_ABSOLUTE_FORM = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")


def _origin_form(scope: Scope) -> Scope:
    """A request line in absolute form (``GET http://127.0.0.1:8765/v2/spaces HTTP/1.1``, as a
    client that takes the sandbox for a proxy sends it), which an HTTP/1.1 server must accept
    (RFC 9112, section 3.2.2): the path without its scheme and authority.  uvicorn's h11
    protocol passes the whole target on as the path."""
    path = str(scope.get("path", ""))
    found = _ABSOLUTE_FORM.match(path)
    if found is None:
        return scope
    raw = bytes(scope.get("raw_path") or path.encode())
    raw_found = _ABSOLUTE_FORM.match(raw.decode("latin-1"))
    raw_rest = raw[raw_found.end() :] if raw_found is not None else raw
    return {**scope, "path": path[found.end() :] or "/", "raw_path": raw_rest or b"/"}


def create_app(
    db_path: str | os.PathLike[str] | None = None,
    clock: Clock | None = None,
    speed: float | None = None,
    faults: FaultConfig | None = None,
    *,
    future: bool | None = None,
) -> Starlette:
    """An ASGI app serving every operation of openapi/tasks.yaml over the given database.

    speed None reads $AX_TASKS_SANDBOX_SPEED (default 1.0); db_path None reads
    $AX_TASKS_SANDBOX_DB (default: sandbox.db in the user data directory); future None reads
    $AX_TASKS_SANDBOX_FUTURE (the API as a next release might speak it, see future.py).
    """
    sandbox = Sandbox(db_path, clock=clock, speed=speed, future=future)
    injector = FaultInjector(faults or FaultConfig())

    async def endpoint(request: Request) -> StarletteResponse:
        config = injector.config
        body = await request.body()  # first: the hang's disconnect polling must not eat it
        if config.hang:
            answered = await _hang(request, config.hang_seconds)
            if not answered:
                return StarletteResponse(status_code=499)
        if config.latency > 0:
            await anyio.sleep(config.latency)
        fault = injector.decide()
        if fault is not None:
            return _to_starlette(injector.response(fault))
        raw_path = request.scope.get("raw_path") or request.url.path.encode()
        result = await run_in_threadpool(
            sandbox.handle,
            request.method,
            raw_path.decode("latin-1"),
            request.scope.get("query_string", b""),
            [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw],
            body,
        )
        return _to_starlette(result)

    async def every_request(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
            return
        scope = _origin_form(scope)
        response = await endpoint(Request(scope, receive, send))
        await response(scope, receive, send)

    # Routing is the spec's job (Sandbox.handle), so every HTTP request goes to one handler:
    # the router's default, which also takes paths a route pattern would refuse (newlines...).
    # No lifespan hook closes the database: test clients start and stop an app's lifespan
    # many times. app.state.sandbox.close() releases it explicitly.
    app = Starlette()
    app.router.default = every_request
    app.state.sandbox = sandbox
    app.state.faults = injector
    return app


async def _hang(request: Request, seconds: float | None) -> bool:
    """Hold the request; True when it should then be answered (a long delay), False when the
    client went away first."""
    deadline = anyio.current_time() + (math.inf if seconds is None else seconds)
    while anyio.current_time() < deadline:
        if await request.is_disconnected():
            return False
        await anyio.sleep(min(_HANG_POLL, max(0.0, deadline - anyio.current_time())))
    return True


def _to_starlette(result: Response) -> StarletteResponse:
    headers = {k: v for k, v in result.headers if k != "content-length"}
    return StarletteResponse(
        content=result.body or None, status_code=result.status, headers=headers
    )

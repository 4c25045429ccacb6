"""A load balancer in miniature: a real HTTP proxy on 127.0.0.1 that sends each request to the
next backend in turn (no stickiness), streaming the answer back as it comes.

    async with round_robin(["http://127.0.0.1:8001", "http://127.0.0.1:8002"]) as proxy:
        ...  # a client talks to proxy.url; proxy.sent lists the backend of each request

It runs in the test's event loop (uvicorn on a socket bound to port 0), so nothing is left
running when the block ends.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx2
import uvicorn

__all__ = ["RoundRobinProxy", "round_robin"]

Message = MutableMapping[str, Any]
# Hop-by-hop headers, and those the proxy's own HTTP layers set again.
_DROPPED = frozenset(
    {b"host", b"connection", b"keep-alive", b"transfer-encoding", b"content-length"}
)


@dataclass
class RoundRobinProxy:
    backends: list[str]
    url: str = ""
    sent: list[str] = field(default_factory=list)  # the backend of each request, in order
    _client: httpx2.AsyncClient = field(
        default_factory=lambda: httpx2.AsyncClient(timeout=httpx2.Timeout(30, read=300))
    )

    async def __call__(self, scope: Message, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        backend = self.backends[len(self.sent) % len(self.backends)]
        self.sent.append(backend)
        query = scope.get("query_string", b"").decode()
        target = backend + scope["path"] + (f"?{query}" if query else "")
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in _DROPPED]
        request = self._client.build_request(scope["method"], target, headers=headers, content=body)
        upstream = await self._client.send(request, stream=True)
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": upstream.status_code,
                    "headers": [
                        (k, v) for k, v in upstream.headers.raw if k.lower() not in _DROPPED
                    ],
                }
            )
            async for chunk in upstream.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        finally:
            await upstream.aclose()


@asynccontextmanager
async def round_robin(backends: list[str]) -> AsyncIterator[RoundRobinProxy]:
    """A proxy on 127.0.0.1 (a free port) over ``backends`` (base URLs), for the block."""
    proxy = RoundRobinProxy([b.rstrip("/") for b in backends])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    proxy.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = uvicorn.Server(
        uvicorn.Config(proxy, log_level="warning", lifespan="off", access_log=False)
    )
    try:
        async with anyio.create_task_group() as tg:
            # The socket listens already: a client that connects first waits in its backlog.
            tg.start_soon(server.serve, [sock])
            try:
                yield proxy
            finally:
                server.should_exit = True
    finally:
        await proxy._client.aclose()
        sock.close()

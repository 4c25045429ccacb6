"""Driving an ASGI app's lifespan in a test, as a server would: startup before the block,
shutdown after (the MCP app's session manager runs in between)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio

__all__ = ["lifespan"]


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    to_app, from_test = anyio.create_memory_object_stream[dict[str, Any]](4)
    to_test, from_app = anyio.create_memory_object_stream[dict[str, Any]](4)

    async def run() -> None:
        await app({"type": "lifespan", "asgi": {"version": "3.0"}}, from_test.receive, to_test.send)

    async with to_app, from_test, to_test, from_app, anyio.create_task_group() as tg:
        tg.start_soon(run)
        await to_app.send({"type": "lifespan.startup"})
        started = await from_app.receive()
        assert started["type"] == "lifespan.startup.complete", started
        try:
            yield
        finally:
            await to_app.send({"type": "lifespan.shutdown"})
            with anyio.fail_after(10):
                await from_app.receive()

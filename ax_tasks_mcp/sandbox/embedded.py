"""The sandbox inside the client's process: an httpx transport with no server and no event loop.

Every request goes through the same Sandbox.handle as the HTTP server, on the same SQLite file,
so a sequence of separate processes (create, trigger, wait) sees one consistent service.
"""

from __future__ import annotations

import os
import time

import httpx

from .clock import Clock
from .core import Response, Sandbox
from .faults import FaultConfig, FaultInjector

#: Seconds to wait for another process's lock when the request names no timeout.
LOCK_WAIT = 30.0


class SandboxTransport(httpx.BaseTransport):
    """An httpx.BaseTransport answered in-process by a Sandbox."""

    def __init__(self, sandbox: Sandbox, faults: FaultConfig | None = None) -> None:
        self.sandbox = sandbox
        self.faults = FaultInjector(faults or FaultConfig())

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        # Another process's lock is waited for no longer than the client waits for an answer.
        self.sandbox.store.wait_for_locks(_read_timeout(request))
        config = self.faults.config
        if config.hang:
            self._hang(request, config.hang_seconds)
        if config.latency > 0:
            time.sleep(config.latency)
        fault = self.faults.decide()
        if fault is not None:
            return _to_httpx(self.faults.response(fault), request)
        raw = request.url.raw_path.decode("ascii")
        path, _, query = raw.partition("?")
        result = self.sandbox.handle(
            request.method, path, query, request.headers.multi_items(), body
        )
        return _to_httpx(result, request)

    @staticmethod
    def _hang(request: httpx.Request, seconds: float | None) -> None:
        timeouts = request.extensions.get("timeout", {})
        read = timeouts.get("read") if isinstance(timeouts, dict) else None
        waits = [w for w in (read, seconds) if w is not None]
        if not waits:
            while True:  # no timeout anywhere: hang for good, as a dead server would
                time.sleep(3600)
        time.sleep(min(waits))
        if read is not None and (seconds is None or read <= seconds):
            raise httpx.ReadTimeout("the sandbox is hanging (injected fault)", request=request)

    def close(self) -> None:
        self.sandbox.close()


def _read_timeout(request: httpx.Request) -> float:
    timeouts = request.extensions.get("timeout", {})
    read = timeouts.get("read") if isinstance(timeouts, dict) else None
    return float(read) if isinstance(read, int | float) else LOCK_WAIT


def _to_httpx(result: Response, request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        status_code=result.status, headers=result.headers, content=result.body, request=request
    )


def embedded_transport(
    db_path: str | os.PathLike[str] | None = None,
    clock: Clock | None = None,
    speed: float | None = None,
    *,
    faults: FaultConfig | None = None,
    future: bool | None = None,
) -> httpx.BaseTransport:
    """A synchronous httpx transport over a sandbox on db_path (default: the user's file);
    future None reads $AX_TASKS_SANDBOX_FUTURE."""
    return SandboxTransport(Sandbox(db_path, clock=clock, speed=speed, future=future), faults)

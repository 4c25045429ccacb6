"""Serving the sandbox over HTTP with uvicorn, in the foreground or on a background thread."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
import sys
import threading
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import uvicorn

    from .clock import Clock
    from .faults import FaultConfig
    from .keys import Keys

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


class RemoteHostRefused(ValueError):
    """A host beyond loopback was asked for without allowing it: the sandbox takes any key."""

    def __init__(self, host: str) -> None:
        super().__init__(
            f"refusing to serve the sandbox on {host!r}: it accepts any API key, so it serves "
            "on a loopback address only (127.0.0.1 or ::1)."
        )
        self.host = host


class PortUnavailable(OSError):
    """The address to listen on is taken (or not ours to take)."""

    def __init__(self, host: str, port: int, error: OSError) -> None:
        why = error.strerror or str(error)
        super().__init__(f"cannot listen on {_url_host(host)}:{port}: {why}")
        self.host = host
        self.port = port
        self.why = why


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound and listening on host:port, or :class:`PortUnavailable`."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise PortUnavailable(host, port, exc) from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise PortUnavailable(host, port, exc) from None
    return sock


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _server(
    host: str,
    port: int,
    *,
    db_path: str | os.PathLike[str] | None,
    faults: FaultConfig,
    speed: float | None,
    clock: Clock | None,
    allow_remote: bool,
    log_level: str,
    future: bool | None = None,
    keys: Keys | None = None,
    access_log: bool = False,
) -> uvicorn.Server:
    if not allow_remote and not is_loopback(host):
        raise RemoteHostRefused(host)
    import uvicorn

    from .app import create_app

    app: Any = create_app(db_path, clock=clock, speed=speed, faults=faults, future=future)
    if keys is not None and keys.checked:
        from .keys import KeyGate

        app = KeyGate(app, keys)
    from .access_log import with_access_log

    app = with_access_log(app, access_log)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=2,
    )
    return uvicorn.Server(config)


def _bound_port(server: uvicorn.Server) -> int:
    for listener in server.servers:
        for sock in listener.sockets:
            return int(sock.getsockname()[1])
    raise RuntimeError("the server has no listening socket")


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    db_path: str | os.PathLike[str] | None = None,
    fault_rate: float = 0.0,
    latency: float = 0.0,
    hang: bool = False,
    speed: float | None = None,
    *,
    allow_remote: bool = False,
    fault_seed: int | None = None,
    hang_seconds: float | None = None,
    log_level: str = "warning",
    future: bool | None = None,
    api_key: str | None = None,
    read_only_key: str | None = None,
    access_log: bool = False,
) -> None:
    """Serve until interrupted; prints "sandbox listening on http://HOST:PORT" to stderr
    (and, with ``access_log``, one line per request: ``sandbox: GET /v2/tasks 200``).

    Raises :class:`RemoteHostRefused` for a host beyond loopback (unless ``allow_remote``),
    :class:`PortUnavailable` when the port is taken, and
    :class:`~ax_tasks_mcp.sandbox.settings.SandboxSettingError` for a setting that cannot work
    (speed, database), all before anything is served.

    speed None reads $AX_TASKS_SANDBOX_SPEED (default 1.0); port 0 picks a free port.
    ``api_key`` / ``read_only_key``: accept only these keys (401 otherwise), the second for
    reading only (403 for a write); by default any non-empty key is accepted.
    """
    from .faults import FaultConfig
    from .keys import Keys

    faults = FaultConfig(
        rate=fault_rate, latency=latency, hang=hang, hang_seconds=hang_seconds, seed=fault_seed
    )
    server = _server(
        host,
        port,
        db_path=db_path,
        faults=faults,
        speed=speed,
        clock=None,
        allow_remote=allow_remote,
        log_level=log_level,
        future=future,
        keys=Keys(api_key, read_only_key),
        access_log=access_log,
    )

    sock = listening_socket(host, port)

    async def run() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            if task.done():
                await task
                return
            await asyncio.sleep(0.005)
        url = f"http://{_url_host(host)}:{_bound_port(server)}"
        print(f"sandbox listening on {url}", file=sys.stderr, flush=True)
        await task

    try:
        asyncio.run(run())
    finally:
        sock.close()
    if not server.started:
        raise SystemExit(1)


class BackgroundServer:
    """The sandbox on a loopback port in a background thread, for tests and demos.

    ``with BackgroundServer(db_path=...) as server: httpx.get(server.url + "/v2/tasks", ...)``
    """

    def __init__(
        self,
        db_path: str | os.PathLike[str] | None = None,
        *,
        host: str = DEFAULT_HOST,
        port: int = 0,
        clock: Clock | None = None,
        speed: float | None = None,
        faults: FaultConfig | None = None,
        future: bool | None = None,
        keys: Keys | None = None,
    ) -> None:
        from .faults import FaultConfig

        self.server = _server(
            host,
            port,
            db_path=db_path,
            faults=faults or FaultConfig(),
            speed=speed,
            clock=clock,
            allow_remote=False,
            log_level="warning",
            future=future,
            keys=keys,
        )
        self.host = host
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://{_url_host(self.host)}:{_bound_port(self.server)}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = 10.0) -> BackgroundServer:
        def target() -> None:
            try:
                asyncio.run(self.server.serve())
            except BaseException as exc:  # reported by start()
                self._error = exc

        self._thread = threading.Thread(target=target, name="ax-tasks-sandbox", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the sandbox server failed to start") from self._error
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError("the sandbox server did not start in time")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<BackgroundServer {'running' if self.running else 'stopped'}>"

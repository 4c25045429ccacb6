"""Benchmark servers: a loopback sandbox process, and a reverse proxy that counts requests."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import unquote

import httpx
from bench_harness import AUTH, ROOT, stop_process

_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
        "host",
        "content-length",
        "content-encoding",
        "date",
        "server",
    }
)
_LISTENING = re.compile(r"sandbox listening on (http://\S+)")


class SandboxServer:
    """``python -m ax_tasks_mcp.sandbox serve`` on a free loopback port, stopped by its pid."""

    def __init__(self, db: Path, log: Path, env: dict[str, str], *extra: str) -> None:
        self.db = db
        self.log = log
        self.env = env
        self.extra = extra
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def __enter__(self) -> SandboxServer:
        argv = [sys.executable, "-m", "ax_tasks_mcp.sandbox", "serve", "--host", "127.0.0.1"]
        argv += ["--port", "0", "--db", str(self.db), *self.extra]
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                argv, env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=ROOT
            )
        try:
            self._wait_ready(timeout=60.0)
        except BaseException:
            stop_process(self.proc)
            raise
        return self

    def _wait_ready(self, timeout: float) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the sandbox exited: {self.log.read_text()[-2000:]}")
            found = _LISTENING.search(self.log.read_text(errors="replace"))
            if found:
                self.url = found.group(1)
                with contextlib.suppress(httpx.HTTPError):
                    answer = httpx.get(f"{self.url}/v2/spaces?limit=1", headers=AUTH, timeout=2)
                    if answer.status_code == 200:
                        return
            time.sleep(0.05)
        raise RuntimeError(f"the sandbox did not start within {timeout:g}s")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.proc is not None:
            stop_process(self.proc)


@dataclass(frozen=True)
class Hit:
    at: float
    method: str
    path: str
    """The decoded path without the query."""


class _LoopbackServer:
    """A ThreadingHTTPServer on 127.0.0.1, served by a thread for the ``with`` block."""

    def _listen(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def close(self) -> None:
        """Anything else to release when the block ends."""

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)
        self.close()


class CountingProxy(_LoopbackServer):
    """A loopback reverse proxy that records every request it forwards."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.client = httpx.Client(timeout=httpx.Timeout(60.0), follow_redirects=False)
        self._hits: list[Hit] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                proxy.record(self.command, self.path)
                headers = [(k, v) for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP]
                try:
                    answer = proxy.client.request(
                        self.command, proxy.upstream + self.path, headers=headers, content=body
                    )
                except httpx.HTTPError as exc:
                    data = f"proxy: {type(exc).__name__}".encode()
                    self.send_response(502)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                self.send_response(answer.status_code)
                for key, value in answer.headers.multi_items():
                    if key.lower() not in _HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def do_GET(self) -> None:
                self._forward()

            def do_POST(self) -> None:
                self._forward()

            def do_PATCH(self) -> None:
                self._forward()

            def do_PUT(self) -> None:
                self._forward()

            def do_DELETE(self) -> None:
                self._forward()

        self._listen(Handler)

    def record(self, method: str, raw_path: str) -> None:
        hit = Hit(time.time(), method.upper(), unquote(raw_path.split("?", 1)[0]))
        with self._lock:
            self._hits.append(hit)

    def mark(self) -> int:
        with self._lock:
            return len(self._hits)

    def since(self, mark: int) -> list[Hit]:
        with self._lock:
            return list(self._hits[mark:])

    def close(self) -> None:
        self.client.close()


class OtlpSink(_LoopbackServer):
    """A loopback OTLP/HTTP trace endpoint that accepts every export and counts them (what a
    collector costs the exporter, without a collector)."""

    def __init__(self) -> None:
        self.requests = 0
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                sink.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")  # an empty ExportTraceServiceResponse
                self.end_headers()

        self._listen(Handler)

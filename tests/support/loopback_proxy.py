"""A small forward proxy on loopback, run as its own process, for the proxy tests.

``python -m tests.support.loopback_proxy --log FILE --upstream PORT [--auth USER:PASS]
[--tls-cert CERT --tls-key KEY]`` listens on 127.0.0.1 (a free port, printed as
``proxy listening on PORT``) and writes one line per request it receives to FILE
(``CONNECT api.arize.com:443`` or ``GET http://127.0.0.1:5555/v2/spaces``):

* absolute-form requests (plain http) are forwarded to ``127.0.0.1:UPSTREAM``;
* ``CONNECT`` (https) is answered 200, then the tunnel is opened with the given certificate,
  as a company proxy that inspects TLS does, and its requests go to the same upstream; without
  a certificate a ``CONNECT`` is refused with 502;
* with ``--auth``, a request without that ``Proxy-Authorization`` gets 407.

:class:`LoopbackProxy` starts it, waits until it listens and stops it by its pid.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import os
import re
import socket
import socketserver
import ssl
import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[2]
_LISTENING = re.compile(rb"proxy listening on (\d+)")
_LINE_LIMIT = 65536


def _pipe(source: socket.socket, target: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while chunk := source.recv(65536):
            target.sendall(chunk)
    with contextlib.suppress(OSError):
        target.shutdown(socket.SHUT_WR)


def _relay(client: socket.socket, upstream: socket.socket, head: bytes) -> None:
    """Send ``head`` (and whatever the client sends next) upstream, the answer back."""
    upstream.sendall(head)
    back = threading.Thread(target=_pipe, args=(upstream, client), daemon=True)
    back.start()
    _pipe(client, upstream)
    back.join(30)


class _Handler(socketserver.StreamRequestHandler):
    server: _ProxyServer

    def handle(self) -> None:
        line = self.rfile.readline(_LINE_LIMIT).decode("latin-1").rstrip("\r\n")
        headers: list[str] = []
        while (header := self.rfile.readline(_LINE_LIMIT).decode("latin-1")) not in (
            "\r\n",
            "\n",
            "",
        ):
            headers.append(header.rstrip("\r\n"))
        method, target, _version = [*line.split(" "), "", ""][:3]
        self.server.log(f"{method} {target}")
        if not self._authorised(headers):
            self.server.log("407")
            self._answer(
                "407 Proxy Authentication Required", 'Proxy-Authenticate: Basic realm="test"'
            )
            return
        if method == "CONNECT":
            self._tunnel()
        else:
            self._forward(method, target, headers)

    def _authorised(self, headers: list[str]) -> bool:
        if self.server.auth is None:
            return True
        wanted = "Basic " + base64.b64encode(self.server.auth.encode()).decode()
        return any(
            h.split(":", 1)[0].strip().lower() == "proxy-authorization"
            and h.split(":", 1)[1].strip() == wanted
            for h in headers
            if ":" in h
        )

    def _answer(self, status: str, *headers: str) -> None:
        lines = [f"HTTP/1.1 {status}", *headers, "Content-Length: 0", "Connection: close", ""]
        self.wfile.write(("\r\n".join(lines) + "\r\n").encode())
        self.wfile.flush()

    def _upstream(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.server.upstream), timeout=30)

    def _forward(self, method: str, target: str, headers: list[str]) -> None:
        path = "/" + target.split("://", 1)[-1].partition("/")[2]
        kept = [h for h in headers if not h.lower().startswith(("proxy-", "connection:"))]
        head = "\r\n".join([f"{method} {path} HTTP/1.1", *kept, "Connection: close", "", ""])
        body = b""
        length = next(
            (int(h.split(":", 1)[1]) for h in kept if h.lower().startswith("content-length:")), 0
        )
        if length:
            body = self.rfile.read(length)
        with self._upstream() as upstream:
            _relay(self.connection, upstream, head.encode("latin-1") + body)

    def _tunnel(self) -> None:
        context = self.server.tls
        if context is None:
            self._answer("502 Bad Gateway")
            return
        self._answer_tunnel()
        with context.wrap_socket(self.connection, server_side=True) as tls:
            tls.settimeout(30)
            with self._upstream() as upstream:
                _relay(tls, upstream, b"")

    def _answer_tunnel(self) -> None:
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()


class _ProxyServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, log_path: Path, upstream: int, auth: str | None, tls: ssl.SSLContext | None
    ) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.log_path = log_path
        self.upstream = upstream
        self.auth = auth
        self.tls = tls
        self._lock = threading.Lock()

    def log(self, text: str) -> None:
        with self._lock, self.log_path.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="loopback_proxy")
    parser.add_argument("--log", type=Path, required=True)
    parser.add_argument("--upstream", type=int, required=True)
    parser.add_argument("--auth", default=None)
    parser.add_argument("--tls-cert", default=None)
    parser.add_argument("--tls-key", default=None)
    args = parser.parse_args(argv)
    tls = None
    if args.tls_cert:
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    with _ProxyServer(args.log, args.upstream, args.auth, tls) as server:
        print(f"proxy listening on {server.server_address[1]}", flush=True)
        server.serve_forever()


class LoopbackProxy:
    """The proxy as a child process: ``with LoopbackProxy(log, upstream=port) as proxy:``."""

    def __init__(
        self,
        log: Path,
        *,
        upstream: int,
        auth: str | None = None,
        tls: tuple[Path, Path] | None = None,
    ) -> None:
        self.log = log
        argv = [sys.executable, "-m", "tests.support.loopback_proxy", "--log", str(log)]
        argv += ["--upstream", str(upstream)]
        if auth is not None:
            argv += ["--auth", auth]
        if tls is not None:
            argv += ["--tls-cert", str(tls[0]), "--tls-key", str(tls[1])]
        self.argv = argv
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def lines(self) -> list[str]:
        """What the proxy received so far, one line per request."""
        if not self.log.exists():
            return []
        return self.log.read_text(encoding="utf-8").splitlines()

    def start(self) -> LoopbackProxy:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.proc = subprocess.Popen(
            self.argv, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=ROOT, env=env
        )
        assert self.proc.stdout is not None
        first = self.proc.stdout.readline()  # blocks until it listens, or it died
        found = _LISTENING.search(first)
        if found is None:
            self.stop()
            raise RuntimeError(f"the proxy did not start: {first!r}")
        self.port = int(found.group(1))
        return self

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            if self.proc.stdout is not None:
                self.proc.stdout.close()
            self.proc = None

    def __enter__(self) -> LoopbackProxy:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


if __name__ == "__main__":
    main()

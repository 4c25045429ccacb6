"""The sandbox as a real server process on a loopback port, for tests that need one.

``ServedSandbox(db).start(*flags)`` runs ``python -m ax_tasks_mcp.sandbox serve`` on 127.0.0.1,
waits (bounded) until it listens, and ``stop()`` ends it by its pid.  ``restart()`` brings it
back on the same port and database, as after a crash.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import httpx

ROOT = Path(__file__).resolve().parents[2]
_LISTENING = re.compile(r"sandbox listening on (http://\S+)")
START_TIMEOUT = 60.0


class ServedSandbox:
    """One ``serve`` process at a time over one database file."""

    def __init__(self, db: Path, log_dir: Path) -> None:
        self.db = db
        self.log_dir = log_dir
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.flags: tuple[str, ...] = ()
        self._starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.log_dir / f"sandbox-{self._starts}.log"

    def start(self, *flags: str, port: int | None = None) -> ServedSandbox:
        if self.proc is not None and self.proc.poll() is None:
            raise RuntimeError("the sandbox is already running")
        self.flags = flags
        self._starts += 1
        argv = [sys.executable, "-m", "ax_tasks_mcp.sandbox", "serve", "--host", "127.0.0.1"]
        argv += ["--port", str(port if port is not None else 0), "--db", str(self.db), *flags]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ARIZE_", "AX_TASKS_"))}
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=ROOT, env=env
            )
        try:
            self._wait_listening(expect_answers="--hang" not in flags)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_listening(self, *, expect_answers: bool) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the sandbox exited early:\n{self.log_text()}")
            found = _LISTENING.search(self.log_text())
            if found:
                self.port = httpx.URL(found.group(1)).port or 0
                if self._ready(expect_answers):
                    return
            time.sleep(0.02)
        raise RuntimeError(f"the sandbox did not start within {START_TIMEOUT:g}s")

    def _ready(self, expect_answers: bool) -> bool:
        if not expect_answers:  # a hanging server answers nothing: accepting is enough
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 1),
            ):
                return True
            return False
        with contextlib.suppress(httpx.HTTPError):
            answer = httpx.get(
                f"{self.url}/v2/spaces?limit=1",
                headers={"Authorization": "Bearer probe"},
                timeout=2,
            )
            return answer.status_code < 500
        return False

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def kill(self) -> None:
        """Crash it: SIGKILL by pid, no goodbye."""
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM by pid, SIGKILL if it lingers."""
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def restart(self) -> ServedSandbox:
        """Start again on the same port and database (after stop() or kill())."""
        port = self.port
        deadline = time.monotonic() + START_TIMEOUT
        while True:  # the port may take a moment to be free again
            try:
                return self.start(*self.flags, port=port)
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def __enter__(self) -> ServedSandbox:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def cli_env(tmp: Path, **extra: str) -> dict[str, str]:
    """An environment for ``ax-tasks`` subprocesses: no real key, profile or notice."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARIZE_", "AX_TASKS_"))}
    home = tmp / "home"
    home.mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        AX_TASKS_CONFIG_DIR=str(tmp / "config"),
        AX_TASKS_NO_ALPHA_NOTICE="1",
        NO_COLOR="1",
    )
    env.update(extra)
    return env


def ax_tasks() -> list[str]:
    """How to run the CLI as a subprocess (the console script of this environment)."""
    script = Path(sys.executable).parent / "ax-tasks"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from ax_tasks_cli.main import run; run()"]

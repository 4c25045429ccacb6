"""What an HTTP deployment sets beyond the port: its sessions' limits, and the request-state
keys stateless processes share; each from a flag or the environment, checked at start.

* The most open sessions (``--max-sessions``, ``AX_TASKS_MCP_MAX_SESSIONS``; default 1,000) and
  how long an idle one stays open (``--session-idle-timeout``,
  ``AX_TASKS_MCP_SESSION_IDLE_TIMEOUT``; default 600 s).  A session holds about 35 KB, so the
  defaults cap them near 35 MB, and a session a client forgot is closed within ten minutes.
  A full server answers a new one with 503 and ``Retry-After``.
* ``AX_TASKS_MCP_STATE_KEY``: the key (or keys, comma-separated, the first sealing) that seal
  the state a 2026-07-28 confirmation carries between its rounds, so that any of several
  ``--stateless`` processes can finish a confirmation another one asked.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Final

__all__ = [
    "DEFAULT_IDLE_TIMEOUT",
    "DEFAULT_MAX_SESSIONS",
    "IDLE_TIMEOUT_ENV",
    "MAX_SESSIONS_ENV",
    "RETRY_AFTER_SECONDS",
    "STATE_KEY_ENV",
    "RetryAfterWhenFull",
    "SettingProblem",
    "add_session_options",
    "session_limits",
    "state_keys",
]

MAX_SESSIONS_ENV: Final = "AX_TASKS_MCP_MAX_SESSIONS"
IDLE_TIMEOUT_ENV: Final = "AX_TASKS_MCP_SESSION_IDLE_TIMEOUT"
STATE_KEY_ENV: Final = "AX_TASKS_MCP_STATE_KEY"
DEFAULT_MAX_SESSIONS: Final = 1_000
DEFAULT_IDLE_TIMEOUT: Final = 600.0
#: What a full server tells a new client to wait: sessions free up as idle ones time out.
RETRY_AFTER_SECONDS: Final = 30
MIN_STATE_KEY: Final = 32  # characters: what the SDK's AES-GCM key derivation asks for

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]
]


class SettingProblem(ValueError):
    """A session setting that cannot be used; the message names the flag or variable."""


def add_session_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--max-sessions",
        type=int,
        default=None,
        metavar="N",
        help=f"HTTP: most open sessions; more get 503 (default ${MAX_SESSIONS_ENV}, else"
        f" {DEFAULT_MAX_SESSIONS:,})",
    )
    parser.add_argument(
        "--session-idle-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help=f"HTTP: close a session idle this long (default ${IDLE_TIMEOUT_ENV}, else"
        f" {DEFAULT_IDLE_TIMEOUT:.0f})",
    )


def _from_env(name: str, kind: type[int] | type[float]) -> int | float | None:
    text = os.environ.get(name, "").strip()
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise SettingProblem(f"{name} must be a number, not {text[:40]!r}.") from None


def session_limits(args: argparse.Namespace) -> tuple[int, float]:
    """(most open sessions, idle timeout in seconds): the flag, else the variable, else the
    default; a value that is not positive is refused naming where it came from."""
    sessions, where = _chosen(args.max_sessions, "--max-sessions", MAX_SESSIONS_ENV, int)
    if sessions is None:
        sessions = DEFAULT_MAX_SESSIONS
    if sessions < 1:
        raise SettingProblem(f"{where} must be at least 1, not {sessions}.")
    idle, where = _chosen(
        args.session_idle_timeout, "--session-idle-timeout", IDLE_TIMEOUT_ENV, float
    )
    if idle is None:
        idle = DEFAULT_IDLE_TIMEOUT
    if not 0 < idle < float("inf"):
        raise SettingProblem(f"{where} must be a positive number of seconds, not {idle}.")
    return int(sessions), float(idle)


def _chosen(
    given: float | None, flag: str, env: str, kind: type[int] | type[float]
) -> tuple[float | None, str]:
    """(the value, where it came from): the flag's, else the variable's (None: neither)."""
    if given is not None:
        return given, flag
    return _from_env(env, kind), env


def state_keys() -> list[str]:
    """The shared request-state keys from the environment (none: each process has its own)."""
    text = os.environ.get(STATE_KEY_ENV, "")
    keys = [key.strip() for key in text.split(",") if key.strip()]
    for key in keys:
        if len(key) < MIN_STATE_KEY:
            raise SettingProblem(
                f"{STATE_KEY_ENV} needs keys of at least {MIN_STATE_KEY} random characters"
                f" (one has {len(key)}); make one with `openssl rand -hex 32`."
            )
    return keys


class RetryAfterWhenFull:
    """ASGI middleware: a 503 (the session limit reached) tells the client when to retry."""

    def __init__(self, app: ASGIApp, seconds: int = RETRY_AFTER_SECONDS) -> None:
        self._app = app
        self._header = (b"retry-after", str(seconds).encode())

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return

        async def send_with_retry_after(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 503:
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"retry-after" for name, _ in headers):
                    message = {**message, "headers": [*headers, self._header]}
            await send(message)

        await self._app(scope, receive, send_with_retry_after)

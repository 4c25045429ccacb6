"""The MCP server: ``ax-tasks-mcp`` / ``python -m ax_tasks_mcp``.

Serves the task tools (``ax_tasks_mcp.server.tools``) over stdio (the default) or streamable HTTP.
Importing this module is cheap: the MCP SDK is imported only once the arguments are parsed, so
``--help`` and argument errors stay fast and the ``ax-tasks`` CLI can call :func:`main` lazily.

HTTP binds to 127.0.0.1 unless ``--host`` says otherwise, and refuses a non-loopback host
unless a strong bearer token is configured (``AX_TASKS_MCP_TOKEN``, or ``--auth-token``, which
other users can read in the process list); with a token, every request must carry
``Authorization: Bearer <token>`` (401 otherwise; discovery paths answer 404).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ax_tasks_mcp import telemetry
from ax_tasks_mcp.server.sessions import add_session_options

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from ax_tasks_mcp import TasksService
    from ax_tasks_mcp.server.calls import ServiceHandle
    from ax_tasks_mcp.server.tools import TasksMCPServer

__all__ = ["build_server", "http_app", "main", "run"]

PROG = "ax-tasks-mcp"
TOKEN_ENV = "AX_TASKS_MCP_TOKEN"  # noqa: S105 - the variable's name, not a secret
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MCP_PATH = "/mcp"

MIN_TOKEN_LENGTH = 16  # beyond loopback: a token anyone can guess protects nothing
SANDBOX_ENV = "AX_TASKS_SANDBOX"
_YES, _NO = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def build_server(service: TasksService | ServiceHandle, **options: Any) -> TasksMCPServer:
    """The MCP server over ``service`` (tests connect to it in-process with ``mcp.Client``).

    Options are :func:`ax_tasks_mcp.server.tools.build_server`'s: ``read_only``,
    ``toolsets``, ``destructive``, ``sleep``, ``now``, ``stateless``, ``state_keys``.
    """
    from ax_tasks_mcp.server import tools as mcp_tools
    from ax_tasks_mcp.version import __version__

    return mcp_tools.build_server(service, version=__version__, **options)


TOOLSET_NAMES = ("tasks", "runs", "lookups", "plans")


def _toolsets(value: str) -> list[str]:
    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    unknown = [name for name in names if name not in TOOLSET_NAMES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"choose one or more of {','.join(TOOLSET_NAMES)}, comma-separated, not {value!r}"
        )
    return names


class _StdoutFailed(Exception):
    """Stdout could not take the help or the version (a full disk)."""


class _Parser(argparse.ArgumentParser):
    """argparse that says so when stdout cannot take --help or --version, where argparse
    would drop the text and exit 0 as if it had been written."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        stream = sys.stderr if file is None else file
        if not message:
            return
        try:
            stream.write(message)
            getattr(stream, "flush", lambda: None)()
        except OSError as exc:
            _silence(stream)
            if stream is sys.stdout and not isinstance(exc, BrokenPipeError):
                raise _StdoutFailed(exc.strerror or str(exc)) from None


def _silence(stream: Any) -> None:
    """Point a stream that cannot be written at the null device, so the interpreter's last
    flush does not fail again."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)


def help_text(prog: str = PROG) -> str:
    """The server's ``--help``, for a face that shows it otherwise (``ax-tasks help mcp``)."""
    return _parser(prog).format_help()


def _parser(prog: str = PROG) -> argparse.ArgumentParser:
    from ax_tasks_mcp.version import __version__

    parser = _Parser(
        prog=prog,
        description=(
            "MCP server for Arize AX tasks: lets an AI assistant list, create, run, wait for"
            " and delete evaluation and run-experiment tasks. The API key comes from"
            " ARIZE_API_KEY or a profile; --sandbox needs none."
        ),
    )
    parser.add_argument("--version", action="version", version=f"{prog} {__version__}")
    parser.add_argument(
        "--transport",
        choices=("stdio", "http"),
        default="stdio",
        help="stdio (default; for desktop assistants) or streamable HTTP",
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"HTTP: address to bind (default {DEFAULT_HOST}); others need a bearer token",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"HTTP: port to listen on (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--auth-token",
        default=None,
        metavar="TOKEN",
        help=f"HTTP: bearer token every request must carry; prefer ${TOKEN_ENV}, as other"
        " users can read this flag in the process list",
    )
    parser.add_argument(
        "--toolsets",
        type=_toolsets,
        default=list(TOOLSET_NAMES),
        metavar="LIST",
        help="which tools to offer: tasks, runs, lookups, plans, comma-separated (default all)",
    )
    parser.add_argument(
        "--stateless",
        action="store_true",
        help="HTTP: keep no session between requests, so several processes can share one"
        " load balancer (no run subscriptions, no elicitation)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="offer only the tools that read; refuse creating, changing, triggering,"
        " cancelling and deleting",
    )
    parser.add_argument(
        "--no-destructive",
        action="store_true",
        help="leave out the tools that delete tasks and cancel runs, for servers that must"
        " never destroy",
    )
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="use the embedded local sandbox instead of Arize (database: $AX_TASKS_SANDBOX_DB);"
        f" also ${SANDBOX_ENV}=1",
    )
    parser.add_argument("--profile", default=None, help="settings profile to use")
    parser.add_argument("--base-url", default=None, help="API base URL (default: Arize's)")
    parser.add_argument("--space", default=None, help="default space (name or ID)")
    add_session_options(parser)
    parser.add_argument(
        "--log-level",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        default="WARNING",
        help="server log level; logs go to stderr (default WARNING)",
    )
    return parser


def _fail(message: str, prog: str = PROG, code: int = EXIT_USAGE) -> int:
    try:
        print(f"{prog}: error: {message}", file=sys.stderr, flush=True)
    except OSError:  # a stderr that cannot take the message keeps the exit code
        _silence(sys.stderr)
    return code


def _handle(args: argparse.Namespace) -> ServiceHandle:
    """The service the tools use, created lazily: the first tool call pays for it and for the
    HTTP client's imports, so a first tools/list answers without them.  Settings are read now,
    so a configuration error is reported before serving."""
    from ax_tasks_mcp.server.calls import ServiceHandle

    if args.sandbox:
        from ax_tasks_mcp import sandbox_speed

        space = args.space or os.environ.get("ARIZE_SPACE") or None
        # checked before serving, as the CLI checks it, rather than failing every tool call
        speed = sandbox_speed()

        def sandbox() -> TasksService:
            from ax_tasks_mcp import connect

            return connect(sandbox=True, space=space, speed=speed)

        return ServiceHandle(sandbox)

    from ax_tasks_mcp import load_settings

    settings = load_settings(profile=args.profile, base_url=args.base_url, space=args.space)

    def real() -> TasksService:
        from ax_tasks_mcp import connect

        return connect(settings)

    return ServiceHandle(real, secrets=[settings.api_key])


class CannotListen(OSError):
    """The address to serve on is taken, or not ours to take: the message says what to do."""


def _listening_socket(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except BaseException:
        sock.close()
        raise
    return sock


def http_app(
    server: TasksMCPServer,
    *,
    host: str = DEFAULT_HOST,
    stateless: bool = False,
    limits: tuple[int, float] | None = None,
    token: str | None = None,
) -> Any:
    """The ASGI app served over HTTP: the MCP endpoint with its session limits (a full server
    answers 503 with Retry-After), protocol errors in plain words, tool calls cancelled when
    their client hangs up, and the bearer-token guard."""
    from ax_tasks_mcp.server.auth import BearerTokenMiddleware
    from ax_tasks_mcp.server.disconnects import CancelOnDisconnect
    from ax_tasks_mcp.server.http_errors import PlainProtocolErrors
    from ax_tasks_mcp.server.sessions import (
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_MAX_SESSIONS,
        RetryAfterWhenFull,
    )

    max_sessions, idle_timeout = limits or (DEFAULT_MAX_SESSIONS, DEFAULT_IDLE_TIMEOUT)
    app = server.streamable_http_app(
        streamable_http_path=MCP_PATH,
        host=host,
        stateless_http=stateless,
        max_sessions=max_sessions,
        session_idle_timeout=idle_timeout,
    )
    plain = RetryAfterWhenFull(PlainProtocolErrors(CancelOnDisconnect(app)))
    return BearerTokenMiddleware(plain, token) if token else plain


def _serve_http(
    server: TasksMCPServer,
    args: argparse.Namespace,
    token: str | None,
    limits: tuple[int, float],
) -> None:
    import uvicorn

    host, port, level, stateless = args.host, args.port, args.log_level, args.stateless
    asgi = http_app(server, host=host, stateless=stateless, limits=limits, token=token)
    try:
        sock = _listening_socket(host, port)
    except OSError as exc:
        shown_host = f"[{host}]" if ":" in host else host
        raise CannotListen(
            f"cannot listen on {shown_host}:{port}: {exc.strerror or exc}. Stop what holds the"
            " port, or choose another with --port (--port 0 picks a free one)."
        ) from None
    bound_host, bound_port = sock.getsockname()[:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    config = uvicorn.Config(asgi, log_level=level.lower(), lifespan="on", access_log=False)
    print(
        f"{PROG}: serving streamable HTTP at http://{shown}:{bound_port}{MCP_PATH}"
        + (" (bearer token required)" if token else "")
        + (" (stateless)" if stateless else ""),
        file=sys.stderr,
        flush=True,
    )
    uvicorn.Server(config).run(sockets=[sock])


def _token_problem(token: str | None, host: str) -> str | None:
    """Why ``token`` cannot guard a server on ``host`` (None when it can)."""
    from ax_tasks_mcp.server.auth import is_loopback

    if token is not None and token != token.strip():
        return (
            "the bearer token has spaces or line breaks around it, so no client could ever"
            " send it; remove them."
        )
    if is_loopback(host):
        return None
    if not token:
        return (
            f"refusing to serve on {host!r} without a bearer token: anyone who can reach it"
            f" could act with your API key. Set {TOKEN_ENV}, or bind to 127.0.0.1."
        )
    if len(token) < MIN_TOKEN_LENGTH:
        return (
            f"refusing to serve on {host!r} with a bearer token of {len(token)} characters:"
            f" use at least {MIN_TOKEN_LENGTH} random ones (e.g. `openssl rand -hex 32`)."
        )
    return None


def main(argv: Sequence[str] | None = None, *, prog: str = PROG) -> int:
    """Run the server until the client disconnects (stdio) or it is stopped (HTTP).  ``prog``
    is how the help and usage errors name the command (``ax-tasks mcp`` from the CLI)."""
    try:
        args = _parser(prog).parse_args(argv)
    except _StdoutFailed as exc:
        return _fail(f"could not write the output to stdout: {exc}.", prog, EXIT_FAILED)
    token: str | None = args.auth_token or os.environ.get(TOKEN_ENV) or None

    if args.transport == "http":
        if not 0 <= args.port <= 65535:
            return _fail(f"--port must be between 0 and 65535, not {args.port}.", prog)
        if (problem := _token_problem(token, args.host)) is not None:
            return _fail(problem, prog)
        if args.auth_token:
            print(
                f"{PROG}: warning: --auth-token is visible to other users of this machine"
                f" (ps); set {TOKEN_ENV} instead.",
                file=sys.stderr,
            )
    if args.stateless and args.transport != "http":
        return _fail("--stateless applies to --transport http only.", prog)
    sandbox_env = os.environ.get(SANDBOX_ENV, "").strip().lower()
    if sandbox_env not in (*_YES, *_NO):
        return _fail(f"{SANDBOX_ENV} must be 1, true, yes or on (or 0, false, no, off).", prog)
    if args.sandbox and args.base_url:
        return _fail("--sandbox and --base-url cannot be combined.", prog)
    if sandbox_env in _YES and not args.sandbox:
        if args.base_url:
            return _fail(
                f"--base-url names a server, but {SANDBOX_ENV} selects the embedded sandbox;"
                f" unset {SANDBOX_ENV} to use --base-url.",
                prog,
            )
        args.sandbox = True
    from ax_tasks_mcp.server.sessions import SettingProblem, session_limits, state_keys

    try:
        limits = session_limits(args)
        keys = state_keys() if args.transport == "http" else []
    except SettingProblem as exc:
        return _fail(str(exc), prog)

    from ax_tasks_mcp import AxTasksError

    try:
        handle = _handle(args)
    except AxTasksError as exc:
        return _fail(exc.message, prog)

    from ax_tasks_mcp.server.logs import configure_stderr

    # before the SDK installs its own, wrapping handler
    configure_stderr(args.log_level, secrets=[*handle.secrets, token, *keys])
    _start_tracing()
    server = build_server(
        handle,
        read_only=args.read_only,
        toolsets=args.toolsets,
        destructive=not args.no_destructive,
        stateless=args.stateless,
        state_keys=keys,
    )
    if args.stateless:
        from ax_tasks_mcp.server.run_watch import drop_run_subscriptions

        drop_run_subscriptions(server)
    try:
        if args.transport == "http":
            _serve_http(server, args, token, limits)
        else:
            server.run("stdio")
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except CannotListen as exc:
        return _fail(str(exc), prog, EXIT_FAILED)
    except OSError as exc:
        return _fail(f"cannot serve: {exc}", prog)
    finally:
        handle.close()
        telemetry.stop()
    return EXIT_OK


def _start_tracing() -> None:
    """Export traces when OpenTelemetry's variables ask for them (see ax_tasks_mcp.telemetry)."""
    problem = telemetry.start(PROG)
    if problem is not None:
        print(f"{PROG}: warning: traces are not exported: {problem}.", file=sys.stderr)


def run() -> None:
    """Console-script entry point (``ax-tasks-mcp``)."""
    sys.exit(main(sys.argv[1:]))


if __name__ == "__main__":
    run()

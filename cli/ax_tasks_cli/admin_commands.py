"""Commands around the API: the local sandbox (sandbox serve, info, reset) and the MCP server.

The sandbox and the server are imported inside the commands, so the help stays fast.
"""

from typing import Annotated, Any

import typer
from typer.core import TyperCommand

from ax_tasks_cli.app import CONTEXT_SETTINGS
from ax_tasks_cli.errors import PROG, CliProblem, UsageProblem
from ax_tasks_cli.options import Output, command, examples
from ax_tasks_cli.runtime import command_session, get_runtime


class _PortTaken(CliProblem):
    """The port to serve on is taken: exit 1, as a network failure."""

    kind = "port_unavailable"


sandbox_app = typer.Typer(
    name="sandbox",
    help="Run or inspect the local sandbox: an Arize-compatible tasks API on SQLite.",
    rich_markup_mode=None,
    no_args_is_help=True,
    context_settings=CONTEXT_SETTINGS,
)

_SandboxDb = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="PATH",
        help="SQLite file of the sandbox (default: AX_TASKS_SANDBOX_DB, else the user data dir).",
        envvar="AX_TASKS_SANDBOX_DB",
        show_envvar=False,
    ),
]


@sandbox_app.command(
    "serve",
    epilog=examples(
        "ax-tasks sandbox serve --port 8765",
        "ax-tasks --base-url http://127.0.0.1:8765 list --space demo",
        "ax-tasks sandbox serve --api-key my-key --read-only-key reader-key",
    ),
    context_settings=CONTEXT_SETTINGS,
)
def sandbox_serve(
    ctx: typer.Context,
    host: Annotated[
        str,
        typer.Option("--host", metavar="HOST", help="Address to listen on (loopback only)."),
    ] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option(
            "--port", metavar="PORT", min=0, max=65535, help="Port to listen on; 0 picks one."
        ),
    ] = 8765,
    db: _SandboxDb = None,
    speed: Annotated[
        float | None,
        typer.Option(
            "--speed",
            metavar="FACTOR",
            help=(
                "How much faster than real time runs progress (default: AX_TASKS_SANDBOX_SPEED "
                "or 1)."
            ),
        ),
    ] = None,
    fault_rate: Annotated[
        float,
        typer.Option(
            "--fault-rate",
            metavar="RATE",
            min=0.0,
            max=1.0,
            help="Share of requests answered 503 or 429 (fault injection).",
        ),
    ] = 0.0,
    latency: Annotated[
        float,
        typer.Option(
            "--latency", metavar="SECONDS", min=0.0, help="Seconds added to every request."
        ),
    ] = 0.0,
    hang: Annotated[
        bool, typer.Option("--hang", help="Accept requests but answer none (fault injection).")
    ] = False,
    future: Annotated[
        bool,
        typer.Option(
            "--future",
            help=(
                "Answer as a next API release might: extra fields, a new task type and a new "
                "run status (also AX_TASKS_SANDBOX_FUTURE=1)."
            ),
        ),
    ] = False,
    api_key: Annotated[
        str | None,
        typer.Option(
            "--api-key",
            metavar="KEY",
            help="Accept only this API key; any other gets 401 (default: any non-empty key).",
        ),
    ] = None,
    read_only_key: Annotated[
        str | None,
        typer.Option(
            "--read-only-key",
            metavar="KEY",
            help="A key that may only read: its writes get 403 (to rehearse exit code 3).",
        ),
    ] = None,
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log",
            help="Write one line per request on stderr (method, path and query, status).",
        ),
    ] = False,
) -> None:
    """Serve the sandbox over HTTP until interrupted (point --base-url at it)."""
    with command_session(ctx, None, notice=False):
        from ax_tasks_mcp.sandbox.serve import PortUnavailable, RemoteHostRefused, serve
        from ax_tasks_mcp.sandbox.settings import check_speed

        if speed is not None:
            check_speed(speed, "--speed")
        try:
            serve(
                host=host,
                port=port,
                db_path=db,
                fault_rate=fault_rate,
                latency=latency,
                hang=hang,
                speed=speed,
                future=future or None,
                api_key=api_key,
                read_only_key=read_only_key,
                access_log=access_log,
            )
        except RemoteHostRefused as exc:
            raise UsageProblem(f"{exc} Use --host 127.0.0.1 (the default).") from None
        except PortUnavailable as exc:
            raise _PortTaken(
                f"{exc}. Stop what holds the port (another sandbox?), or choose another with "
                "--port (--port 0 picks a free one)."
            ) from None
        # Ctrl-C (uvicorn stops gracefully, then raises it again) reaches command_session:
        # "interrupted.", exit 130, as for every command.


@sandbox_app.command(
    "info",
    epilog=examples("ax-tasks sandbox info", "ax-tasks sandbox info --output json"),
    context_settings=CONTEXT_SETTINGS,
)
def sandbox_info(ctx: typer.Context, db: _SandboxDb = None, output: Output = None) -> None:
    """Show what the sandbox holds (spaces, projects, datasets, evaluators, tasks) with IDs."""
    with command_session(ctx, output, notice=False) as session:
        from ax_tasks_mcp.sandbox.admin import format_info, info

        summary = info(db)
        if session.choice.format == "table" and session.choice.path is None:
            if session.runtime.is_tty("stdout"):
                from ax_tasks_cli.sandbox_info import info_groups

                session.stdout.write(f"sandbox database: {summary['db_path']}\n")
                for title, rows in info_groups(summary):
                    session.stdout.write(f"\n{title}\n")
                    session.printer.many(rows, "sandbox_item")
                return
            session.stdout.write(format_info(summary) + "\n")
        else:
            session.printer.one(summary, "sandbox")


@sandbox_app.command("reset", context_settings=CONTEXT_SETTINGS)
def sandbox_reset(ctx: typer.Context, db: _SandboxDb = None) -> None:
    """Wipe the sandbox's database and seed it again."""
    with command_session(ctx, None, notice=False) as session:
        from ax_tasks_mcp.sandbox.admin import reset

        reset(db)
        session.warn("Sandbox reset to its seed data.")


class _ServerCommand(TyperCommand):
    """``ax-tasks mcp``, whose options are the server's: its help is the server's own, so
    ``ax-tasks help mcp`` says what ``ax-tasks mcp --help`` says."""

    def get_help(self, ctx: Any) -> str:
        from ax_tasks_mcp.server.app import help_text

        return help_text(ctx.command_path).rstrip("\n")


@command(
    "mcp",
    context_settings={**CONTEXT_SETTINGS, "allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
    cls=_ServerCommand,
)
def mcp(ctx: typer.Context) -> None:
    """Run the MCP server for AI assistants. It speaks stdio or HTTP; 'ax-tasks mcp --help'
    lists its options."""
    runtime = get_runtime(ctx)
    argv = list(ctx.args)
    if runtime.sandbox and "--sandbox" not in argv:
        argv.insert(0, "--sandbox")
    if runtime.profile and "--profile" not in argv:
        argv[:0] = ["--profile", runtime.profile]
    if runtime.base_url and "--base-url" not in argv:
        argv[:0] = ["--base-url", runtime.base_url]
    from ax_tasks_mcp.server.app import main

    code = main(argv, prog=f"{PROG} mcp")
    raise typer.Exit(int(code or 0))

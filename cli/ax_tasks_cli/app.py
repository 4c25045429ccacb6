"""The ``ax-tasks`` Typer app: its root group, global options, usage errors and entry point.

The commands live in the ``ax_tasks_cli.*_commands`` modules; ``ax_tasks_cli.main`` registers
them on :data:`app` in the order the help lists them.
"""

import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from ax_tasks_cli import compat, exitcodes
from ax_tasks_cli.errors import PROG, tell
from ax_tasks_cli.runtime import enable_verbose, get_runtime

__all__ = ["CONTEXT_SETTINGS", "app", "run"]

_CLICK_EXCEPTION = "ClickException"
#: The variable the shell sets when it asks for completions (Click's convention).
COMPLETE_VAR = "_AX_TASKS_COMPLETE"


def _is_click_exception(exc: BaseException) -> bool:
    return any(cls.__name__ == _CLICK_EXCEPTION for cls in type(exc).__mro__)


def _output_in(args: Sequence[str]) -> str | None:
    """The -o/--output value in raw arguments, for errors raised before parsing finished."""
    for index, arg in enumerate(args):
        if arg in ("-o", "--output") and index + 1 < len(args):
            return args[index + 1]
        if arg.startswith("--output="):
            return arg.split("=", 1)[1]
    return None


class _AxTasksGroup(TyperGroup):
    """The root command: usage errors become one line and exit 2, never a traceback."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        arglist = list(sys.argv[1:] if args is None else args)
        compat.use_plain_conversion()  # Typer's own when this Typer lacks what it needs
        if COMPLETE_VAR in os.environ:  # the shell asks for completions (``completing``)
            from ax_tasks_cli.completing import complete

            code = complete(self, arglist)
            if standalone_mode:
                sys.exit(code)
            return code

        def run() -> int:
            return self._run(arglist, prog_name, complete_var, windows_expand_args, extra)

        if _tracing_requested():
            from ax_tasks_cli.tracing import traced_command

            code = traced_command(self, arglist, run)
        else:
            code = run()
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(
        self,
        arglist: list[str],
        prog_name: str | None,
        complete_var: str | None,
        windows_expand_args: bool,
        extra: dict[str, Any],
    ) -> int:
        """Parse and run; the exit code (usage errors said in one line)."""
        if (undecodable := _undecodable(arglist)) is not None:
            return _refuse(undecodable, arglist)
        try:
            result = super().main(
                args=arglist,
                prog_name=prog_name or PROG,
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
            return result if isinstance(result, int) and not isinstance(result, bool) else 0
        except typer.Abort:
            tell(sys.stderr, f"{PROG}: aborted.\n")
            return exitcodes.API_ERROR
        except OSError as exc:  # stdout could not take --help or --version
            return _output_failed(exc, arglist)
        except Exception as exc:
            if not _is_click_exception(exc):
                raise
            return _show_usage_error(exc, arglist)


def _undecodable(args: Sequence[str]) -> str | None:
    """Why an argument is not text (its bytes are not UTF-8), or None.  Python keeps such bytes
    as lone surrogates, which no request, file or terminal can carry."""
    for position, arg in enumerate(args, start=1):
        for index, char in enumerate(arg):
            if "\udc80" <= char <= "\udcff":
                byte = ord(char) - 0xDC00
                return (
                    f"Argument {position} is not UTF-8 text: it has the byte 0x{byte:02x} at"
                    f" position {index}. Give names and values as UTF-8."
                )
    return None


def _refuse(message: str, args: Sequence[str]) -> int:
    """A usage problem found before parsing: one line (JSON where errors are), exit 2."""
    from ax_tasks_cli.errors import UsageProblem, show_error

    show_error(sys.stderr, UsageProblem(message), machine=_machine_errors(None, args))
    return exitcodes.USAGE


def _output_failed(exc: OSError, args: Sequence[str]) -> int:
    """Stdout could not take what Click writes itself (help, version): a full disk is one
    line, exit 1, as for a command's output.  (A closed pipe Click ends itself, silently.)"""
    from ax_tasks_cli.errors import show_error
    from ax_tasks_cli.writing import DISK_ERRNOS, silence_stdout, write_failed

    if exc.errno not in DISK_ERRNOS:
        raise exc
    silence_stdout()
    failed = write_failed("stdout", exc)
    show_error(sys.stderr, failed, machine=_machine_errors(None, args))
    return exitcodes.code_for(failed)


def _tracing_requested() -> bool:
    """Whether OpenTelemetry's variables ask for traces (without any, nothing is imported)."""
    if not any(name.startswith("OTEL_") for name in os.environ):
        return False
    from ax_tasks_mcp import telemetry

    return telemetry.requested()


def _where_it_goes(ctx: Any, option: str, path: str, args: Sequence[str]) -> str | None:
    """For an option Click did not expect where it stands, where it goes (None: elsewhere)."""
    from ax_tasks_cli import placement

    if option in placement.GLOBAL_OPTIONS and path != PROG:
        return placement.before_the_command(option, args)
    if path == PROG and ctx is not None:
        return placement.after_the_command(ctx.command, ctx, option, args)
    return None


def _machine_errors(ctx: Any, args: Sequence[str]) -> bool:
    """Whether a usage error is a JSON object, as the command's own errors would be: a
    machine format asked for with -o, or chosen because nothing watches stdout and stderr."""
    from ax_tasks_cli.errors import CliProblem
    from ax_tasks_cli.output import choose_output
    from ax_tasks_cli.runtime import Runtime

    root = ctx.find_root().obj if ctx is not None else None
    runtime = root if isinstance(root, Runtime) else Runtime()
    try:
        choice = choose_output(_output_in(args), stdout_is_tty=runtime.is_tty("stdout"))
    except CliProblem:
        return False
    return choice.machine and (choice.explicit or not runtime.is_tty("stderr"))


def _show_usage_error(exc: Exception, args: Sequence[str]) -> int:
    import json

    code = getattr(exc, "exit_code", exitcodes.USAGE)
    code = code if isinstance(code, int) else exitcodes.USAGE
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
        tell(sys.stderr, ctx.get_help() + "\n")
        return code
    message = str(getattr(exc, "format_message", lambda: str(exc))())
    message = " ".join(message.split())
    path = getattr(ctx, "command_path", PROG) if ctx is not None else PROG
    option = compat.unknown_option(exc)
    if option is not None:
        message = _where_it_goes(ctx, option, path, args) or message
    message = _from_its_variable(exc, args) or message
    if _machine_errors(ctx, args):
        data = {"kind": "usage_error", "message": message, "exit_code": code}
        tell(sys.stderr, json.dumps({"error": data}) + "\n")
    else:
        tell(sys.stderr, f"{path}: error: {message} (see '{path} --help')\n")
    return code


def _from_its_variable(exc: Exception, args: Sequence[str]) -> str | None:
    """A bad value that came from an option's environment variable, not the command line, in
    the words the user typed: ``Invalid value for AX_TASKS_SANDBOX: ...``, not for --sandbox."""
    param = getattr(exc, "param", None)
    variable = getattr(param, "envvar", None)
    opts = getattr(param, "opts", None) or []
    if not isinstance(variable, str) or variable not in os.environ:
        return None
    if any(arg == opt or arg.startswith(f"{opt}=") for arg in args for opt in opts):
        return None
    inner = getattr(exc, "message", None)
    return f"Invalid value for {variable}: {inner}" if isinstance(inner, str) else None


# --------------------------------------------------------------------------------------------
# The application and its global options
# --------------------------------------------------------------------------------------------

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

app = typer.Typer(
    name=PROG,
    cls=_AxTasksGroup,
    help=(
        "Manage Arize AX evaluation tasks and their runs (ALPHA: the tasks API may change "
        "without notice).\n\n"
        "Tasks score spans in a project or evaluate experiment results with LLM-as-judge or "
        "code evaluators; run-experiment tasks run a dataset through a model. Names or IDs are "
        "accepted wherever a task, project, dataset or space is expected."
    ),
    epilog=exitcodes.help_epilog(),
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=False,
    context_settings=CONTEXT_SETTINGS,
)


def _version(value: bool) -> None:
    if value:
        from ax_tasks_mcp.version import __version__

        sys.stdout.write(f"{PROG} {__version__}\n")
        raise typer.Exit()


@app.callback()
def global_options(
    ctx: typer.Context,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            metavar="NAME",
            help="Settings profile to use (ax-tasks profiles.toml, or an ax CLI profile).",
            envvar="ARIZE_PROFILE",
            show_envvar=False,
        ),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            metavar="URL",
            help="API base URL, e.g. https://api.eu-west-1a.arize.com or http://127.0.0.1:8000.",
        ),
    ] = None,
    sandbox: Annotated[
        bool,
        typer.Option(
            "--sandbox",
            help=(
                "Use the embedded local sandbox instead of Arize (no key needed; state in "
                "AX_TASKS_SANDBOX_DB). Also enabled by AX_TASKS_SANDBOX=1."
            ),
            envvar="AX_TASKS_SANDBOX",
            show_envvar=False,
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Diagnostics on stderr (the API key is never shown)."),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Show the version and exit.",
            callback=_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    runtime = get_runtime(ctx)
    # ARIZE_PROFILE is read where the settings are, so that a message names the variable
    runtime.profile = None if _from_environment(ctx, "profile") else profile
    runtime.base_url = base_url
    runtime.sandbox = sandbox
    runtime.sandbox_from_env = sandbox and _from_environment(ctx, "sandbox")
    runtime.verbose = verbose
    if verbose:
        ctx.call_on_close(enable_verbose(runtime))


def _from_environment(ctx: typer.Context, name: str) -> bool:
    """Whether the global option ``name`` took its value from its environment variable."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name == "ENVIRONMENT"


def run() -> None:
    """The console-script entry point (``ax_tasks_cli.main`` imports the commands first)."""
    app()

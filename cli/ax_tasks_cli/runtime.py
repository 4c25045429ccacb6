"""What a command needs from the outside world, and the frame every command runs in.

:class:`Runtime` is the injectable seam: tests hand one to ``CliRunner.invoke(app, ..., obj=...)``
to say which streams are terminals (``is_tty``), which service to use, and the clock/sleep the
service should wait with.  :func:`command_session` wraps a command body: it picks the output
format, shows the ALPHA notice, turns every error into one line (or a JSON object) on stderr
with the documented exit code, and closes the service.

Nothing here imports the service layer at module level: ``--help`` must stay fast.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

import typer

from ax_tasks_cli import exitcodes
from ax_tasks_cli.columns import NOUNS, noun
from ax_tasks_cli.errors import CliProblem, UsageProblem, show_error, tell
from ax_tasks_cli.notice import maybe_show_notice
from ax_tasks_cli.output import OutputChoice, Printer, choose_output
from ax_tasks_cli.writing import ReaderGone, disk_failed, silence_stdout

if TYPE_CHECKING:
    from ax_tasks_cli.progress import Progress
    from ax_tasks_mcp import Page, PlannedRequest, Resource, Settings, TasksService

__all__ = [
    "PROG",
    "Runtime",
    "Session",
    "command_session",
    "default_is_tty",
    "enable_verbose",
    "get_runtime",
]

PROG = "ax-tasks"
_LOGGERS = ("ax_tasks", "ax_tasks_mcp", "httpx")


def default_is_tty(stream: str) -> bool:
    """Whether ``sys.<stream>`` (stdin, stdout or stderr) is a terminal."""
    handle = getattr(sys, stream, None)
    try:
        return bool(handle is not None and handle.isatty())
    except (ValueError, OSError):  # closed or detached
        return False


def terminal_width(stream: str) -> int:
    """The columns of the terminal ``stream`` (stdout or stderr) is on: ``COLUMNS`` first, as
    :func:`shutil.get_terminal_size` reads it, then that stream's own terminal, else 100.  Each
    stream asks its own: the progress line on a terminal's stderr must fit that terminal even
    when stdout goes to a file."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    handle = getattr(sys, f"__{stream}__", None)
    try:
        return os.get_terminal_size(handle.fileno()).columns if handle is not None else 100
    except (AttributeError, ValueError, OSError):  # not a terminal, closed or detached
        return 100


@dataclass
class Runtime:
    """The outside world as commands see it; every field can be replaced in tests."""

    is_tty: Callable[[str], bool] = default_is_tty
    env: Mapping[str, str] | None = None
    """None: ``os.environ`` at the time of use."""
    service_factory: Callable[[Runtime], TasksService] | None = None
    service_options: dict[str, Any] = field(default_factory=dict)
    """Passed to ``connect`` (e.g. clock and sleep; sandbox-only ones are dropped for the
    real API)."""
    terminal_width: Callable[[str], int] = terminal_width
    """The columns of the terminal a stream (``"stdout"`` or ``"stderr"``) is on."""

    # Global options, filled in by the root callback.
    profile: str | None = None
    base_url: str | None = None
    sandbox: bool = False
    sandbox_from_env: bool = False
    """The sandbox was switched on by AX_TASKS_SANDBOX, not by --sandbox."""
    verbose: bool = False
    secrets: list[str] = field(default_factory=list)
    """Values never to print (the API key once settings are loaded)."""

    def environ(self) -> Mapping[str, str]:
        return os.environ if self.env is None else self.env

    def color(self, stream: str) -> bool:
        env = self.environ()
        if "NO_COLOR" in env or env.get("TERM", "") == "dumb":
            return False
        return self.is_tty(stream)

    def live(self, stream: str) -> bool:
        """Whether a line can be redrawn on ``stream``: a terminal, and not a dumb one."""
        return self.is_tty(stream) and self.environ().get("TERM", "") != "dumb"

    def command_prefix(self) -> str:
        """``ax-tasks`` plus the global options needed to repeat a command (for hints)."""
        parts = [PROG]
        if self.sandbox:
            parts.append("--sandbox")
        if self.profile:
            parts += ["--profile", self.profile]
        if self.base_url:
            parts += ["--base-url", self.base_url]
        return " ".join(parts)


def get_runtime(ctx: typer.Context) -> Runtime:
    obj = ctx.find_root().obj
    if isinstance(obj, Runtime):
        return obj
    runtime = Runtime()
    ctx.find_root().obj = runtime
    return runtime


class _Redact(logging.Filter):
    """Masks the API key (and any ``Bearer`` token) in every diagnostic line."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__()
        self._runtime = runtime

    def filter(self, record: logging.LogRecord) -> bool:
        from ax_tasks_mcp import redact

        record.msg = redact(record.getMessage(), self._runtime.secrets)
        record.args = None
        return True


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    def emit(self, record: logging.LogRecord) -> None:
        self.setStream(sys.stderr)
        super().emit(record)


def enable_verbose(runtime: Runtime) -> Callable[[], None]:
    """Diagnostics on stderr for this process; returns the function that undoes it."""
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(name)s: %(levelname)s: %(message)s"))
    handler.addFilter(_Redact(runtime))
    previous: list[tuple[logging.Logger, int]] = []
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        previous.append((logger, logger.level))
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)

    def undo() -> None:
        for logger, level in previous:
            logger.removeHandler(handler)
            logger.setLevel(level)

    return undo


def announce_retries(runtime: Runtime) -> Callable[[], None]:
    """Show each retry on stderr ("GET /v2/spaces: no answer in 30 s; retrying (2/5)…") while
    a command runs; with --verbose the diagnostics already show it, once.  Returns the undo."""
    if runtime.verbose:
        return lambda: None
    logger = logging.getLogger("ax_tasks.retry")
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter(f"{PROG}: %(message)s"))
    handler.addFilter(_Redact(runtime))
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)

    def undo() -> None:
        logger.removeHandler(handler)
        logger.setLevel(level)

    return undo


class Session:
    """One command's view of the runtime: service, settings, printer, prompts, messages."""

    def __init__(self, runtime: Runtime, output: str | None) -> None:
        self.runtime = runtime
        self.output_value = output
        self._choice: OutputChoice | None = None
        self._printer: Printer | None = None
        self._settings: Settings | None = None
        self._service: TasksService | None = None

    # -- streams and terminals -------------------------------------------------------------
    @property
    def stdout(self) -> TextIO:
        return sys.stdout

    @property
    def stderr(self) -> TextIO:
        return sys.stderr

    @property
    def stderr_tty(self) -> bool:
        return self.runtime.is_tty("stderr")

    @property
    def can_prompt(self) -> bool:
        return self.runtime.is_tty("stdin") and self.runtime.is_tty("stderr")

    def say(self, message: str) -> None:
        """A message for the person at the terminal: stderr, and only when it is a terminal."""
        if self.stderr_tty:
            self.warn(message)

    def warn(self, message: str) -> None:
        """A message that always goes to stderr (lost, never a failure, when it cannot be
        written)."""
        tell(self.stderr, message + "\n")

    def confirm(self, question: str) -> bool:
        """Ask on stderr, read a line from stdin; anything but y/yes is no."""
        self.stderr.write(f"{question} [y/N]: ")
        self.stderr.flush()
        answer = sys.stdin.readline()
        if not answer.endswith("\n"):
            self.stderr.write("\n")
        return answer.strip().lower() in ("y", "yes")

    # -- output ----------------------------------------------------------------------------
    @property
    def choice(self) -> OutputChoice:
        if self._choice is None:
            self._choice = choose_output(
                self.output_value, stdout_is_tty=self.runtime.is_tty("stdout")
            )
        return self._choice

    @property
    def printer(self) -> Printer:
        if self._printer is None:
            tty = self.runtime.is_tty("stdout")
            self._printer = Printer(
                self.choice,
                stdout=self.stdout,
                stderr=self.stderr,
                color=self.runtime.color("stdout"),
                width=self.runtime.terminal_width("stdout") if tty else None,
            )
        return self._printer

    def machine_errors(self) -> bool:
        """JSON errors when a machine format was asked for, or chosen with no one watching."""
        try:
            choice = self.choice
        except CliProblem:
            return False
        if not choice.machine:
            return False
        return choice.explicit or not self.stderr_tty

    def print_page(self, page: Page, kind: str) -> None:
        count = self.printer.many(page.items, kind)
        self._after_list(count, kind)
        if page.next_cursor:
            self.warn(
                f"More {noun(kind, 2)}: add --cursor {page.next_cursor} for the next page, "
                "or --all for every page."
            )

    def print_all(self, items: Iterable[Resource], kind: str) -> None:
        """Every item of a list that follows every cursor, counted on the progress line (not
        while JSON or NDJSON streams to the same terminal)."""
        choice = self.choice
        streaming = choice.path is None and choice.format in ("json", "ndjson")
        beside = not (streaming and self.runtime.is_tty("stdout"))
        with self.progress("Reading", unit=kind, live=beside) as progress:
            count = self.printer.many(progress.track(items), kind)
        self._after_list(count, kind)

    def progress(
        self,
        description: str = "",
        *,
        unit: str | None = None,
        total: int | None = None,
        live: bool = True,
    ) -> Progress:
        """A progress line on stderr (see :mod:`ax_tasks_cli.progress`), shown only when stderr
        is a terminal that can redraw it (and ``live`` allows)."""
        from ax_tasks_cli.progress import Progress

        return Progress(
            self.stderr,
            description,
            live=live and self.runtime.live("stderr"),
            color=self.runtime.color("stderr"),
            unit=unit,
            total=total,
            width=lambda: self.runtime.terminal_width("stderr"),
            plural=_plural,
        )

    def _after_list(self, count: int, kind: str) -> None:
        if count == 0 and self.choice.format == "table" and self.choice.path is None:
            self.warn(f"No {noun(kind, 2)} found.")

    def print_planned(self, planned: PlannedRequest) -> None:
        self.printer.planned(planned.method, planned.url, planned.body, planned.notes)
        self.warn("Dry run: nothing was sent.")

    # -- configuration and the service -----------------------------------------------------
    def settings(self) -> Settings:
        if self._settings is None:
            from ax_tasks_mcp import load_settings

            self._settings = load_settings(
                profile=self.runtime.profile,
                base_url=None if self.runtime.sandbox else self.runtime.base_url,
                env=self.runtime.environ(),
            )
            if self._settings.api_key:
                self.runtime.secrets.append(self._settings.api_key)
            log = logging.getLogger("ax_tasks")
            if self.runtime.sandbox:  # no key and no URL: the API is in this process
                log.debug("settings: the embedded sandbox (no network, no API key)")
            else:
                log.debug("settings: %s", self._settings.describe())
        return self._settings

    @staticmethod
    def space(given: str | None) -> str | None:
        """The --space given, or None: the service then applies the default space (profile
        or ARIZE_SPACE)."""
        if given is not None and given.strip():
            return given.strip()
        return None

    def secrets(self) -> tuple[str | None, ...]:
        return tuple(self.runtime.secrets)

    def service(self) -> TasksService:
        if self._service is None:
            runtime = self.runtime
            if runtime.sandbox and runtime.base_url:
                if runtime.sandbox_from_env:
                    raise UsageProblem(
                        "--base-url names a server, but AX_TASKS_SANDBOX is set in the "
                        "environment, which selects the embedded sandbox (it has no URL). Unset "
                        "it (unset AX_TASKS_SANDBOX) to use --base-url."
                    )
                raise UsageProblem(
                    "--sandbox and --base-url do not go together: the embedded sandbox has no "
                    "URL. Drop one of them."
                )
            if runtime.service_factory is not None:
                self._service = runtime.service_factory(runtime)
            else:
                from ax_tasks_mcp import SANDBOX_DB_ENV, connect

                self._service = connect(
                    self.settings(),
                    sandbox=runtime.sandbox,
                    sandbox_db=runtime.environ().get(SANDBOX_DB_ENV, "").strip() or None,
                    **runtime.service_options,
                )
                self.warn_unread()
        return self._service

    def warn_unread(self) -> None:
        """One line per profile file skipped because this command did not need it."""
        for why in self.settings().unread:
            self.warn(f"{PROG}: warning: skipped a profile file this command does not need: {why}")

    def close(self) -> None:
        if self._service is not None:
            service, self._service = self._service, None
            service.close()


#: Commands that may create, change or delete what the Tab key completes.
WRITE_COMMANDS = frozenset(
    {"create", "create-evaluation", "create-run-experiment", "update", "delete", "apply"}
    | {"trigger-run", "cancel-run"}
)


@contextmanager
def command_session(
    ctx: typer.Context, output: str | None = None, *, notice: bool = True
) -> Iterator[Session]:
    """Run a command body: errors become a message and an exit code, never a traceback."""
    runtime = get_runtime(ctx)
    session = Session(runtime, output)
    quiet_retries = announce_retries(runtime)
    try:
        session.choice  # noqa: B018 - a bad --output is a usage error before anything runs
        if notice:
            maybe_show_notice(session.stderr, runtime.environ())
        yield session
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        session.warn(f"{PROG}: interrupted.")
        raise typer.Exit(exitcodes.INTERRUPTED) from None
    except (BrokenPipeError, ReaderGone):  # the reader has what it wanted: not an error
        silence_stdout()
        raise typer.Exit(exitcodes.OK) from None
    except Exception as exc:
        machine = session.machine_errors()
        known = isinstance(exc, CliProblem) or hasattr(exc, "kind")
        if not known:
            exc = disk_failed(exc) or _Unexpected(exc)
        show_error(
            session.stderr,
            exc,
            machine=machine,
            verbose=runtime.verbose,
            secrets=session.secrets(),
        )
        raise typer.Exit(exitcodes.code_for(exc)) from None
    finally:
        session.close()
        quiet_retries()
        if ctx.command.name in WRITE_COMMANDS:  # names the Tab key offers may be new or gone
            from ax_tasks_cli.completion_cache import NameCache

            NameCache.default().mark_stale()


def _plural(word: str, count: int) -> str:
    """A kind's noun ("2 tasks", "1 AI integration"), or the word with an s."""
    if word in NOUNS:
        return noun(word, count)
    return word if count == 1 else word + "s"


class _Unexpected(Exception):
    """A bug or an unforeseen failure, shown in one line (the traceback with --verbose)."""

    kind = "internal_error"

    def __init__(self, cause: Exception) -> None:
        self.cause = cause
        message = f"unexpected {type(cause).__name__}: {cause}"
        super().__init__(message)
        self.message = message.rstrip(".") + ". Re-run with --verbose to see the details."

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message}

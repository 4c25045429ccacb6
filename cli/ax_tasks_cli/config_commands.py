"""``ax-tasks config``: the settings in force, and where each value came from.

Nothing is sent: the command loads the settings the other commands would use and shows them
one per row (a table on a terminal, JSON or YAML with -o). The API key is never shown, only
whether one is set and where it came from.
"""

import re
from typing import Any

import typer

from ax_tasks_cli.options import Output, command
from ax_tasks_cli.runtime import Runtime, Session, command_session

_REGION_URL = re.compile(r"^https://api\.([a-z0-9]+(?:-[a-z0-9]+)*)\.arize\.com$")
_FLAGS = {"profile": "--profile", "base_url": "--base-url"}
_ENV_FLAGS = {"profile": "ARIZE_PROFILE", "sandbox": "AX_TASKS_SANDBOX"}
_SANDBOX_DB_ENV = "AX_TASKS_SANDBOX_DB"
#: A value a profile file that could not be read may hold (its source: where the fault is).
_UNKNOWN = "unknown: file unreadable"


@command("config", "ax-tasks config", "ax-tasks --profile work config --output yaml")
def config(ctx: typer.Context, output: Output = None) -> None:
    """Show the settings in force and where each came from.

    Profile, base URL, region, space, proxy, timeouts, retry budget, the sandbox, tracing
    (OpenTelemetry) and the completion timeout, each with its source: a flag, an environment
    variable, a profile file, or the default. The API key is never shown, only whether one is
    set and where from; a proxy's user and password are masked. Nothing is sent to the API."""
    with command_session(ctx, output, notice=False) as session:
        problems: list[Exception] = []
        rows = settings_rows(ctx, session, problems)
        session.print_all(rows, "setting")
        if problems:  # every setting shown, then exit 2 as a command would
            raise problems[0]
        if not session.runtime.sandbox:  # exit 2 where a command would stop on the file
            session.settings().check_files()
        session.warn_unread()


def settings_rows(
    ctx: typer.Context, session: Session, problems: list[Exception]
) -> list[dict[str, Any]]:
    """One row per setting: its name, the value in force and where that value came from.
    A setting no command could use is said in its row and added to ``problems``."""
    from ax_tasks_cli.completing import timeout_setting
    from ax_tasks_mcp import telemetry

    runtime = session.runtime
    settings = session.settings()

    def source(name: str) -> str:
        found = settings.source(name)
        return _global_option_source(ctx, name) if found == "argument" else found

    sandbox = _global_option_source(ctx, "sandbox") if runtime.sandbox else "default"
    if runtime.sandbox:
        base_url: tuple[Any, str] = ("the embedded sandbox", sandbox)
        api_key: tuple[Any, str] = ("not needed", sandbox)
        proxy: tuple[Any, str] = ("not used (no network)", sandbox)
    else:
        from ax_tasks_mcp import ProxyProblem, choose_proxy

        base_url = (settings.base_url, source("base_url"))
        blank = settings.source("api_key").endswith("(set but blank)")
        shown_key = "set but blank" if blank else "set (hidden)" if settings.api_key else "not set"
        api_key = (shown_key, source("api_key").removesuffix(" (set but blank)"))
        try:
            chosen = choose_proxy(settings.base_url, runtime.environ())
            proxy = (chosen.shown or "none (direct)", chosen.source)
        except ProxyProblem as exc:  # shown in its row; config still exits 2 for it
            where = exc.variable if " " in exc.variable else f"env {exc.variable}"
            proxy = (f"unusable: {exc.reason}", where)
            problems.append(exc)
    region = _REGION_URL.match(str(base_url[0]))
    rows: list[tuple[str, Any, str]] = [
        ("profile", settings.profile or runtime.profile, source("profile")),
        ("api_key", *api_key),
        ("base_url", *base_url),
        ("region", region.group(1) if region else None, base_url[1]),
        ("space", settings.space, source("space")),
        ("proxy", *proxy),
        ("connect_timeout", settings.connect_timeout, source("connect_timeout")),
        ("read_timeout", settings.read_timeout, source("read_timeout")),
        ("max_retries", settings.max_retries, source("max_retries")),
        ("retry_budget", settings.retry_budget, source("retry_budget")),
        ("sandbox", runtime.sandbox, sandbox),
        ("sandbox_db", *_sandbox_db(runtime)),
        ("tracing", *telemetry.status(runtime.environ())),
        ("completion_timeout", *timeout_setting(runtime.environ())),
    ]
    if not runtime.sandbox:  # the sandbox needs neither key nor URL: those rows are known
        unknown = {**settings.unknown, "region": settings.unknown.get("base_url")}
    else:
        unknown = {name: settings.unknown.get(name) for name in ("profile", "space")}
    rows = [
        (name, _UNKNOWN, str(unknown[name])) if unknown.get(name) else (name, value, where)
        for name, value, where in rows
    ]
    return [{"setting": name, "value": value, "source": where} for name, value, where in rows]


def _global_option_source(ctx: typer.Context, name: str) -> str:
    """How a global option got its value: on the command line, or from its variable."""
    given = ctx.find_root().get_parameter_source(name)
    if given is not None and given.name == "ENVIRONMENT" and name in _ENV_FLAGS:
        return f"env {_ENV_FLAGS[name]}"
    return f"flag {_FLAGS.get(name, '--' + name.replace('_', '-'))}"


def _sandbox_db(runtime: Runtime) -> tuple[str, str]:
    """The embedded sandbox's database file (it is created on first use, not here)."""
    given = runtime.environ().get(_SANDBOX_DB_ENV, "").strip()
    if given:
        return given, f"env {_SANDBOX_DB_ENV}"
    import platformdirs

    return f"{platformdirs.user_data_dir('ax-tasks')}/sandbox.db", "default"

"""Every input a new user tried in the field (a proxy, a full disk, a broken profile, a busy
port, a locked or foreign sandbox database, a narrow terminal, a closed pipe, the last round's
list) answers in the CLI's own words: never a traceback, never an ``internal_error``, and the
exit code the table gives.  The behaviours themselves are tested where they live; this runs the
whole list in one place, so a new way to fail shows here."""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ax_tasks_mcp.sandbox import info
from ax_tasks_mcp.sandbox.serve import BackgroundServer
from ax_tasks_mcp.service.connect import TasksService
from tests.cli.conftest import Ax, chatbot_evaluation

SB = "--sandbox"
TASK = "chatbot-hallucination"
CREATE = chatbot_evaluation(TASK)


@dataclass
class Trial:
    """One input: the arguments, the environment, a preparation, the exit code the table
    gives."""

    args: list[str]
    code: int
    env: dict[str, str] = field(default_factory=dict)
    prepare: Callable[[Path, Ax], dict[str, str] | None] | None = None
    tty: bool = False
    factory: Callable[[Ax], Any] | None = None
    width: int = 100
    hold: Callable[[Path], contextlib.AbstractContextManager[dict[str, str]]] | None = None
    """Something held while the command runs (a port, a lock), and the variables it gives."""


def _speed(value: str) -> Trial:
    return Trial([SB, "list", "-s", "demo"], 2, env={"AX_TASKS_SANDBOX_SPEED": value})


def _db(make: Callable[[Path], Path]) -> Callable[[Path, Ax], dict[str, str]]:
    return lambda tmp, ax: {"AX_TASKS_SANDBOX_DB": str(make(tmp))}


def _not_sqlite(tmp: Path) -> Path:
    (tmp / "notes.db").write_text("notes\n", encoding="utf-8")
    return tmp / "notes.db"


def _old_schema(tmp: Path) -> Path:
    info(tmp / "old.db")
    with sqlite3.connect(tmp / "old.db") as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    return tmp / "old.db"


def _broken_profile(tmp: Path, ax: Ax) -> None:
    folder = tmp / "home" / ".arize" / "profiles"
    folder.mkdir(parents=True)
    (folder / "default.toml").write_text('[auth]\napi_key = "unterminated\n', encoding="utf-8")


def _read_only_home(tmp: Path, ax: Ax) -> dict[str, str]:
    (tmp / "a-file").write_text("", encoding="utf-8")
    os.environ.pop("AX_TASKS_SANDBOX_DB", None)
    return {"HOME": str(tmp / "a-file" / "home")}


def _ended_run(tmp: Path, ax: Ax) -> dict[str, str]:
    runs = ax.json(SB, "list-runs", TASK, "-s", "demo", "--status", "completed")
    return {"RUN": runs[0]["id"]}


def _interrupting(ax: Ax) -> Callable[[Any], TasksService]:
    def factory(runtime: Any) -> TasksService:
        service = TasksService.sandbox(os.environ["AX_TASKS_SANDBOX_DB"], **ax.time.options())
        service.wait_for_run = _raise_interrupt  # type: ignore[method-assign]
        return service

    return factory


def _raise_interrupt(*args: Any, **kwargs: Any) -> Any:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _busy_port(tmp: Path) -> Iterator[dict[str, str]]:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield {"PORT": str(holder.getsockname()[1])}


@contextlib.contextmanager
def _locked_db(tmp: Path) -> Iterator[dict[str, str]]:
    db = tmp / "sandbox.db"
    info(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield {"AX_TASKS_READ_TIMEOUT": "0.02"}
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _closed_port() -> int:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port: int = closed.getsockname()[1]
        return port


FUTURE = {"AX_TASKS_SANDBOX_FUTURE": "1"}
KEY = {"ARIZE_API_KEY": "field-trial-key-0123"}

TRIALS: dict[str, Trial] = {
    # the network a company has
    "proxy not listening": Trial(
        ["--base-url", "https://api.arize.com", "get", "T25saW5lVGFzazoxOm9zemE="],
        1,
        env={**KEY, "HTTPS_PROXY": f"http://127.0.0.1:{_closed_port()}"},
    ),
    "proxy shown by config": Trial(["config"], 0, env={"HTTPS_PROXY": "http://u:p@proxy:3128"}),
    # sandbox edges
    **{f"speed {v}": _speed(v) for v in ("inf", "1e308", "abc", "0", "-5", "nan")},
    "db is a folder": Trial([SB, "list", "-s", "demo"], 2, prepare=_db(lambda tmp: tmp)),
    "db is not sqlite": Trial([SB, "list", "-s", "demo"], 2, prepare=_db(_not_sqlite)),
    "db of an old schema": Trial([SB, "list", "-s", "demo"], 2, prepare=_db(_old_schema)),
    "busy port": Trial(["sandbox", "serve", "--port", "$PORT"], 1, hold=_busy_port),
    "locked database": Trial(
        [SB, "update", TASK, "-s", "demo", "--sampling-rate", "0.3"], 1, hold=_locked_db
    ),
    "serve on 0.0.0.0": Trial(["sandbox", "serve", "--host", "0.0.0.0", "--port", "0"], 2),  # noqa: S104
    # configuration and environment
    "broken profile, sandbox": Trial([SB, "spaces"], 0, prepare=_broken_profile),
    "broken profile, key and url": Trial(
        ["--base-url", f"http://127.0.0.1:{_closed_port()}", "spaces"],
        1,
        env={**KEY, "AX_TASKS_RETRY_BUDGET": "0.5"},
        prepare=_broken_profile,
    ),
    "broken profile, needed": Trial(["spaces"], 2, prepare=_broken_profile),
    "read-only home": Trial([SB, "list", "-s", "demo"], 2, prepare=_read_only_home),
    "blank key": Trial(["spaces"], 2, env={"ARIZE_API_KEY": " "}),
    "blank key, config": Trial(["config"], 0, env={"ARIZE_API_KEY": " "}),
    "verbose sandbox": Trial([SB, "-v", "spaces"], 0),
    "credentials in the base url": Trial(
        ["--base-url", "http://user:field-trial-key-0123@127.0.0.1:1", "spaces"], 2, env=KEY
    ),
    "token in the base url": Trial(["--base-url", "http://127.0.0.1:1/?token=t0k", "spaces"], 2),
    # output edges
    "narrow terminal": Trial([SB, "list", "-s", "demo"], 0, tty=True, width=30),
    "empty cursor": Trial([SB, "list", "-s", "demo", "--cursor", ""], 2),
    "quotes in a name": Trial([SB, "get", 'it\'s "quoted"', "-s", "demo"], 4),
    # the last round's list
    "dry-run create, name taken": Trial([*CREATE, "--dry-run"], 1),
    "create, name taken": Trial(CREATE, 1),
    "dry-run cancel, run ended": Trial(
        [SB, "cancel-run", "$RUN", "--dry-run"], 1, prepare=_ended_run
    ),
    "cancel, run ended": Trial([SB, "cancel-run", "$RUN", "--force"], 1, prepare=_ended_run),
    "timeout without wait": Trial([SB, "trigger-run", TASK, "-s", "demo", "--timeout", "-5"], 2),
    "poll interval without wait": Trial(
        [SB, "trigger-run", TASK, "-s", "demo", "--poll-interval", "3"], 2
    ),
    "future status": Trial(
        [SB, "list-runs", "agent-goal-completion", "-s", "research", "--status", "queued"],
        0,
        env=FUTURE,
    ),
    "future type": Trial(
        [SB, "update", "agent-goal-completion", "-s", "research", "--sampling-rate", "0.5"],
        2,
        env=FUTURE,
    ),
    "global option after": Trial(["list", "--sandbox", "-s", "demo"], 2),
    "click error piped": Trial(["list", "--bogus"], 2),
    "mcp help": Trial(["mcp", "--help"], 0),
    "help": Trial(["help", "trigger-run"], 0),
    "ctrl-c while waiting": Trial(
        [SB, "trigger-run", TASK, "-s", "demo", "--wait"], 130, tty=True, factory=_interrupting
    ),
    "nothing new to evaluate": Trial(
        [SB, "trigger-run", "qa-golden-json-check", "-s", "demo", "--wait"], 6
    ),
}


@pytest.mark.parametrize("name", list(TRIALS))
def test_each_field_input_answers_in_the_clis_words(
    name: str, ax: Ax, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trial = TRIALS[name]
    env = dict(trial.env)
    if trial.prepare is not None:
        env.update(trial.prepare(isolated_env, ax) or {})
    with contextlib.ExitStack() as held:
        if trial.hold is not None:
            env.update(held.enter_context(trial.hold(isolated_env)))
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        args = [env.get(arg[1:], arg) if arg.startswith("$") else arg for arg in trial.args]
        if name == "nothing new to evaluate":  # its first run labels everything there is
            ax(*args)
        ax.width = trial.width
        factory = trial.factory(ax) if trial.factory is not None else None
        result = ax(*args, tty=trial.tty, service_factory=factory)
    assert "Traceback" not in result.stderr
    assert "internal_error" not in result.stderr
    assert "unexpected " not in result.stderr
    assert result.exit_code == trial.code, result.stderr
    assert "field-trial-key-0123" not in result.stdout + result.stderr


@pytest.fixture(scope="module")
def served_quietly(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundServer]:
    with BackgroundServer(db_path=tmp_path_factory.mktemp("trial") / "sandbox.db") as server:
        yield server


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("where", "command"),
    [
        ("a full stdout", ["list", "-s", "demo", "--all", "-o", "json"]),
        ("a closed pipe", ["list", "-s", "demo", "--all", "-o", "json"]),
        ("a full stdout", ["export", "--space", "demo"]),  # a command writing stdout itself
    ],
)
def test_output_that_cannot_be_written_answers_in_one_line(
    where: str, command: list[str], served_quietly: BackgroundServer, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARIZE_", "AX_TASKS_"))}
    env.update(ARIZE_API_KEY="k", AX_TASKS_NO_ALPHA_NOTICE="1", HOME=str(tmp_path))
    args = [sys.executable, "-m", "ax_tasks_cli.main", "--base-url", served_quietly.url]
    args += command
    expected = 1
    if where == "a closed pipe":
        read, write = os.pipe()
        os.close(read)
        stdout: Any = write
        expected = 0
    else:
        stdout = open("/dev/full", "w")  # noqa: SIM115 - a device
    try:
        done = subprocess.run(
            args, stdout=stdout, stderr=subprocess.PIPE, text=True, env=env, timeout=60
        )
    finally:
        if isinstance(stdout, int) and stdout > 0:
            os.close(stdout)
        elif hasattr(stdout, "close"):
            stdout.close()
    assert done.returncode == expected, done.stderr
    assert "Traceback" not in done.stderr
    assert "Exception ignored" not in done.stderr
    assert len(done.stderr.strip().splitlines()) <= 1

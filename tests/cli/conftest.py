"""Fixtures for the CLI tests: an isolated environment, fake time, a fresh sandbox per test.

Every test gets its own config directory (AX_TASKS_CONFIG_DIR), home (no ~/.arize profile leaks
in), sandbox database (AX_TASKS_SANDBOX_DB) and no ARIZE_* variables; the ALPHA notice is off
unless a test turns it back on.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from ax_tasks_cli.main import app
from ax_tasks_cli.runtime import Runtime
from ax_tasks_mcp.sandbox.embedded import embedded_transport
from ax_tasks_mcp.service.connect import SANDBOX_BASE_URL, TasksService
from ax_tasks_mcp.service.settings import Settings
from tests.support.clock import FakeTime
from tests.support.counting import Counting

TTY_STREAMS = frozenset({"stdin", "stdout", "stderr"})


@dataclass
class Ax:
    """``ax(*args, tty=...)`` runs ``ax-tasks`` in-process and returns the CliRunner result."""

    time: FakeTime
    runner: CliRunner = field(default_factory=CliRunner)
    width: int = 100
    widths: dict[str, int] = field(default_factory=dict)
    """A stream's own width ("stdout", "stderr"), where it differs from ``width``."""

    def __call__(
        self,
        *args: str,
        tty: bool | Iterable[str] = False,
        input: str | None = None,
        env: dict[str, str | None] | None = None,
        service_factory: Callable[[Runtime], Any] | None = None,
    ) -> Result:
        if tty is True:
            ttys = set(TTY_STREAMS)
        elif tty is False:
            ttys = set()
        else:
            ttys = set(tty)
        runtime = Runtime(
            is_tty=lambda stream: stream in ttys,
            service_factory=service_factory,
            service_options=self.time.options(),
            terminal_width=lambda stream: self.widths.get(stream, self.width),
        )
        return self.runner.invoke(
            app, list(args), input=input, env=env, obj=runtime, catch_exceptions=False
        )

    def json(self, *args: str, **kwargs: Any) -> Any:
        """Run with ``-o json`` appended and return the parsed stdout (asserting success)."""
        result = self(*args, "-o", "json", **kwargs)
        assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
        return json.loads(result.stdout)

    @staticmethod
    def error_of(result: Result) -> dict[str, Any]:
        """The ``{"error": {...}}`` object a machine-format failure writes on stderr."""
        lines = [line for line in result.stderr.splitlines() if line.startswith("{")]
        assert lines, result.stderr
        data = json.loads(lines[-1])
        assert set(data) == {"error"}
        error: dict[str, Any] = data["error"]
        return error


def chatbot_evaluation(name: str) -> list[str]:
    """``create-evaluation`` of a template task named ``name`` on the sandbox's chatbot
    project in demo, judged by its relevance evaluator."""
    return [
        "--sandbox",
        "create-evaluation",
        "-n",
        name,
        "--task-type",
        "template_evaluation",
        "-s",
        "demo",
        "--project",
        "chatbot",
        "--evaluators",
        '[{"evaluator": "relevance"}]',
    ]


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith(("ARIZE_", "AX_TASKS_")) or name in ("NO_COLOR", "TERM"):
            monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AX_TASKS_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("AX_TASKS_SANDBOX_DB", str(tmp_path / "sandbox.db"))
    monkeypatch.setenv("AX_TASKS_NO_ALPHA_NOTICE", "1")
    # a notice that cannot be remembered in the config dir never reaches the machine's own
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # the Tab key's names
    monkeypatch.setenv("COLUMNS", "100")
    return tmp_path


@pytest.fixture
def fake_time() -> FakeTime:
    # The CLI works out default data windows from the real date, so fake time starts today.
    return FakeTime(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def ax(fake_time: FakeTime) -> Ax:
    return Ax(fake_time)


# -- counting what reaches the sandbox (a refused command changes nothing) ---------------


class _Lasting(Counting):
    """Open for the whole test: each command closes its service, the test the sandbox."""

    def close(self) -> None:
        pass


@pytest.fixture
def counted(ax, isolated_env: Path) -> Iterator[tuple[Callable[..., Any], Counting]]:
    """(factory for ax(service_factory=...), the counting transport) over the test's sandbox;
    every command of the test shares it."""
    ax("--sandbox", "sandbox", "info", "-o", "json")  # seed the database first
    transport = _Lasting(embedded_transport(isolated_env / "sandbox.db", clock=ax.time.now))
    settings = Settings(api_key="sandbox", base_url=SANDBOX_BASE_URL)

    def factory(runtime: Any) -> TasksService:
        return TasksService(
            settings, transport=transport, clock=ax.time.monotonic, sleep=ax.time.sleep
        )

    yield factory, transport
    transport.inner.close()


@pytest.fixture
def sandbox_rows(isolated_env: Path) -> Callable[[], dict[str, int]]:
    """How many tasks, runs and experiments the test's sandbox holds now."""

    def count() -> dict[str, int]:
        return _rows(isolated_env / "sandbox.db")

    return count


def _rows(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            "tasks": conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0],
            "task_runs": conn.execute("SELECT COUNT(*) FROM task_runs").fetchone()[0],
            "experiments": conn.execute("SELECT COUNT(*) FROM experiments").fetchone()[0],
        }

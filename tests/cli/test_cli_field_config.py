"""Every misconfiguration of the sandbox is one line of configuration error (exit 2) naming the
setting and what it accepts; a busy port is one line naming --port (exit 1); a database
locked by another process answers within the retry budget and says why."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from ax_tasks_mcp.sandbox import info
from tests.cli.conftest import Ax


def _one_error(result: object) -> dict[str, object]:
    stderr = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    return Ax.error_of(result)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["inf", "1e308", "abc", "0", "-5", "nan"])
def test_a_bad_sandbox_speed_is_a_configuration_error(ax: Ax, value: str) -> None:
    result = ax(
        "--sandbox", "list", "-s", "demo", "-o", "json", env={"AX_TASKS_SANDBOX_SPEED": value}
    )
    assert result.exit_code == 2
    error = _one_error(result)
    assert error["kind"] == "config_error"
    assert "AX_TASKS_SANDBOX_SPEED must be a number from 0.000001 to 1000000" in str(
        error["message"]
    )


def test_a_bad_speed_flag_names_the_flag(ax: Ax) -> None:
    result = ax("sandbox", "serve", "--port", "0", "--speed", "0")
    assert result.exit_code == 2
    assert "--speed must be a number from 0.000001 to 1000000" in result.stderr


def _old_schema(db: Path) -> Path:
    info(db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    return db


@pytest.mark.parametrize(
    ("make", "wanted"),
    [
        (lambda tmp: tmp, "is a folder. Set AX_TASKS_SANDBOX_DB to a file path"),
        (
            lambda tmp: (tmp / "notes.txt", (tmp / "notes.txt").write_text("hi"))[0],
            "is not a sandbox database (it is not an SQLite file). Set AX_TASKS_SANDBOX_DB",
        ),
        (
            lambda tmp: _old_schema(tmp / "old.db"),
            "Start it over with 'ax-tasks sandbox reset --db",
        ),
    ],
    ids=["folder", "not-sqlite", "old-schema"],
)
def test_a_sandbox_database_that_cannot_be_used_is_a_configuration_error(
    ax: Ax, tmp_path: Path, make: object, wanted: str
) -> None:
    db = make(tmp_path)  # type: ignore[operator]
    for args in (["--sandbox", "list", "-s", "demo"], ["sandbox", "info"]):
        result = ax(*args, "-o", "json", env={"AX_TASKS_SANDBOX_DB": str(db)})
        assert result.exit_code == 2, result.stderr
        error = _one_error(result)
        assert error["kind"] == "config_error"
        assert wanted in str(error["message"])
        assert "python -m" not in str(error["message"])


def test_an_old_schema_is_started_over_by_the_command_it_names(ax: Ax, tmp_path: Path) -> None:
    db = _old_schema(tmp_path / "old.db")
    assert ax("sandbox", "reset", "--db", str(db)).exit_code == 0
    assert (
        ax(
            "--sandbox", "list", "-s", "demo", "-o", "json", env={"AX_TASKS_SANDBOX_DB": str(db)}
        ).exit_code
        == 0
    )


def test_a_read_only_home_names_the_setting_that_moves_the_data(
    ax: Ax, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.delenv("AX_TASKS_SANDBOX_DB")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(blocked / "home"))
    result = ax("--sandbox", "list", "-s", "demo", "-o", "json")
    assert result.exit_code == 2
    message = str(_one_error(result)["message"])
    assert "Cannot create the folder" in message
    assert "Set AX_TASKS_SANDBOX_DB to a file in a folder you can write" in message


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_a_busy_port_is_one_line_naming_the_port_option(ax: Ax, busy_port: int) -> None:
    result = ax("sandbox", "serve", "--port", str(busy_port))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"cannot listen on 127.0.0.1:{busy_port}" in lines[0]
    assert "--port" in lines[0]


def test_a_remote_host_is_refused_in_the_clis_words(ax: Ax) -> None:
    result = ax("sandbox", "serve", "--host", "0.0.0.0", "--port", "0")  # noqa: S104 - refused
    assert result.exit_code == 2
    assert "allow_remote" not in result.stderr
    assert "--host 127.0.0.1" in result.stderr


@pytest.fixture
def locked_db(isolated_env: Path, ax: Ax) -> Iterator[Path]:
    """The test's sandbox database, an exclusive lock held on it by another connection."""
    db = isolated_env / "sandbox.db"
    assert ax("--sandbox", "sandbox", "info", "-o", "json").exit_code == 0
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    yield db
    holder.execute("ROLLBACK")
    holder.close()


def test_a_locked_database_answers_within_the_retry_budget_and_says_why(
    ax: Ax, locked_db: Path
) -> None:
    # Each attempt waits for the lock as long as the request waits for an answer: 20 ms here.
    env = {"AX_TASKS_READ_TIMEOUT": "0.02"}
    result = ax(
        "--sandbox",
        "update",
        "chatbot-hallucination",
        "-s",
        "demo",
        "--sampling-rate",
        "0.3",
        "-o",
        "json",
        env=env,
    )
    assert result.exit_code == 1
    error = Ax.error_of(result)
    message = str(error["message"])
    assert f"The sandbox database {locked_db} is locked by another process" in message
    assert "nothing was changed" in message
    assert "***" not in message  # the embedded sandbox's key is no word to mask
    assert "retrying" in result.stderr  # each attempt is announced while it waits
    assert len(ax.time.sleeps) == 4  # the four retries waited on the (fake) clock

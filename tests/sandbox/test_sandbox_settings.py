"""The sandbox's settings are checked where they are read: a speed outside its range, a database
path that is a folder, not SQLite, another program's database or a folder that cannot be made is
refused in one line naming the setting; a database locked by another process is answered 429
once the request's own timeout has passed, saying why."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from ax_tasks_mcp.sandbox import info, reset
from ax_tasks_mcp.sandbox.core import Sandbox
from ax_tasks_mcp.sandbox.settings import (
    MAX_SPEED,
    MIN_SPEED,
    SandboxSettingError,
    check_speed,
    speed_from_env,
)
from ax_tasks_mcp.sandbox.store import Store


@pytest.mark.parametrize("value", ["inf", "1e308", "abc", "0", "-5", "nan", "", "1e-9", "2e6"])
def test_a_speed_outside_its_range_is_refused_naming_the_variable(value: str) -> None:
    env = {"AX_TASKS_SANDBOX_SPEED": value}
    if not value:
        assert speed_from_env(env) == 1.0  # empty means unset
        return
    with pytest.raises(SandboxSettingError) as caught:
        speed_from_env(env)
    message = caught.value.message
    assert message.startswith("AX_TASKS_SANDBOX_SPEED must be a number from 0.000001 to 1000000")
    assert repr(value) in message
    assert caught.value.kind == "config_error"


@pytest.mark.parametrize("value", [MIN_SPEED, 1, "10", MAX_SPEED])
def test_a_speed_in_range_is_taken(value: object) -> None:
    assert check_speed(value, "--speed") == float(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("speed", [MIN_SPEED, MAX_SPEED])
def test_the_extreme_speeds_still_answer(tmp_path: Path, speed: float) -> None:
    from ax_tasks_mcp import RunRequest
    from ax_tasks_mcp.service.connect import TasksService

    with TasksService.sandbox(str(tmp_path / "sandbox.db"), space="demo", speed=speed) as service:
        run = service.trigger_run("qa-golden-json-check", RunRequest(override_evaluations=True))
        assert service.get_run(str(run["id"]))["status"] in ("PENDING", "RUNNING", "COMPLETED")
        assert service.list_tasks().items


def test_a_folder_is_refused_with_a_file_to_use_instead(tmp_path: Path) -> None:
    with pytest.raises(SandboxSettingError, match=r"is a folder\. Set AX_TASKS_SANDBOX_DB"):
        Store(tmp_path)


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("my notes\n" * 100, encoding="utf-8")
    for action in (info, reset):
        with pytest.raises(SandboxSettingError, match="not an SQLite file"):
            action(notes)
    assert notes.read_text(encoding="utf-8") == "my notes\n" * 100


def test_another_programs_database_is_never_seeded_or_wiped(tmp_path: Path) -> None:
    other = tmp_path / "app.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    for action in (info, reset):
        with pytest.raises(SandboxSettingError, match="not a sandbox's SQLite file"):
            action(other)
    with sqlite3.connect(other) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"customers"}


def test_a_folder_that_cannot_be_made_names_the_variable(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(SandboxSettingError) as caught:
        Store(blocker / "data" / "sandbox.db")
    assert "Cannot create the folder" in caught.value.message
    assert "Set AX_TASKS_SANDBOX_DB to a file in a folder you can write" in caught.value.message


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Path]:
    """A seeded database another connection holds an exclusive lock on."""
    db = tmp_path / "locked.db"
    info(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    yield db
    holder.execute("ROLLBACK")
    holder.close()


def test_a_locked_database_is_429_after_the_wait_saying_why(locked: Path) -> None:
    sandbox = Sandbox(locked)
    try:
        sandbox.store.wait_for_locks(0.02)
        answer = sandbox.handle(
            "PATCH",
            "/v2/tasks/T25saW5lVGFzazoxOm9zemE=",
            "",
            {"authorization": "Bearer k", "content-type": "application/json"},
            b'{"sampling_rate": 0.5}',
        )
    finally:
        sandbox.close()
    assert answer.status == 429
    assert ("retry-after", "1") in answer.headers
    detail = answer.json()["detail"]
    assert "is locked by another process" in detail
    assert "nothing was changed" in detail

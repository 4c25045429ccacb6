"""The ALPHA notice: said once on stderr, remembered by a marker, and where the marker cannot
be written (a read-only home) remembered elsewhere or told how to silence, never an error."""

from __future__ import annotations

import io
import os
import stat
import tempfile
from pathlib import Path

import pytest

from ax_tasks_cli.notice import MARKER, NOTICE, maybe_show_notice

SB = "--sandbox"


def test_the_alpha_notice_is_shown_once_on_stderr(ax, isolated_env: Path) -> None:
    env: dict[str, str | None] = {"AX_TASKS_NO_ALPHA_NOTICE": None}
    first = ax(SB, "spaces", env=env)
    assert first.exit_code == 0
    assert first.stderr == NOTICE + "\n"
    assert NOTICE not in first.stdout
    assert (isolated_env / "config" / MARKER).exists()
    second = ax(SB, "spaces", env=env)
    assert second.stderr == ""


def test_the_alpha_notice_can_be_silenced(ax, isolated_env: Path) -> None:
    result = ax(SB, "spaces", env={"AX_TASKS_NO_ALPHA_NOTICE": "1"})
    assert NOTICE not in result.stderr
    assert not (isolated_env / "config" / MARKER).exists()


def test_help_and_version_do_not_show_the_notice(ax, isolated_env: Path) -> None:
    env: dict[str, str | None] = {"AX_TASKS_NO_ALPHA_NOTICE": None}
    assert NOTICE not in ax("--help", env=env).stderr
    assert NOTICE not in ax("--version", env=env).stderr
    assert not (isolated_env / "config" / MARKER).exists()


def _unwritable(isolated_env: Path, name: str) -> Path:
    """A folder no one can create, root included: its parent is a regular file."""
    blocker = isolated_env / f"{name}-is-a-file"
    blocker.write_text("")
    return blocker / name


def test_a_read_only_config_dir_still_shows_the_notice_once(ax, isolated_env: Path) -> None:
    env: dict[str, str | None] = {
        "AX_TASKS_NO_ALPHA_NOTICE": None,
        "AX_TASKS_CONFIG_DIR": str(_unwritable(isolated_env, "config")),
        "XDG_RUNTIME_DIR": str(isolated_env / "run"),
    }
    (isolated_env / "run").mkdir()
    first = ax(SB, "spaces", env=env)
    assert (first.exit_code, first.stderr) == (0, NOTICE + "\n")
    assert (isolated_env / "run" / f"ax-tasks-{MARKER}").exists()
    assert ax(SB, "spaces", env=env).stderr == ""


def test_without_a_runtime_dir_the_notice_is_remembered_in_a_temp_folder_of_the_user(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(isolated_env))
    env = {"AX_TASKS_CONFIG_DIR": str(_unwritable(isolated_env, "config"))}
    assert maybe_show_notice(io.StringIO(), env)
    folder = isolated_env / f"ax-tasks-{os.getuid()}"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert (folder / MARKER).exists()
    assert not maybe_show_notice(io.StringIO(), env)


def test_a_temp_folder_that_is_a_link_is_not_trusted_with_the_marker(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(isolated_env))
    elsewhere = isolated_env / "elsewhere"
    elsewhere.mkdir()
    (isolated_env / f"ax-tasks-{os.getuid()}").symlink_to(elsewhere)
    stream = io.StringIO()
    assert maybe_show_notice(stream, {"AX_TASKS_CONFIG_DIR": str(_unwritable(isolated_env, "c"))})
    assert list(elsewhere.iterdir()) == []
    assert "AX_TASKS_NO_ALPHA_NOTICE=1" in stream.getvalue()


def test_where_nothing_can_be_written_the_notice_says_how_to_hide_it(isolated_env: Path) -> None:
    env = {
        "AX_TASKS_CONFIG_DIR": str(_unwritable(isolated_env, "config")),
        "XDG_RUNTIME_DIR": str(_unwritable(isolated_env, "run")),
    }
    for _ in range(2):  # shown each time, as it cannot be remembered, and never an error
        stream = io.StringIO()
        assert maybe_show_notice(stream, env)
        assert stream.getvalue() == f"{NOTICE} (Set AX_TASKS_NO_ALPHA_NOTICE=1 to hide it.)\n"

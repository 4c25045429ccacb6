"""Output that never lies: a full disk is one line (exit 1) and leaves no empty or partial file;
a closed pipe ends quietly the same way in every format; an ID is never cut on a narrow
terminal and any cut cell carries a mark; an empty cursor is refused; a name is quoted
without a character added."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pytest

from ax_tasks_mcp.sandbox.serve import BackgroundServer
from tests.cli.conftest import Ax, chatbot_evaluation

SB = "--sandbox"
FORMATS = ("json", "ndjson", "csv", "yaml", "table")


def _run(
    args: list[str], stdout: int | TextIO, server: BackgroundServer
) -> subprocess.CompletedProcess[str]:
    """``ax-tasks`` as a process against a loopback sandbox (what a shell pipe talks to)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARIZE_", "AX_TASKS_"))}
    env.update(ARIZE_API_KEY="k", AX_TASKS_NO_ALPHA_NOTICE="1")
    return subprocess.run(
        [sys.executable, "-m", "ax_tasks_cli.main", "--base-url", server.url, *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.fixture
def closed_pipe() -> Iterator[int]:
    """The write end of a pipe whose reader has already gone: every write gets EPIPE."""
    read, write = os.pipe()
    os.close(read)
    yield write
    os.close(write)


@pytest.mark.e2e
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_closed_pipe_ends_quietly_in_every_format(
    served: BackgroundServer, closed_pipe: int, fmt: str
) -> None:
    done = _run(["list", "-s", "demo", "--all", "-o", fmt], closed_pipe, served)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


@pytest.mark.e2e
@pytest.mark.parametrize("fmt", ["json", "table"])
def test_a_full_stdout_is_one_line_and_exit_1(served: BackgroundServer, fmt: str) -> None:
    with open("/dev/full", "w") as full:
        done = _run(["list", "-s", "demo", "-o", fmt], full, served)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "could not write the output to stdout: No space left on device" in lines[0]


class _FillsUp:
    """A file that takes the first write, then finds the disk full."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        if self.writes > 1:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.inner.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def __enter__(self) -> _FillsUp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.inner.close()


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    from ax_tasks_cli import writing

    opened = writing._open_temp

    def filling(path: Path) -> tuple[_FillsUp, str]:
        handle, temp = opened(path)
        return _FillsUp(handle), temp

    monkeypatch.setattr(writing, "_open_temp", filling)


def test_a_full_disk_leaves_no_file_behind(ax: Ax, tmp_path: Path, full_disk: None) -> None:
    target = tmp_path / "tasks.ndjson"
    result = ax(SB, "list", "-s", "demo", "--all", "-o", str(target))
    assert result.exit_code == 1
    assert "could not write the output to" in result.stderr
    assert "No space left on device" in result.stderr
    assert not target.exists()
    assert list(tmp_path.glob(".tasks.ndjson.*")) == []


def test_a_full_disk_leaves_the_old_file_whole(ax: Ax, tmp_path: Path, full_disk: None) -> None:
    target = tmp_path / "tasks.json"
    target.write_text("[]\n", encoding="utf-8")
    result = ax(SB, "list", "-s", "demo", "-o", str(target))
    assert result.exit_code == 1
    assert target.read_text(encoding="utf-8") == "[]\n"


def test_a_file_is_replaced_whole_keeping_its_permissions(ax: Ax, tmp_path: Path) -> None:
    target = tmp_path / "tasks.json"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    result = ax(SB, "list", "-s", "demo", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert [task["name"] for task in json.loads(target.read_text(encoding="utf-8"))]
    assert target.stat().st_mode & 0o777 == 0o640
    assert list(tmp_path.glob(".tasks.json.*")) == []


@pytest.mark.parametrize("width", [30, 40])
def test_an_id_is_never_cut_on_a_narrow_terminal(ax: Ax, width: int) -> None:
    ids = [task["id"] for task in ax.json(SB, "list", "-s", "demo")]
    ax.width = width
    result = ax(SB, "list", "-s", "demo", tty=True, env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    for ident in ids:
        assert ident in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= width


def test_a_cut_cell_carries_a_mark(ax: Ax) -> None:
    runs = ax.json(SB, "list-runs", "chatbot-hallucination", "-s", "demo")
    ax.width = 30
    result = ax(
        SB, "list-runs", "chatbot-hallucination", "-s", "demo", tty=True, env={"NO_COLOR": "1"}
    )
    rows = result.stdout.splitlines()[1:]
    for run, row in zip(runs, rows, strict=False):
        assert row.startswith(run["id"])
        status = row[len(run["id"]) :].strip()
        assert status == run["status"] or (
            status.endswith("…") and run["status"].startswith(status[:-1])
        )


@pytest.mark.parametrize(
    "args",
    [
        ["list", "-s", "demo"],
        ["list-runs", "chatbot-hallucination", "-s", "demo"],
        ["spaces"],
    ],
)
def test_an_empty_cursor_is_refused(ax: Ax, args: list[str]) -> None:
    result = ax(SB, *args, "--cursor", "", "-o", "json")
    assert result.exit_code == 2
    assert "--cursor is empty" in Ax.error_of(result)["message"]


def test_a_name_with_quotes_is_shown_as_written(ax: Ax) -> None:
    name = """it's "quoted\""""
    created = ax.json(*chatbot_evaluation(name))
    missing = ax(SB, "get", name + " 2", "-s", "demo", tty=True)
    assert missing.exit_code == 4
    assert "\\" not in missing.stderr
    assert f"“{name} 2”" in missing.stderr
    planned = ax(SB, "delete", name, "-s", "demo", "--dry-run", "-o", "table")
    assert f"“{name}” ({created['id']})" in planned.stdout
    assert "\\" not in planned.stdout

"""A stream that cannot be written (a full disk) is one line and the table's exit code: for the
help and the version Click writes itself, and for an error message that stderr cannot take
(the error keeps its own code)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from ax_tasks_cli.main import app
from tests.support.full_disk import FullDisk


def _main(args: list[str]) -> int:
    code = typer.main.get_command(app).main(args, standalone_mode=False)
    assert isinstance(code, int)
    return code


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["list", "--help"],
        ["sandbox", "--help"],
        ["--version"],
        ["mcp", "--version"],
        ["mcp", "--help"],
    ],
)
def test_help_and_version_to_a_full_disk_are_one_line_and_exit_1(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stdout", FullDisk())
    monkeypatch.setattr(sys, "stderr", stderr)
    assert _main(args) == 1
    lines = stderr.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "No space left on device" in lines[0]
    assert "Traceback" not in lines[0]


def test_an_error_stderr_cannot_take_keeps_its_exit_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", FullDisk())
    assert _main(["--sandbox", "list", "-s", "nosuch"]) == 4  # not found, told or not
    assert _main(["list", "--no-such-option"]) == 2


@pytest.mark.e2e
def test_a_real_full_disk_changes_no_exit_code(tmp_path: Path) -> None:
    """/dev/full as stdout, then as stderr: the help is one line and exit 1; an unknown space
    is exit 4 whether or not its message could be written; never "Exception ignored"."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARIZE_", "AX_TASKS_"))}
    env.update(HOME=str(tmp_path), AX_TASKS_SANDBOX_DB=str(tmp_path / "sandbox.db"))
    base = [sys.executable, "-m", "ax_tasks_cli.main"]
    with open("/dev/full", "w") as full:
        helped = subprocess.run(
            [*base, "--help"], stdout=full, stderr=subprocess.PIPE, text=True, env=env, timeout=60
        )
        told = subprocess.run(
            [*base, "--sandbox", "list", "-s", "nosuch"],
            stdout=subprocess.PIPE,
            stderr=full,
            text=True,
            env=env,
            timeout=60,
        )
    assert helped.returncode == 1, helped.stderr
    assert len(helped.stderr.splitlines()) == 1
    assert "No space left on device" in helped.stderr
    assert told.returncode == 4

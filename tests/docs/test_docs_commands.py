"""Every command in README.md and docs/*.md runs as written, on the sandbox, in a fresh shell.

Each file is read top to bottom as a reader would type it, in one fresh shell (a new home,
none of our variables; the file's own ``export``\\ s carry on), against one sandbox database.
``ax-tasks`` commands run in-process (on a fake clock, so ``--wait`` costs no time); a block
that needs a shell of its own (pipes, ``$(...)``, its variables) runs in bash with this
environment's ``ax-tasks`` on the PATH; Python blocks run as a script would.  What needs
what a test cannot have is marked in the text and listed here (doc_commands.py says how).
"""

from __future__ import annotations

import contextlib
import io
import os
import runpy
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from unittest import mock

import pytest
from typer.testing import CliRunner

from ax_tasks_cli.main import app
from ax_tasks_cli.runtime import Runtime
from tests.docs.doc_commands import FILES, Block, Command, Step, blocks, fresh_env, steps
from tests.support.clock import FakeTime

pytestmark = pytest.mark.e2e


class Reader:
    """One fresh shell following one file: its variables, its folder, its clock."""

    def __init__(self, tmp_path: Path) -> None:
        self.cwd = tmp_path / "work"
        self.cwd.mkdir()
        self.env = fresh_env(tmp_path / "home")
        (tmp_path / "home").mkdir()
        self.time = FakeTime(datetime.now(UTC).replace(microsecond=0))
        self.failures: list[str] = []
        self.ran = 0

    @contextlib.contextmanager
    def _as_the_shell(self, extra: dict[str, str]) -> Iterator[None]:
        with mock.patch.dict(os.environ, {**self.env, **extra}, clear=True):
            here = Path.cwd()
            os.chdir(self.cwd)
            try:
                yield
            finally:
                os.chdir(here)

    def fail(self, block: Block, what: str, why: str) -> None:
        self.failures.append(f"{block.where}: {what}\n    {why}")

    # -- running -------------------------------------------------------------------------
    def run_block(self, block: Block) -> None:
        if block.lang == "python":
            self._python(block)
        elif block.needs_bash:
            self._bash(block)
        else:
            for command in block.commands:
                if command.not_run is None:
                    self._command(block, command)

    def _command(self, block: Block, command: Command) -> None:
        for step in steps(command, self.env):
            if step.kind == "write":
                (self.cwd / step.path).write_text(step.text, encoding="utf-8")
            elif step.kind == "run":
                self.ran += 1
                code, stderr = self._run(step)
                if code != command.expected_exit:
                    wanted = command.expected_exit
                    self.fail(block, command.line, f"exit {code}, not {wanted}: {stderr.strip()}")
                    return

    def _run(self, step: Step) -> tuple[int, str]:
        if step.argv[0] != "ax-tasks":
            return 127, f"{step.argv[0]}: only ax-tasks runs in-process; mark what else it needs"
        if _serves(step.argv[1:]):
            return 125, "it serves until stopped: mark what it needs (a second shell)"
        runtime = Runtime(is_tty=lambda _: False, service_options=self.time.options())
        with self._as_the_shell(step.env):
            result = CliRunner().invoke(app, step.argv[1:], obj=runtime, catch_exceptions=False)
        if step.stdout_to is not None:
            (self.cwd / step.stdout_to).write_text(result.stdout, encoding="utf-8")
        return result.exit_code, result.stderr

    def _bash(self, block: Block) -> None:
        lines = ["set -o pipefail"]
        for number, command in enumerate(block.commands, start=1):
            if command.not_run is not None:
                continue
            self.ran += 1
            lines += [
                command.line,
                f"s=$?; [ $s -eq {command.expected_exit} ] || "
                f"{{ echo 'command {number} exited '$s >&2; exit 97; }}",
            ]
        path = f"{Path(sys.executable).parent}{os.pathsep}{self.env.get('PATH', '')}"
        done = subprocess.run(
            ["bash", "-c", "\n".join(lines)],
            cwd=self.cwd,
            env={**self.env, "PATH": path},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            self.fail(block, block.body.strip(), done.stderr.strip())

    def _python(self, block: Block) -> None:
        script = self.cwd / f"block-{block.number}.py"
        script.write_text(block.body, encoding="utf-8")
        self.ran += 1
        printed = io.StringIO()
        with self._as_the_shell({}), contextlib.redirect_stdout(printed):
            try:
                runpy.run_path(str(script), run_name="__main__")
            except Exception as exc:  # the snippet as a reader runs it: any failure counts
                self.fail(block, "python snippet", f"{type(exc).__name__}: {exc}")


def _serves(args: list[str]) -> bool:
    """Whether these ax-tasks arguments start a server that runs until stopped."""
    words = [arg for arg in args if not arg.startswith("-")]
    quick = {"--help", "-h", "--version"} & set(args)
    return not quick and (words[:2] == ["sandbox", "serve"] or words[:1] == ["mcp"])


@pytest.mark.parametrize("source", FILES)
def test_every_command_of_the_docs_runs_as_written(source: str, tmp_path: Path) -> None:
    reader = Reader(tmp_path)
    skipped: list[str] = []
    for block in blocks(source):
        if block.not_run is not None:
            skipped.append(block.not_run)
            continue
        skipped += [c.not_run for c in block.commands if c.not_run is not None]
        reader.run_block(block)
    assert not reader.failures, "\n".join(reader.failures)
    for reason in skipped:  # each says what it needs; "nothing" only for the test suite
        assert reason.startswith("needs "), f"{source}: a command is not run: {reason}"
        assert not reason.startswith("needs nothing") or "test suite" in reason, reason
    if source in ("README.md", "docs/cli.md"):
        assert reader.ran > 10  # the parsing found the commands


def test_a_command_that_fails_is_reported_with_its_block(tmp_path: Path) -> None:
    reader = Reader(tmp_path)
    block = Block("example.md", 1, "sh", "")
    block.commands = [Command("ax-tasks --sandbox get no-such-task -s demo")]
    reader.run_block(block)
    assert len(reader.failures) == 1
    assert reader.failures[0].startswith("example.md block 1: ax-tasks --sandbox get no-such")
    assert "exit 4, not 0" in reader.failures[0]

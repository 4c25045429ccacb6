"""The help text is a public surface: snapshotted, valid in its examples, and fast to show.

Snapshots live in tests/snapshots/cli/; rewrite them with ``UPDATE_SNAPSHOTS=1``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ax_tasks_cli import options as cli_options
from ax_tasks_cli.main import app

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots" / "cli"
HELP_ENV: dict[str, str | None] = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
HEAVY = (
    *("mcp", "uvicorn", "starlette", "ax_tasks_mcp.sandbox", "ax_tasks_client", "httpx"),
    # Completion and tracing load only when the shell asks or OTEL_* variables do.
    *("ax_tasks_cli.completing", "ax_tasks_cli.tracing", "opentelemetry"),
)


def all_commands() -> list[list[str]]:
    root = typer.main.get_command(app)
    found: list[list[str]] = [[]]
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        if name == "mcp":  # its --help belongs to the MCP server
            continue
        found.append([name])
        for sub in getattr(command, "commands", {}):
            found.append([name, sub])
    return found


COMMANDS = all_commands()


def snapshot_path(command: list[str]) -> Path:
    return SNAPSHOTS / ("-".join(["ax-tasks", *command]) + ".txt")


def render_help(command: list[str]) -> str:
    # CliRunner pins click's width to 80; a real terminal of COLUMNS columns gets COLUMNS - 2
    # (click keeps a margin), which the process test below checks.
    width = int(str(HELP_ENV["COLUMNS"])) - 2
    result = CliRunner().invoke(app, [*command, "--help"], env=HELP_ENV, terminal_width=width)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def test_every_command_is_covered() -> None:
    names = {tuple(c) for c in COMMANDS}
    assert ("list",) in names
    assert ("sandbox", "serve") in names
    # root, tasks, lookups, export/plan/apply, config, completion, mcp, sandbox, help
    assert len(names) == 1 + 12 + 6 + 3 + 1 + 1 + 1 + 3 + 1


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "ax-tasks")
def test_help_matches_its_snapshot(command: list[str]) -> None:
    text = render_help(command)
    path = snapshot_path(command)
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path.name}; run with UPDATE_SNAPSHOTS=1 to create it"
    assert text == path.read_text(encoding="utf-8")


def test_no_stale_snapshots() -> None:
    expected = {snapshot_path(c).name for c in COMMANDS}
    assert {p.name for p in SNAPSHOTS.glob("*.txt")} == expected


@pytest.mark.parametrize(
    "text",
    [
        cli_options.EVALUATORS_EXAMPLE,
        cli_options.RUN_CONFIG_EXAMPLE,
        cli_options.QUERY_FILTERS_EXAMPLE,
        cli_options.TRACING_EXAMPLE,
    ],
)
def test_json_examples_in_help_are_valid_json(text: str) -> None:
    json.loads(text)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "ax-tasks")
def test_quoted_json_in_help_examples_parses(command: list[str]) -> None:
    text = render_help(command)
    quoted = re.findall(r"'([\[{].*?[\]}])'", text)
    # Every quoted JSON example is found whole (none wrapped or cut short), and each parses.
    assert len(quoted) == len(re.findall(r"'[\[{]", text))
    for example in quoted:
        json.loads(example)


def test_some_help_examples_hold_quoted_json() -> None:
    """The check above is not vacuous: the commands that take JSON show it in examples."""
    assert all(
        re.search(r"'[\[{]", render_help([name])) for name in ("create", "create-evaluation")
    )


def test_official_short_flags_exist() -> None:
    flags = {
        "list": ["-s", "-n", "-l", "-c", "-o"],
        "delete": ["-s", "-f", "-o"],
        "cancel-run": ["-f"],
        "trigger-run": ["-s", "-w", "-o"],
        "update": ["-s", "-n"],
        "create": ["-n", "-s"],
    }
    for command, shorts in flags.items():
        text = render_help([command])
        for short in shorts:
            assert re.search(rf"(^|\s){short}, --", text, re.M), (command, short)


@pytest.mark.e2e  # a fresh interpreter
def test_help_in_a_real_process_matches_the_snapshot_and_stays_light() -> None:
    """``ax-tasks --help`` as a process: the same text, and none of the heavy imports."""
    code = (
        "import sys\n"
        "sys.argv = ['ax-tasks', '--help']\n"
        "from ax_tasks_cli.main import run\n"
        "try:\n"
        "    run()\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('\\n'.join(sorted(k for k, v in sys.modules.items() if v)))\n"
    )
    env = {**os.environ, **{k: v for k, v in HELP_ENV.items() if v is not None}}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=env,
    )
    assert done.stdout == snapshot_path([]).read_text(encoding="utf-8")
    loaded = done.stderr.split()
    heavy = [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert heavy == []


@pytest.mark.e2e  # a fresh interpreter
def test_a_read_command_loads_only_what_it_needs() -> None:
    """``ax-tasks list`` into a pipe loads neither pydantic (Typer's
    adapters) nor Rich, pygments or click (httpx's own command line); Rich is for terminals."""
    code = (
        "import sys\n"
        "sys.argv = ['ax-tasks', '--base-url', 'http://127.0.0.1:9', 'list', '-o', 'json']\n"
        "from ax_tasks_cli.main import run\n"
        "try:\n"
        "    run()\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write('\\nMODULES ' + ' '.join(k for k, v in sys.modules.items() if v))\n"
    )
    env = {**os.environ, **{k: v for k, v in HELP_ENV.items() if v is not None}}
    env.update(ARIZE_API_KEY="sk-test-0123456789", AX_TASKS_RETRY_BUDGET="0.01")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    loaded = done.stderr.rsplit("MODULES ", 1)[1].split()
    assert "httpx" in loaded  # it did get as far as the request
    unwanted = ("pydantic", "pydantic_core", "rich", "pygments", "click")
    assert [m for m in loaded if m.split(".")[0] in unwanted] == []


def test_the_written_out_version_is_the_packaged_one() -> None:
    import importlib.metadata
    import tomllib
    from pathlib import Path

    from ax_tasks_mcp.version import __version__

    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    declared = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    assert __version__ == declared == importlib.metadata.version("ax-tasks")

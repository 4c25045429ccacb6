"""Usage in the CLI's own words: a global option after the command, or a command's option before
it, says where it goes; Click's usage errors follow -o and piping like the commands' own; `help`
and the MCP server's help and version name what was typed; a conflict exits 1 saying what to do;
a filter takes the values the API shows; a refusal before sending is never an API error; the
sandbox's words arrive as flags."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ax_tasks_mcp.version import __version__
from tests.cli.conftest import Ax, chatbot_evaluation

SB = "--sandbox"


@pytest.mark.parametrize(
    ("args", "fixed"),
    [
        (["list", "--sandbox", "-s", "demo"], "ax-tasks --sandbox list -s demo"),
        (["list", "-s", "demo", "-v"], "ax-tasks -v list -s demo"),
        (
            ["get", "x", "--base-url", "http://127.0.0.1:9"],
            "ax-tasks --base-url http://127.0.0.1:9 get x",
        ),
        (["sandbox", "info", "--profile=work"], "ax-tasks --profile=work sandbox info"),
    ],
)
def test_a_global_option_after_the_command_says_where_it_goes(
    ax: Ax, args: list[str], fixed: str
) -> None:
    result = ax(*args, tty=True)
    assert result.exit_code == 2
    assert "is an option of ax-tasks itself, so it goes before the command" in result.stderr
    assert fixed in result.stderr


@pytest.mark.parametrize("args", [["list", "--version"], ["sandbox", "info", "--version"]])
def test_a_version_asked_after_the_command_is_asked_alone(ax: Ax, args: list[str]) -> None:
    result = ax(*args, tty=True)
    assert result.exit_code == 2
    assert "--version is an option of ax-tasks itself, so it goes before the command: " in (
        result.stderr
    )
    assert "goes before the command: ax-tasks --version (see" in result.stderr


@pytest.mark.parametrize(
    ("args", "fixed"),
    [
        (["-o", "json", "list"], "-o is an option of 'ax-tasks list', so it goes after the "),
        (["-o", "json", "list"], "after the command: ax-tasks list -o json"),
        (
            ["--sandbox", "--output=table", "-s", "demo", "list", "--limit", "1"],
            "after the command: ax-tasks --sandbox list --output=table -s demo --limit 1",
        ),
        (
            ["--db", "/tmp/x", "sandbox", "info"],
            "--db is an option of 'ax-tasks sandbox info', so it goes after the command: "
            "ax-tasks sandbox info --db /tmp/x",
        ),
    ],
)
def test_a_command_option_before_the_command_says_to_put_it_after(
    ax: Ax, args: list[str], fixed: str
) -> None:
    result = ax(*args, tty=True)
    assert result.exit_code == 2
    assert fixed in result.stderr


@pytest.mark.parametrize("args", [["--bogus", "list"], ["-o", "json"], ["-s", "demo", "mcp"]])
def test_an_option_no_command_named_takes_stays_clicks_refusal(ax: Ax, args: list[str]) -> None:
    result = ax(*args, tty=True)
    assert result.exit_code == 2
    assert f"No such option: {args[0]}" in result.stderr
    assert "goes after the command" not in result.stderr


def test_help_of_mcp_says_what_the_server_does_and_takes(ax: Ax) -> None:
    result = ax("help", "mcp")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ax("mcp", "--help").stdout
    assert result.stdout.startswith("usage: ax-tasks mcp ")
    for said in ("MCP server for Arize AX tasks", "--transport", "--sandbox", "--read-only"):
        assert said in result.stdout
    rows = [line.split(None, 1) for line in ax("--help").stdout.splitlines() if line.strip()]
    assert ["mcp", "Run the MCP server for AI assistants."] in rows


def test_clicks_usage_errors_are_json_when_nobody_watches(ax: Ax) -> None:
    piped = ax("list", "--bogus")  # neither stdout nor stderr a terminal
    assert Ax.error_of(piped) == {
        "kind": "usage_error",
        "message": "No such option: --bogus",
        "exit_code": 2,
    }
    watched = ax("list", "--bogus", tty=["stderr"])
    assert watched.stderr.startswith("ax-tasks list: error: No such option: --bogus")
    asked = ax("list", "--limit", "x", "-o", "json", tty=True)
    assert Ax.error_of(asked)["kind"] == "usage_error"
    table = ax("list", "--bogus", "-o", "table")
    assert table.stderr.startswith("ax-tasks list: error:")


@pytest.mark.parametrize("names", [[], ["trigger-run"], ["sandbox", "serve"]])
def test_help_shows_the_same_help_as_dash_dash_help(ax: Ax, names: list[str]) -> None:
    result = ax("help", *names)
    assert result.exit_code == 0, result.stderr
    usage = " ".join(["ax-tasks", *names])
    assert result.stdout.startswith(f"Usage: {usage} ")
    assert result.stdout == ax(*names, "--help").stdout


def test_help_of_an_unknown_command_is_a_usage_error(ax: Ax) -> None:
    result = ax("help", "lsit")
    assert result.exit_code == 2
    assert "ax-tasks has no command 'lsit'" in result.stderr


def test_the_mcp_servers_help_names_the_command_typed(ax: Ax) -> None:
    result = ax("mcp", "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("usage: ax-tasks mcp ")
    assert ax("mcp", "--version").stdout == f"ax-tasks mcp {__version__}\n"


@pytest.mark.e2e
def test_ax_tasks_mcp_tells_its_version() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ax_tasks_mcp", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"ax-tasks-mcp {__version__}\n"


def test_a_taken_name_is_a_conflict_exit_1_saying_what_to_do(ax: Ax) -> None:
    args = [*chatbot_evaluation("chatbot-hallucination"), "-o", "json"]
    for extra in (["--dry-run"], []):
        result = ax(*args, *extra)
        assert result.exit_code == 1
        error = Ax.error_of(result)
        assert error["kind"] == "conflict"
        assert "choose another name, or change that task with ax-tasks update" in error["message"]


def test_cancelling_an_ended_run_is_a_conflict_exit_1(ax: Ax) -> None:
    run = ax.json(SB, "list-runs", "chatbot-hallucination", "-s", "demo", "--status", "completed")
    for extra in (["--dry-run"], ["--force"]):
        result = ax(SB, "cancel-run", run[0]["id"], *extra, "-o", "json")
        assert result.exit_code == 1
        error = Ax.error_of(result)
        assert error["kind"] == "conflict"
        assert "has already ended (COMPLETED)" in error["message"]
        assert "ax-tasks get-run" in error["message"]


FUTURE = {"AX_TASKS_SANDBOX_FUTURE": "1"}
AGENT_TASK = ["agent-goal-completion", "-s", "research"]


def test_a_status_the_api_shows_is_taken_with_a_warning(ax: Ax) -> None:
    result = ax(SB, "list-runs", *AGENT_TASK, "--status", "queued", "-o", "json", env=FUTURE)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) is not None
    assert result.stderr.startswith("ax-tasks: warning: QUEUED is not a run status this version")
    known = ax(SB, "list-runs", *AGENT_TASK, "--status", "running", "-o", "json", env=FUTURE)
    assert "warning" not in known.stderr
    bad = ax(SB, "list-runs", *AGENT_TASK, "--status", "not-a-word!", "-o", "json", env=FUTURE)
    assert bad.exit_code == 2
    message = Ax.error_of(bad)["message"]
    assert message.startswith("Unknown run status 'not-a-word!': use one of CANCELLED,")
    assert message.endswith("or another single word the API shows.")


def test_refusing_a_task_of_an_unknown_type_is_no_api_error(ax: Ax) -> None:
    result = ax(SB, "update", *AGENT_TASK, "--sampling-rate", "0.5", "-o", "json", env=FUTURE)
    assert result.exit_code == 2
    error = Ax.error_of(result)
    assert error["kind"] == "validation_error"
    assert "this version of ax-tasks does not know" in error["message"]


def test_the_sandboxs_reason_names_flags_for_the_cli(ax: Ax) -> None:
    first = ax(SB, "trigger-run", "qa-golden-json-check", "-s", "demo", "--wait", "-o", "json")
    assert first.exit_code in (0, 6), first.stderr
    again = ax(SB, "trigger-run", "qa-golden-json-check", "-s", "demo", "--wait", "-o", "json")
    assert again.exit_code == 6, again.stderr
    assert "Re-trigger with --override-evaluations to evaluate them again" in again.stderr
    assert "override_evaluations" not in again.stderr
    assert "override_evaluations=true" in json.loads(again.stdout)["failure_reason"]  # data


def test_a_servers_detail_names_flags_for_the_cli(ax: Ax) -> None:
    import httpx

    from ax_tasks_mcp.service.failures import error_from_response

    request = httpx.Request("POST", "https://api.arize.com/v2/tasks/T/trigger")
    answer = httpx.Response(
        400, json={"detail": "max_spans must be at most 100000"}, request=request
    )
    error = error_from_response(answer)
    from ax_tasks_cli.words import CLI_WORDS

    assert "--max-spans must be at most 100000" in error.render(CLI_WORDS)
    assert "max_spans must be at most 100000" in error.message  # the library's (and MCP's) words
    assert error.detail == "max_spans must be at most 100000"  # the API's own, as received
    assert error.fields == ["max_spans"]


def test_a_bad_value_from_a_variable_names_the_variable_not_the_option(ax: Ax) -> None:
    result = ax("list", "-s", "demo", env={"AX_TASKS_SANDBOX": "maybe"}, tty=True)
    assert result.exit_code == 2
    assert "Invalid value for AX_TASKS_SANDBOX: 'maybe' is not a yes/no value" in result.stderr
    assert "--sandbox" not in result.stderr.split("(see")[0]

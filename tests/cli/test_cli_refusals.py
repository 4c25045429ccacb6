"""A refused command sends nothing and changes nothing; a failure
after a write says what landed, with its ID, and exits 8.

Each test counts the requests that reached the sandbox and the rows in its tables.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path
from typing import Any

import pytest

from ax_tasks_cli import exitcodes
from ax_tasks_mcp.service.connect import TasksService

SB = "--sandbox"
RUN_TASK = "checkout-nightly-generation"
EVAL_TASK = "chatbot-hallucination"


def _writes(transport: Any) -> list[str]:
    return [r for r in transport.requests if not r.startswith("GET")]


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (["get", "a\tb", "-s", "demo"], "The task name or ID must be one line"),
        (["list", "-s", "demo\nx"], "The space name or ID must be one line"),
        (["list", "-s", "demo", "--name", "a\x00b"], "--name must be one line"),
        (["trigger-run", EVAL_TASK, "-s", "demo\rx"], "The space name or ID must be one line"),
        (
            [
                *["create-evaluation", "-n", "x", "--task-type", "template_evaluation"],
                *["-s", "demo", "--project", "chat\nbot"],
                *["--evaluators", '[{"evaluator": "relevance"}]'],
            ],
            "--project must be one line",
        ),
    ],
)
def test_a_name_with_a_control_character_is_refused_before_anything_is_sent(
    ax, counted, command: list[str], said: str
) -> None:
    factory, transport = counted
    result = ax(*command, service_factory=factory, tty={"stderr"})
    assert result.exit_code == exitcodes.USAGE, result.stderr
    assert said in result.stderr
    assert transport.requests == []


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (["get", "\udcff", "-s", "demo"], "Argument 2 is not UTF-8 text: it has the byte 0xff"),
        (["list", "-s", "de\udce9mo"], "Argument 3 is not UTF-8 text: it has the byte 0xe9 at"),
    ],
)
def test_an_argument_that_is_not_utf8_is_refused_before_anything_is_sent(
    ax, counted, command: list[str], said: str
) -> None:
    """Bytes that are not UTF-8 reach Python as lone surrogates, which no URL can carry."""
    factory, transport = counted
    result = ax(*command, service_factory=factory, tty={"stderr"})
    assert result.exit_code == exitcodes.USAGE, result.stderr
    assert said in result.stderr
    assert "internal" not in result.stderr
    assert transport.requests == []


@pytest.mark.parametrize(
    "bad",
    [
        ["--timeout", "0"],
        ["--timeout", "-5"],
        ["--poll-interval", "0"],
        ["--poll-interval", "-1"],
        ["--timeout", "nan"],
    ],
)
def test_a_bad_wait_setting_refuses_the_trigger_before_it_is_sent(
    ax, counted, sandbox_rows, bad: list[str]
) -> None:
    factory, transport = counted
    before = sandbox_rows()
    args = [RUN_TASK, "-s", "production-llm", "--experiment-name", "to-2", "--wait", *bad]
    result = ax("trigger-run", *args, service_factory=factory)
    assert result.exit_code == exitcodes.USAGE, result.stderr
    assert bad[0] in result.stderr
    assert transport.requests == []
    assert sandbox_rows() == before


@pytest.mark.parametrize(
    "command",
    [
        [
            "create-evaluation",
            "-n",
            "x",
            "--task-type",
            "template_evaluation",
            "-s",
            "demo",
            "--project",
            "chatbot",
            "--evaluators",
            '[{"evaluator": "relevance"}]',
        ],
        ["trigger-run", EVAL_TASK, "-s", "demo"],
        ["delete", EVAL_TASK, "-s", "demo", "--force"],
    ],
    ids=["create-evaluation", "trigger-run", "delete"],
)
def test_an_output_file_that_cannot_be_written_refuses_the_write(
    ax, counted, sandbox_rows, command: list[str]
) -> None:
    factory, transport = counted
    before = sandbox_rows()
    result = ax(*command, "-o", "/nonexistent/dir/out.json", service_factory=factory)
    assert result.exit_code == exitcodes.USAGE
    assert "does not exist" in result.stderr
    assert transport.requests == []
    assert sandbox_rows() == before


def test_a_failure_after_the_write_names_what_landed_and_exits_8(
    ax, counted, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    factory, transport = counted
    target = tmp_path / "run.json"

    def full_disk(path: Path) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("ax_tasks_cli.writing._open_temp", full_disk)
    result = ax("trigger-run", EVAL_TASK, "-s", "demo", "-o", str(target), service_factory=factory)
    assert result.exit_code == exitcodes.LANDED
    run = json.loads(result.stdout)  # the result, where it could go
    assert f"Triggered run {run['id']}" in result.stderr
    assert "No space left on device" in result.stderr
    assert _writes(transport) == [f"POST /v2/tasks/{run['task_id']}/trigger"]


def test_a_wait_that_fails_after_the_trigger_names_the_run(ax, counted) -> None:
    factory, _ = counted

    def broken(runtime: Any) -> TasksService:
        service = factory(runtime)

        def fail(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("the polling broke")

        service.wait_for_run = fail  # type: ignore[method-assign]
        return service

    result = ax("trigger-run", EVAL_TASK, "-s", "demo", "--wait", service_factory=broken)
    assert result.exit_code == exitcodes.LANDED
    assert "Triggered run " in result.stderr
    assert "the polling broke" in result.stderr

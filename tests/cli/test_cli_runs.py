"""Run commands (trigger-run, list-runs, get-run, cancel-run, wait-for-run) on the sandbox.

Time is fake: the service's sleep moves its clock and the sandbox's, so runs progress and
no test waits.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from ax_tasks_mcp.service.connect import TasksService
from tests.support.terminal import SGR, drawn

SB = "--sandbox"
TASK = "chatbot-hallucination"
RUN_TASK = "checkout-nightly-generation"


def trigger(ax, task: str = TASK, *args: str, space: str = "demo") -> dict[str, Any]:
    run: dict[str, Any] = ax.json(SB, "trigger-run", task, "--space", space, *args)
    return run


def failing_task(ax) -> str:
    task = ax.json(
        SB,
        "create",
        "-n",
        "pii scan",
        "--task-type",
        "code_evaluation",
        "-s",
        "demo",
        "--project",
        "chatbot",
        "--evaluators",
        '[{"evaluator": "pii-regex-check"}]',
    )
    return str(task["id"])


def interrupting(ax) -> Any:
    """A service factory whose wait is interrupted as if by Ctrl-C."""

    def factory(runtime: Any) -> TasksService:
        service = TasksService.sandbox(os.environ["AX_TASKS_SANDBOX_DB"], **ax.time.options())

        def interrupted(*args: Any, **kwargs: Any) -> Any:
            raise KeyboardInterrupt

        service.wait_for_run = interrupted  # type: ignore[method-assign]
        return service

    return factory


# -- trigger-run -----------------------------------------------------------------------------


def test_trigger_returns_the_pending_run_at_once(ax) -> None:
    result = ax(SB, "trigger-run", TASK, "-s", "demo")
    assert result.exit_code == 0
    run = json.loads(result.stdout)
    assert run["status"] == "PENDING"
    assert result.stderr == ""
    assert ax.time.sleeps == []


def test_trigger_on_a_terminal_says_how_to_wait(ax) -> None:
    result = ax(SB, "trigger-run", TASK, "-s", "demo", "-o", "json", tty=True)
    run = json.loads(result.stdout)
    assert f"ax-tasks --sandbox wait-for-run {run['id']}" in result.stderr


def test_trigger_with_a_window(ax) -> None:
    run = trigger(
        ax,
        TASK,
        "--data-start-time",
        "2026-01-01T00:00:00Z",
        "--data-end-time",
        "2026-01-31T00:00:00Z",
        "--max-spans",
        "100",
        "--override-evaluations",
    )
    assert run["data_start_time"].startswith("2026-01-01T00:00:00")
    assert run["data_end_time"].startswith("2026-01-31T00:00:00")


def test_a_31_day_window_is_refused_before_anything_is_sent(ax) -> None:
    before = ax.json(SB, "list-runs", TASK, "-s", "demo", "--all")
    result = ax(
        SB,
        "trigger-run",
        TASK,
        "-s",
        "demo",
        "--data-start-time",
        "2024-01-01T00:00:00Z",
        "--data-end-time",
        "2024-02-01T00:00:00Z",
        tty=True,
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("ax-tasks: error: The window spans 31.0 days")
    assert "at most 30" in result.stderr
    assert ax.json(SB, "list-runs", TASK, "-s", "demo", "--all") == before


def test_a_bad_datetime_is_a_usage_error(ax) -> None:
    result = ax(SB, "trigger-run", TASK, "-s", "demo", "--data-start-time", "last week", tty=True)
    assert result.exit_code == 2
    assert "--data-start-time: 'last week' is not an ISO 8601 date-time" in result.stderr


def test_trigger_a_run_experiment_task_with_its_options(ax) -> None:
    plan = ax.json(
        SB,
        "trigger-run",
        RUN_TASK,
        "-s",
        "production-llm",
        "--experiment-name",
        "nightly-4",
        "--max-examples",
        "5",
        "--query-filter",
        "input LIKE '%refund%'",
        "--tracing-metadata",
        '{"team": "checkout", "attempt": 2}',
        "--evaluation-task-ids",
        "",
        "--dry-run",
    )
    assert plan["method"] == "POST"
    assert plan["url"].endswith("/trigger")
    assert plan["body"]["experiment_name"] == "nightly-4"
    assert plan["body"]["max_examples"] == 5
    assert plan["body"]["query_filter"] == "input LIKE '%refund%'"
    assert plan["body"]["tracing_metadata"] == {"team": "checkout", "attempt": "2"}
    run = trigger(ax, RUN_TASK, "--experiment-name", "nightly-4", space="production-llm")
    assert run["task_id"]


def test_trigger_with_example_ids(ax) -> None:
    plan = ax.json(
        SB,
        "trigger-run",
        RUN_TASK,
        "-s",
        "production-llm",
        "--experiment-name",
        "picked",
        "--example-ids",
        "ex1, ex2",
        "--dry-run",
    )
    assert plan["body"]["example_ids"] == ["ex1", "ex2"]


def test_example_ids_and_max_examples_exclude_each_other(ax) -> None:
    result = ax(
        SB,
        "trigger-run",
        RUN_TASK,
        "-s",
        "production-llm",
        "--experiment-name",
        "x",
        "--example-ids",
        "a",
        "--max-examples",
        "3",
        "-o",
        "json",
    )
    assert result.exit_code == 2
    assert ax.error_of(result)["kind"] == "validation_error"


def test_trigger_options_of_the_other_type_are_refused(ax) -> None:
    result = ax(
        SB,
        "trigger-run",
        RUN_TASK,
        "-s",
        "production-llm",
        "--max-spans",
        "10",
        tty=True,
    )
    assert result.exit_code == 2
    assert "--max-spans does not apply" in result.stderr
    assert "--experiment-name" in result.stderr


def test_trigger_run_experiment_without_experiment_name_is_refused(ax) -> None:
    result = ax(SB, "trigger-run", RUN_TASK, "-s", "production-llm", tty=True)
    assert result.exit_code == 2
    assert "needs --experiment-name" in result.stderr


# -- waiting ---------------------------------------------------------------------------------


def test_trigger_wait_prints_the_final_run_and_exits_0(ax) -> None:
    result = ax(SB, "trigger-run", TASK, "-s", "demo", "--wait")
    assert result.exit_code == 0
    run = json.loads(result.stdout)
    assert run["status"] == "COMPLETED"
    assert result.stderr == ""  # quiet when stderr is not a terminal
    assert ax.time.sleeps[0] < ax.time.sleeps[-1] <= 5  # adaptive, capped at 5 s


def test_an_explicit_poll_interval_is_fixed(ax) -> None:
    result = ax(SB, "trigger-run", TASK, "-s", "demo", "-w", "--poll-interval", "2")
    assert result.exit_code == 0
    assert set(ax.time.sleeps) == {2}


def test_waiting_on_a_terminal_shows_a_live_line(ax) -> None:
    result = ax(SB, "trigger-run", TASK, "-s", "demo", "--wait", tty=True, env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    lines = drawn(result.stderr)
    assert any(line.endswith("elapsed") and "RUNNING ·" in line for line in lines), lines
    assert not SGR.search(result.stderr)  # NO_COLOR: the line is redrawn, never coloured
    assert "COMPLETED:" in result.stderr.splitlines()[-1]


def test_the_wait_line_colours_the_status_unless_no_color(ax) -> None:
    result = ax(SB, "trigger-run", TASK, "-s", "demo", "--wait", tty=True)
    assert result.exit_code == 0
    assert "\x1b[36mRUNNING\x1b[0m" in result.stderr


def test_a_dumb_terminal_gets_no_live_line(ax) -> None:
    result = ax(SB, "trigger-run", TASK, "-s", "demo", "--wait", tty=True, env={"TERM": "dumb"})
    assert result.exit_code == 0
    assert "\r" not in result.stderr
    assert "\x1b[" not in result.stderr
    assert "COMPLETED:" in result.stderr.splitlines()[-1]


def test_a_failed_run_exits_5_with_its_failure_reason(ax) -> None:
    task_id = failing_task(ax)
    start = (ax.time.now() - timedelta(hours=6)).isoformat()
    result = ax(SB, "trigger-run", task_id, "--wait", "--data-start-time", start)
    assert result.exit_code == 5
    run = json.loads(result.stdout)
    assert run["status"] == "FAILED"
    assert "FAILED: " in result.stderr
    assert run["failure_reason"] in result.stderr


def test_wait_for_a_cancelled_run_exits_6(ax) -> None:
    run = trigger(ax)
    cancelled = ax.json(SB, "cancel-run", run["id"], "--force")
    assert cancelled["status"] == "CANCELLED"
    result = ax(SB, "wait-for-run", run["id"])
    assert result.exit_code == 6
    assert json.loads(result.stdout)["status"] == "CANCELLED"
    assert "CANCELLED" in result.stderr


def test_wait_timeout_exits_7_and_says_the_run_keeps_going(ax) -> None:
    run = trigger(ax)
    result = ax(SB, "wait-for-run", run["id"], "--timeout", "0.5", tty=True)
    assert result.exit_code == 7
    assert result.stdout == ""
    assert run["id"] in result.stderr
    assert "cancel-run" in result.stderr


def test_wait_timeout_is_machine_readable_with_json(ax) -> None:
    run = trigger(ax)
    result = ax(SB, "wait-for-run", run["id"], "--timeout", "0.5", "-o", "json")
    assert result.exit_code == 7
    error = ax.error_of(result)
    assert error["kind"] == "wait_timeout"
    assert error["run_id"] == run["id"]


def test_wait_for_run_completes_with_a_custom_timeout_and_interval(ax) -> None:
    run = trigger(ax)
    result = ax(SB, "wait-for-run", run["id"], "--timeout", "300", "--poll-interval", "10")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["status"] == "COMPLETED"
    assert set(ax.time.sleeps) == {10}


def test_a_non_positive_timeout_is_refused(ax) -> None:
    run = trigger(ax)
    result = ax(SB, "wait-for-run", run["id"], "--timeout", "0", tty=True)
    assert result.exit_code == 2
    assert "timeout" in result.stderr


def test_interrupt_without_a_terminal_says_how_to_cancel(ax) -> None:
    run = trigger(ax)
    result = ax(SB, "wait-for-run", run["id"], service_factory=interrupting(ax))
    assert result.exit_code == 130
    assert f"ax-tasks --sandbox cancel-run {run['id']} --force" in result.stderr
    assert ax.json(SB, "get-run", run["id"])["status"] != "CANCELLED"


@pytest.mark.parametrize("command", ["wait-for-run", "trigger-run"])
def test_interrupt_on_a_terminal_exits_130_at_once_and_leaves_the_run(ax, command: str) -> None:
    args = [trigger(ax)["id"]] if command == "wait-for-run" else [TASK, "-s", "demo", "--wait"]
    result = ax(SB, command, *args, tty=True, service_factory=interrupting(ax))
    assert result.exit_code == 130, result.stderr
    assert "[y/N]" not in result.stderr  # no question: Ctrl-C means stop now
    line = result.stderr.strip().splitlines()[-1]
    assert "keeps going on the server. To stop it: ax-tasks --sandbox cancel-run" in line
    run_id = line.split("cancel-run ", 1)[1].split()[0]
    assert ax.json(SB, "get-run", run_id)["status"] != "CANCELLED"


def test_interrupt_cancels_on_the_server_only_when_asked(ax) -> None:
    run = trigger(ax)
    result = ax(
        SB, "wait-for-run", run["id"], "--cancel-on-interrupt", service_factory=interrupting(ax)
    )
    assert result.exit_code == 130
    assert f"cancelled run {run['id']}" in result.stderr
    assert ax.json(SB, "get-run", run["id"])["status"] == "CANCELLED"


def test_wait_options_without_wait_are_refused_before_anything_is_sent(ax, counted) -> None:
    factory, transport = counted
    for options in (["--timeout", "-5"], ["--poll-interval", "2"], ["--cancel-on-interrupt"]):
        result = ax("trigger-run", TASK, "-s", "demo", *options, service_factory=factory)
        assert result.exit_code == 2, result.stderr
        assert "add --wait (-w)" in result.stderr
    assert transport.requests == []


# -- list-runs, get-run ----------------------------------------------------------------------


def test_list_runs_filters_by_status_in_any_case(ax) -> None:
    runs = ax.json(SB, "list-runs", TASK, "-s", "demo", "--status", "completed")
    assert runs
    assert {r["status"] for r in runs} == {"COMPLETED"}
    assert ax.json(SB, "list-runs", TASK, "-s", "demo", "--status", "failed") == []


def test_list_runs_by_id_all_pages_as_ndjson(ax) -> None:
    task_id = ax.json(SB, "get", TASK, "-s", "demo")["id"]
    trigger(ax)
    result = ax(SB, "list-runs", task_id, "--all", "-o", "ndjson")
    assert result.exit_code == 0
    runs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(runs) >= 3
    assert {r["task_id"] for r in runs} == {task_id}


def test_list_runs_to_a_file(ax, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = ax(SB, "list-runs", TASK, "-s", "demo", "--status", "failed", "--output", "runs.json")
    assert result.exit_code == 0
    assert result.stderr == "Wrote 0 runs to runs.json\n"
    assert json.loads((tmp_path / "runs.json").read_text()) == []


def test_list_runs_table_on_a_terminal(ax) -> None:
    result = ax(SB, "list-runs", TASK, "-s", "demo", tty=True, env={"NO_COLOR": "1"})
    assert result.stdout.splitlines()[0].split()[:2] == ["ID", "STATUS"]


def test_get_run_by_id(ax) -> None:
    run = trigger(ax)
    assert ax.json(SB, "get-run", run["id"])["id"] == run["id"]


def test_get_run_with_a_task_id_explains_the_mistake(ax) -> None:
    task_id = ax.json(SB, "get", TASK, "-s", "demo")["id"]
    result = ax(SB, "get-run", task_id, tty=True)
    assert result.exit_code == 2
    assert "list-runs" in result.stderr


def test_a_run_named_with_its_task_is_shown(ax) -> None:
    run = trigger(ax)
    shown = ax.json(SB, "get-run", "--task", TASK, "-s", "demo", run["id"])
    assert shown["id"] == run["id"]


@pytest.mark.parametrize(
    "command", [["get-run"], ["wait-for-run"], ["cancel-run", "--force"]], ids=lambda c: c[0]
)
def test_a_run_of_another_task_is_refused_and_left_alone(ax, command: list[str]) -> None:
    run = trigger(ax)
    result = ax(SB, *command, "--task", "qa-golden-json-check", "-s", "demo", run["id"])
    assert result.exit_code == 2
    assert f"belongs to task {run['task_id']}, not to 'qa-golden-json-check'" in result.stderr
    assert ax.json(SB, "get-run", run["id"])["status"] != "CANCELLED"


def test_waiting_for_a_run_named_with_its_task_reads_it_once_for_both(ax, counted) -> None:
    factory, transport = counted
    run = trigger(ax)
    slept = len(ax.time.sleeps)
    result = ax(SB, "wait-for-run", "--task", TASK, "-s", "demo", run["id"], "-o", "json",
                service_factory=factory)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "COMPLETED"
    pauses = len(ax.time.sleeps) - slept
    # The check's read of the run stood for the first poll: one read, then one per pause.
    assert transport.requests.count(f"GET /v2/task-runs/{run['id']}") == 1 + pauses


def test_get_run_with_an_unknown_id_exits_4(ax) -> None:
    result = ax(SB, "get-run", "VGFza1J1bjo5OTk5OTpxUndY", tty=True)
    assert result.exit_code == 4


# -- cancel-run ------------------------------------------------------------------------------


def test_cancel_without_a_terminal_or_force_refuses(ax) -> None:
    run = trigger(ax)
    result = ax(SB, "cancel-run", run["id"], tty={"stderr"})
    assert result.exit_code == 2
    assert "--force" in result.stderr
    assert ax.json(SB, "get-run", run["id"])["status"] != "CANCELLED"


def test_cancel_on_a_terminal_asks_first(ax) -> None:
    run = trigger(ax)
    result = ax(SB, "cancel-run", run["id"], tty=True, input="yes\n", env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert f"Cancel run {run['id']} of task " in result.stderr
    assert "status" in result.stdout
    assert ax.json(SB, "get-run", run["id"])["status"] == "CANCELLED"


def test_declining_the_cancel_changes_nothing(ax) -> None:
    run = trigger(ax)
    result = ax(SB, "cancel-run", run["id"], tty=True, input="n\n")
    assert result.exit_code == 1
    assert "Nothing was changed" in result.stderr
    assert ax.json(SB, "get-run", run["id"])["status"] != "CANCELLED"


def test_cancel_dry_run(ax) -> None:
    run = trigger(ax)
    plan = ax.json(SB, "cancel-run", run["id"], "--dry-run")
    assert plan["method"] == "POST"
    assert plan["url"].endswith("/cancel")
    assert plan["body"] is None


def test_cancelling_a_finished_run_is_an_error(ax) -> None:
    run = json.loads(ax(SB, "trigger-run", TASK, "-s", "demo", "--wait").stdout)
    result = ax(SB, "cancel-run", run["id"], "-f", tty=True)
    assert result.exit_code != 0
    assert result.stderr.startswith("ax-tasks: error: ")
    assert "Traceback" not in result.stderr

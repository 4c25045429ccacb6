"""export, plan and apply against the embedded sandbox: files checked before anything is
sent, the plan for people and for machines, apply that asks, refuses and reports."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import yaml

from ax_tasks_cli import exitcodes
from tests.support.counting import RefusingCreates
from tests.support.terminal import CONTROL

SB = "--sandbox"


@pytest.fixture
def exported(ax, tmp_path: Path) -> Path:
    """demo's tasks as a file, exported by the CLI."""
    path = tmp_path / "demo.yaml"
    result = ax(SB, "export", "--space", "demo", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"Wrote 2 tasks to {path}\n"
    return path


def edit(path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    document = yaml.safe_load(path.read_text())
    change(document)
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


# -- export ----------------------------------------------------------------------------------


def test_export_writes_yaml_with_the_schema_modeline_to_stdout(ax) -> None:
    result = ax(SB, "export", "-s", "demo")
    assert result.exit_code == 0
    first, *rest = result.stdout.splitlines()
    assert first.startswith("# yaml-language-server: $schema=https://")
    assert yaml.safe_load("\n".join(rest))["space"] == "demo"


def test_export_writes_a_file_whole_and_leaves_nothing_beside_it(exported: Path) -> None:
    assert [p.name for p in exported.parent.iterdir() if p.name.startswith(".demo")] == []
    assert yaml.safe_load(exported.read_text())["tasks"][0]["name"] == "chatbot-hallucination"


def test_export_counts_what_it_wrote_in_words_as_list_does(ax, tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    result = ax(SB, "export", "-s", "demo", "-t", "chatbot-hallucination", "-o", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"Wrote 1 task to {path}\n"


def test_export_refuses_a_destination_it_cannot_write_before_reading(ax, counted) -> None:
    factory, transport = counted
    result = ax(SB, "export", "-s", "demo", "-o", "tasks.txt", service_factory=factory)
    assert result.exit_code == exitcodes.USAGE
    assert "neither yaml, json nor a file ending in .yaml" in result.stderr
    result = ax(SB, "export", "-o", "/no/such/folder/t.yaml", service_factory=factory)
    assert result.exit_code == exitcodes.USAGE
    assert transport.requests == []


# -- plan ------------------------------------------------------------------------------------


def test_plan_on_a_terminal_reads_as_text_with_a_one_line_summary(ax, exported: Path) -> None:
    edit(exported, lambda d: d["tasks"][0].update(sampling_rate=0.25))
    result = ax(SB, "plan", "-f", str(exported), tty=True, env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Space 'demo':",
        f"  ~ update task 'chatbot-hallucination' (T25saW5lVGFzazoxOm9zemE=)  ({exported}:3:3)",
        "      sampling_rate: 0.5 → 0.25",
        "  1 unchanged",
        "",
        "Plan: 0 to create, 1 to update, 0 to replace, 0 to delete, 1 unchanged.",
    ]


def test_plan_piped_is_json(ax, exported: Path) -> None:
    data = json.loads(ax(SB, "plan", "-f", str(exported)).stdout)
    assert data["summary"] == {
        "create": 0,
        "update": 0,
        "replace": 0,
        "delete": 0,
        "unchanged": 2,
        "not_in_files": 0,
    }


def test_plan_exit_code_tells_changes_from_none(ax, exported: Path) -> None:
    assert ax(SB, "plan", "-f", str(exported), "--exit-code").exit_code == 0
    edit(exported, lambda d: d["tasks"].pop())
    assert ax(SB, "plan", "-f", str(exported), "--exit-code").exit_code == 0  # kept
    pruned = ax(SB, "plan", "-f", str(exported), "--exit-code", "--prune")
    assert pruned.exit_code == exitcodes.CHANGES == 9
    assert json.loads(pruned.stdout)["summary"]["delete"] == 1


def test_plan_reads_a_file_from_stdin(ax, exported: Path) -> None:
    result = ax(SB, "plan", "-f", "-", "-o", "json", input=exported.read_text())
    assert result.exit_code == 0
    assert json.loads(result.stdout)["changes"][0]["file"] == "<stdin>:4:3"  # after the modeline


def _duplicate_project(db: Path) -> None:
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(
            "INSERT INTO projects (space_id, name, project_type, spans_per_hour, created_at) "
            "SELECT space_id, name, project_type, spans_per_hour, created_at FROM projects "
            "WHERE name = 'chatbot'"
        )


BAD_FILES = {
    "wrong type": (
        lambda d: d["tasks"][0].update(sampling_rate="half"),
        ":7:18: task 'chatbot-hallucination', sampling_rate: must be a number, not 'half'.",
    ),
    "unknown field": (
        lambda d: d["tasks"][0].update(samplng_rate=0.3),
        ":15:3: task 'chatbot-hallucination', samplng_rate: unknown field (did you mean "
        "sampling_rate?)",
    ),
    "name of nothing": (
        lambda d: d["tasks"][1].update(dataset="qa-golden-v2"),
        ":18:12: task 'qa-golden-json-check', dataset: No dataset named 'qa-golden-v2'",
    ),
    "name of two things": (
        lambda d: d["tasks"][0].update(project="chatbot"),
        ":6:12: task 'chatbot-hallucination', project: The project name 'chatbot' is "
        "ambiguous: 2 projects",
    ),
    "duplicate task names": (
        lambda d: d["tasks"][1].update(name="chatbot-hallucination"),
        ":15:9: task 'chatbot-hallucination', name: the task name 'chatbot-hallucination' is "
        "given twice",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_one_line_with_its_place_exit_2_and_sends_nothing(
    ax, counted, exported: Path, isolated_env: Path, case: str
) -> None:
    factory, transport = counted
    change, expected = BAD_FILES[case]
    if case == "name of two things":
        _duplicate_project(isolated_env / "sandbox.db")
    edit(exported, change)
    for command in ("plan", "apply"):
        transport.requests.clear()
        yes = ["--yes"] if command == "apply" else []
        result = ax(SB, command, "-f", str(exported), *yes, service_factory=factory, tty=["stderr"])
        assert result.exit_code == exitcodes.USAGE, result.stderr
        line = one_line(result.stderr)
        assert line.startswith(f"ax-tasks: error: {exported}{expected}"), line
        assert result.stdout == ""
        assert transport.writes() == []
        if case in ("wrong type", "unknown field", "duplicate task names"):
            assert transport.requests == []  # found before the first request


def test_every_problem_of_a_file_is_a_line_of_its_own_and_nothing_is_sent(
    ax, counted, tmp_path: Path
) -> None:
    factory, transport = counted
    bad = tmp_path / "b1.yaml"
    bad.write_text(
        "space: demo\ntasks:\n  - name: x\n    project: chatbot\n    sampling: 0.5\n"
        "    sampling_rate: 0x10\n"
    )
    result = ax(SB, "plan", "-f", str(bad), service_factory=factory, tty=["stderr"])
    assert result.exit_code == exitcodes.USAGE
    lines = result.stderr.splitlines()
    assert [line.split(": ", 4)[2:4] for line in lines] == [
        [f"{bad}:3:5", "task 'x'"],
        [f"{bad}:5:5", "task 'x', sampling"],
        [f"{bad}:6:20", "task 'x', sampling_rate"],
    ]
    assert all(line.startswith("ax-tasks: error: ") for line in lines)
    assert lines[0].endswith(
        "type is missing: every task in a file is described whole, and "
        "it is needed to create the task where it does not exist."
    )
    assert lines[2].endswith("must be at most 1, not 0x10.")
    assert transport.requests == []
    # For machines: one error, its problems listed each with its place.
    piped = ax(SB, "plan", "-f", str(bad), service_factory=factory)
    error = json.loads(piped.stderr)["error"]
    assert (error["line"], error["column"]) == (3, 5)
    assert [(p["line"], p["column"]) for p in error["problems"]] == [(3, 5), (5, 5), (6, 20)]
    assert error["message"].split("\n") == [p["message"] for p in error["problems"]]


def test_the_plan_notes_an_id_the_space_does_not_have(ax, exported: Path) -> None:
    gone = "T25saW5lVGFzazo5OTk6YWJjZA=="
    edit(exported, lambda d: d["tasks"][0].update(id=gone, sampling_rate=0.25))
    result = ax(SB, "plan", "-f", str(exported), tty=True, env={"NO_COLOR": "1"})
    assert result.stdout.splitlines()[1:4] == [
        f"  ~ update task 'chatbot-hallucination' (T25saW5lVGFzazoxOm9zemE=)  ({exported}:3:3)",
        f"      note: no task of space 'demo' has the ID {gone} (deleted, or the file is another "
        "space's): matched by its name instead",
        "      sampling_rate: 0.5 → 0.25",
    ]


def test_a_yaml_syntax_error_is_one_line_at_its_place(ax, counted, tmp_path: Path) -> None:
    factory, transport = counted
    bad = tmp_path / "bad.yaml"
    bad.write_text("space: demo\ntasks:\n  - name: x\n    type: [code_evaluation\n")
    result = ax(SB, "plan", "-f", str(bad), service_factory=factory, tty=["stderr"])
    assert result.exit_code == exitcodes.USAGE
    assert one_line(result.stderr).startswith(f"ax-tasks: error: {bad}:5:1: not valid YAML: ")
    assert transport.requests == []


# -- apply -----------------------------------------------------------------------------------


def test_apply_in_a_script_without_yes_refuses_before_any_request(
    ax, counted, exported: Path
) -> None:
    factory, transport = counted
    result = ax(SB, "apply", "-f", str(exported), service_factory=factory, tty=["stderr"])
    assert result.exit_code == exitcodes.USAGE
    assert "Refusing to apply without confirmation" in result.stderr
    assert transport.requests == []


def test_apply_on_a_terminal_asks_and_a_no_changes_nothing(ax, counted, exported: Path) -> None:
    factory, transport = counted
    edit(exported, lambda d: d["tasks"][0].update(sampling_rate=0.25))
    result = ax(SB, "apply", "-f", str(exported), tty=True, input="n\n", service_factory=factory)
    assert result.exit_code == exitcodes.API_ERROR
    assert "Plan: 0 to create, 1 to update" in result.stdout
    assert "Apply these changes? [y/N]:" in result.stderr
    assert "Nothing was changed." in result.stderr
    assert transport.writes() == []
    result = ax(SB, "apply", "-f", str(exported), tty=True, input="y\n", service_factory=factory)
    assert result.exit_code == 0
    assert "Applied: 1 updated." in result.stderr
    assert transport.writes() == ["PATCH /v2/tasks/T25saW5lVGFzazoxOm9zemE="]


def test_apply_with_yes_reports_json_and_a_second_apply_writes_nothing(
    ax, counted, exported: Path
) -> None:
    factory, transport = counted
    edit(exported, lambda d: d["tasks"][0].update(name="renamed"))
    result = ax(SB, "apply", "-f", str(exported), "--yes", service_factory=factory)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [s["step"] for s in report["applied"]["landed"]] == ["update"]
    transport.requests.clear()
    again = ax(SB, "apply", "-f", str(exported), "--yes", service_factory=factory)
    assert again.exit_code == 0
    assert "No changes" in again.stderr
    assert transport.writes() == []


def test_replace_and_prune_each_need_their_own_flag(ax, counted, exported: Path) -> None:
    factory, transport = counted

    def change(d: dict[str, Any]) -> None:
        d["tasks"][1].update(experiments=["baseline-gpt-4o"])
        d["tasks"].pop(0)

    edit(exported, change)
    refused = ax(SB, "apply", "-f", str(exported), "--yes", service_factory=factory)
    assert refused.exit_code == exitcodes.USAGE
    assert "would be replaced" in refused.stderr
    assert "Give --replace to allow it" in refused.stderr
    assert transport.writes() == []
    done = ax(
        SB, "apply", "-f", str(exported), "--yes", "--replace", "--prune", service_factory=factory
    )
    assert done.exit_code == 0, done.stderr
    steps = [s["step"] for s in json.loads(done.stdout)["applied"]["landed"]]
    assert steps == ["delete", "delete", "create"]
    # A replace is a delete and a create of one task: it is told as the plan told it.
    assert "Applied: 1 replaced, 1 deleted." in done.stderr


def test_a_partial_apply_names_what_landed_and_exits_8(ax, counted, exported: Path) -> None:
    factory, transport = counted
    transport.inner = RefusingCreates(transport.inner, allowed=1)

    def add(d: dict[str, Any]) -> None:
        for name in ("a", "b", "c"):
            d["tasks"].append(
                {
                    "name": name,
                    "type": "code_evaluation",
                    "project": "chatbot",
                    "evaluators": [{"evaluator": "json-validity"}],
                }
            )

    edit(exported, add)
    result = ax(SB, "apply", "-f", str(exported), "--yes", service_factory=factory, tty=["stderr"])
    assert result.exit_code == exitcodes.LANDED
    said = CONTROL.sub("", result.stderr)  # the progress line drawn and erased on the way
    line = next(x for x in said.splitlines() if x.startswith("ax-tasks: error:"))
    assert "Apply stopped: create task 'b' failed" in line
    assert "Landed (1 created): created task 'a'" in line
    assert "Not tried: 1." in line
    report = json.loads(result.stdout)
    assert report["applied"]["failed"]["task"] == "b"
    transport.inner = transport.inner.inner  # the service is back
    again = ax(SB, "apply", "-f", str(exported), "--yes", service_factory=factory)
    assert [s["task"] for s in json.loads(again.stdout)["applied"]["landed"]] == ["b", "c"]


def test_the_plan_is_coloured_on_a_terminal_without_no_color(ax, exported: Path) -> None:
    edit(exported, lambda d: d["tasks"][0].update(sampling_rate=0.25))
    result = ax(SB, "plan", "-f", str(exported), tty=True)
    assert "\x1b[33m~ update task 'chatbot-hallucination'" in result.stdout


def test_long_work_shows_one_redrawn_line_on_a_terminal_and_nothing_elsewhere() -> None:
    import io

    from ax_tasks_cli.plan_view import StepLine
    from ax_tasks_cli.progress import Progress as Line
    from ax_tasks_mcp import Progress
    from tests.support.terminal import drawn

    shown = io.StringIO()
    line = StepLine(Line(shown, live=True, width=lambda: 40))
    line(Progress("reading", 100, None, "tasks of demo"))
    line(Progress("applying", 2, 50, "created task 'a-rather-long-name-for-a-task'"))
    line.finish()
    lines = drawn(shown.getvalue())
    assert any(text.endswith("Reading 100: tasks of demo") for text in lines), lines
    applying = [text for text in lines if "Applying 2/50: created task" in text]
    assert applying
    assert all(len(text) <= 39 and text.endswith("…") for text in applying)
    assert shown.getvalue().endswith("\x1b[2K")  # erased at the end
    quiet = io.StringIO()
    StepLine(Line(quiet, live=False))(Progress("reading", 100))
    assert quiet.getvalue() == ""

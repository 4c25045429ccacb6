"""Formats: choosing one, tables for people, exact machine formats, streaming."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from ax_tasks_cli.errors import UsageProblem
from ax_tasks_cli.output import (
    OutputChoice,
    Printer,
    choose_output,
    format_time,
    render_detail,
    render_table,
)

TASK: dict[str, Any] = {
    "id": "T25saW5lVGFzazo0NTpxUndY",
    "name": "chatbot-hallucination",
    "type": "TEMPLATE_EVALUATION",
    "project_id": "TW9kZWw6MTIzOmFCY0Q=",
    "dataset_id": None,
    "is_continuous": True,
    "sampling_rate": 0.5,
    "evaluators": [
        {
            "evaluator_id": "RXZhbHVhdG9yOjEyOmFCY0Q=",
            "evaluator_name": "hallucination",
            "column_mappings": {"output": "attributes.output.value"},
        }
    ],
    "experiment_ids": [],
    "last_run_at": "2026-03-07T10:30:00.000Z",
    "created_at": "2026-03-07T11:30:00+01:00",
}


def printer(fmt: str, **kwargs: Any) -> tuple[Printer, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    return Printer(OutputChoice(fmt), stdout=out, stderr=err, **kwargs), out, err


# -- choosing --------------------------------------------------------------------------------


def test_default_is_table_on_a_terminal_and_json_otherwise() -> None:
    assert choose_output(None, stdout_is_tty=True) == OutputChoice("table")
    assert choose_output(None, stdout_is_tty=False) == OutputChoice("json")


@pytest.mark.parametrize("name", ["table", "json", "yaml", "ndjson", "csv", "JSON"])
def test_a_format_name_is_explicit(name: str) -> None:
    choice = choose_output(name, stdout_is_tty=True)
    assert choice == OutputChoice(name.lower(), explicit=True)


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("tasks.json", "json"),
        ("runs.yaml", "yaml"),
        ("runs.yml", "yaml"),
        ("all.ndjson", "ndjson"),
        ("all.jsonl", "ndjson"),
        ("t.csv", "csv"),
        ("t.txt", "table"),
    ],
)
def test_a_file_extension_picks_the_format(path: str, fmt: str) -> None:
    choice = choose_output(path, stdout_is_tty=True)
    assert choice.format == fmt
    assert choice.path == Path(path)


def test_an_unknown_extension_is_a_usage_problem() -> None:
    with pytest.raises(UsageProblem, match="neither a format"):
        choose_output("tasks.xml", stdout_is_tty=True)


# -- tables ----------------------------------------------------------------------------------


def test_times_are_rfc3339_utc_with_zone() -> None:
    assert format_time("2026-03-07T10:30:00.000Z") == "2026-03-07T10:30:00Z"
    assert format_time("2026-03-07T11:30:00+01:00") == "2026-03-07T10:30:00Z"
    assert format_time("not a time") == "not a time"
    assert format_time(None) is None


def test_task_table_summarises_nested_values() -> None:
    text = render_table([TASK], "task")
    header, row = text.splitlines()
    assert header.split()[:3] == ["ID", "NAME", "TYPE"]
    assert "project TW9kZWw6MTIzOmFCY0Q=" in row
    assert "hallucination" in row
    assert "2026-03-07T10:30:00Z" in row
    assert "{" not in row


def test_wide_columns_fold_to_the_width_and_ids_stay_whole() -> None:
    item = {"id": "X" * 30, "name": "word " * 30, "description": "long text " * 20}
    text = render_table([item], "space", width=80)
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert len(lines) > 2
    assert "X" * 30 in lines[1]


def test_optional_columns_appear_only_when_some_row_has_a_value() -> None:
    run = {"id": "r", "status": "COMPLETED", "num_successes": 1, "failure_reason": None}
    assert "FAILURE REASON" not in render_table([run], "run")
    failed = {**run, "status": "FAILED", "failure_reason": "boom"}
    assert "FAILURE REASON" in render_table([run, failed], "run")


def test_colour_only_when_asked() -> None:
    run = {"id": "r", "status": "FAILED"}
    assert "\x1b[" not in render_table([run], "run")
    assert "\x1b[31mFAILED" in render_table([run], "run", color=True)
    assert "\x1b[" not in render_detail(run)


def test_detail_view_nests_readably() -> None:
    text = render_detail(TASK)
    assert "evaluators\n  - evaluator_id: RXZhbHVhdG9yOjEyOmFCY0Q=" in text
    assert "\nis_continuous   yes\n" in text
    assert "\ndataset_id      -\n" in text
    assert "\ncreated_at      2026-03-07T10:30:00Z\n" in text


def test_unknown_kinds_get_every_key_as_a_column() -> None:
    text = render_table([{"id": "a", "colour": "red"}], "widget")
    assert text.splitlines()[0].split() == ["ID", "COLOUR"]


# -- machine formats -------------------------------------------------------------------------


def test_json_is_exact() -> None:
    p, out, _ = printer("json")
    p.one(TASK, "task")
    assert json.loads(out.getvalue()) == TASK


def test_json_list_output_equals_a_plain_dump() -> None:
    p, out, _ = printer("json")
    assert p.many([TASK, TASK], "task") == 2
    assert out.getvalue() == json.dumps([TASK, TASK], indent=2, ensure_ascii=False) + "\n"
    p, out, _ = printer("json")
    p.many([], "task")
    assert out.getvalue() == "[]\n"


def test_yaml_round_trips() -> None:
    p, out, _ = printer("yaml")
    p.many([TASK], "task")
    assert yaml.safe_load(out.getvalue()) == [TASK]


def test_csv_writes_nested_values_as_json() -> None:
    p, out, _ = printer("csv")
    p.many([TASK], "task")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert json.loads(rows[0]["evaluators"]) == TASK["evaluators"]
    assert rows[0]["is_continuous"] == "true"
    assert rows[0]["dataset_id"] == ""
    assert rows[0]["experiment_ids"] == "[]"


def test_ndjson_streams_item_by_item() -> None:
    p, out, _ = printer("ndjson")
    seen: list[int] = []

    def items() -> Iterator[dict[str, Any]]:
        for index in range(3):
            # Everything before this item is already written when it is produced.
            seen.append(out.getvalue().count("\n"))
            yield {"id": str(index)}

    assert p.many(items(), "task") == 3
    assert seen == [0, 1, 2]
    assert [json.loads(line) for line in out.getvalue().splitlines()] == [
        {"id": "0"},
        {"id": "1"},
        {"id": "2"},
    ]


def test_files_get_the_data_and_stderr_a_message(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "tasks.csv"
    p = Printer(choose_output(str(target), stdout_is_tty=True), stdout=out, stderr=err)
    p.many([TASK, TASK], "task")
    assert out.getvalue() == ""
    assert err.getvalue() == f"Wrote 2 tasks to {target}\n"
    assert len(list(csv.DictReader(io.StringIO(target.read_text())))) == 2


def test_planned_request_is_shown_per_format() -> None:
    p, out, _ = printer("table")
    p.planned("POST", "https://api.arize.com/v2/tasks", {"name": "n"}, ["note"])
    assert out.getvalue().splitlines()[0] == "POST https://api.arize.com/v2/tasks"
    assert '"name": "n"' in out.getvalue()
    assert "# note" in out.getvalue()
    p, out, _ = printer("json")
    p.planned("DELETE", "https://x/v2/tasks/1", None, [])
    assert json.loads(out.getvalue()) == {
        "dry_run": True,
        "method": "DELETE",
        "url": "https://x/v2/tasks/1",
        "body": None,
        "notes": [],
    }

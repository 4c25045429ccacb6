"""JSON arguments, comma lists and date-times as the commands read them."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ax_tasks_cli.errors import UsageProblem
from ax_tasks_cli.exitcodes import code_for
from ax_tasks_cli.inputs import (
    parse_datetime,
    parse_id_list,
    read_json_argument,
    require_array_of_objects,
    require_object,
    require_string_map,
)

EXAMPLE = '[{"evaluator_id": "RXZhbHVhdG9yOjEyOmFCY0Q="}]'


def test_inline_json_is_parsed() -> None:
    assert read_json_argument("--evaluators", EXAMPLE) == [
        {"evaluator_id": "RXZhbHVhdG9yOjEyOmFCY0Q="}
    ]


def test_at_file_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"experiment_type": "llm_generation"}')
    assert read_json_argument("--run-configuration", f"@{path}") == {
        "experiment_type": "llm_generation"
    }


def test_a_bare_existing_path_is_read_as_a_file(tmp_path: Path) -> None:
    path = tmp_path / "evaluators.json"
    path.write_text(EXAMPLE)
    assert read_json_argument("--evaluators", str(path))[0]["evaluator_id"]


def test_dash_reads_standard_input() -> None:
    stream = io.StringIO('{"team": "search"}')
    assert read_json_argument("--tracing-metadata", "-", stdin=lambda: stream) == {"team": "search"}


def test_a_parse_error_names_the_option_line_and_column() -> None:
    with pytest.raises(UsageProblem) as caught:
        read_json_argument("--evaluators", '[\n  {"evaluator_id": x}\n]')
    message = caught.value.message
    assert message.startswith("--evaluators: invalid JSON at line 2, column 20")
    assert code_for(caught.value) == 2


def test_a_parse_error_in_a_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n\n  "a": 1,\n}')
    with pytest.raises(UsageProblem) as caught:
        read_json_argument("--run-configuration", f"@{path}")
    assert "the file" in caught.value.message
    assert "line 4, column 1" in caught.value.message


def test_a_missing_at_file_is_a_usage_problem(tmp_path: Path) -> None:
    with pytest.raises(UsageProblem, match="does not exist"):
        read_json_argument("--evaluators", f"@{tmp_path / 'nope.json'}")


def test_at_without_a_name_is_explained() -> None:
    with pytest.raises(UsageProblem, match="must be followed by a file name"):
        read_json_argument("--evaluators", "@")


def test_text_that_is_neither_json_nor_a_file_says_both() -> None:
    with pytest.raises(UsageProblem, match="not an existing file either"):
        read_json_argument("--evaluators", "evaluators.json")


def test_empty_stdin_is_refused() -> None:
    with pytest.raises(UsageProblem, match="standard input is empty"):
        read_json_argument("--evaluators", "-", stdin=lambda: io.StringIO("  "))


def test_a_directory_is_not_a_json_file(tmp_path: Path) -> None:
    with pytest.raises(UsageProblem, match="is a directory"):
        read_json_argument("--evaluators", f"@{tmp_path}")


def test_shapes_are_checked_with_an_example() -> None:
    with pytest.raises(UsageProblem, match="expected a JSON object such as"):
        require_object("--run-configuration", [1], "{...}")
    with pytest.raises(UsageProblem, match="got a string"):
        require_array_of_objects("--evaluators", "x", EXAMPLE)
    with pytest.raises(UsageProblem, match="item 1 of the array is a number"):
        require_array_of_objects("--evaluators", [{}, 3], EXAMPLE)


def test_a_single_evaluator_object_is_accepted_as_a_list() -> None:
    assert require_array_of_objects("--evaluators", {"evaluator_id": "x"}, EXAMPLE) == [
        {"evaluator_id": "x"}
    ]


def test_tracing_metadata_values_become_strings() -> None:
    assert require_string_map("--tracing-metadata", {"a": "b", "n": 3, "ok": True}, "{}") == {
        "a": "b",
        "n": "3",
        "ok": "true",
    }
    with pytest.raises(UsageProblem, match="values must be strings"):
        require_string_map("--tracing-metadata", {"a": {"nested": 1}}, "{}")


def test_id_lists_split_on_commas_and_drop_blanks() -> None:
    assert parse_id_list(" a, b,,c ") == ["a", "b", "c"]
    assert parse_id_list(None) is None


def test_datetimes_accept_z_offsets_dates_and_naive_utc() -> None:
    assert parse_datetime("--x", "2024-01-01T00:00:00Z") == datetime(2024, 1, 1, tzinfo=UTC)
    plus_two = parse_datetime("--x", "2024-01-01T02:00:00+02:00")
    assert plus_two == datetime(2024, 1, 1, tzinfo=UTC)
    assert plus_two is not None
    assert plus_two.utcoffset() == timedelta(hours=2)
    assert parse_datetime("--x", "2024-01-01") == datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_datetime("--x", "2024-01-01T05:06:07") == datetime(2024, 1, 1, 5, 6, 7, tzinfo=UTC)
    assert parse_datetime("--x", None) is None


def test_a_bad_datetime_names_the_option_and_shows_an_example() -> None:
    with pytest.raises(UsageProblem) as caught:
        parse_datetime("--data-start-time", "yesterday")
    assert caught.value.message.startswith("--data-start-time: 'yesterday' is not an ISO 8601")
    assert "2024-01-01T00:00:00Z" in caught.value.message


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
        max_leaves=10,
    )
)
def test_any_json_value_survives_the_inline_route(value: object) -> None:
    text = json.dumps(value)
    if not text.lstrip().startswith(("{", "[", '"')):
        text = f"[{text}]"
        value = [value]
    assert read_json_argument("--x", text) == value


@given(st.datetimes(timezones=st.just(timezone(timedelta(hours=-5)))))
def test_iso_datetimes_round_trip(moment: datetime) -> None:
    assert parse_datetime("--x", moment.isoformat()) == moment

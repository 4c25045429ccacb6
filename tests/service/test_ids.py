"""The ID rule of contract §8.1, decoding, encoding and type checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ax_tasks_mcp.service.errors import ValidationError
from ax_tasks_mcp.service.ids import (
    TYPE_NOUNS,
    check_id_type,
    decode_id,
    encode_id,
    is_resource_id,
    require_id,
)

TASK_ID = "T25saW5lVGFzazo0NTpxUndY"  # OnlineTask:45:qRwX
RUN_ID = "VGFza1J1bjo5OTpxUndY"  # TaskRun:99:qRwX
PROJECT_ID = "TW9kZWw6MTIzOmFCY0Q="  # Model:123:aBcD


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("TW9kZWw6MTIzOmFCY0Q=", True),
        ("TW9kZWw6MTIzOmFCY0Q", False),  # padding stripped
        ("my-space", False),
        ("abcd", False),  # valid base64, but no ':' inside
        ("Zm9vOmJhcg==", True),  # "foo:bar"
    ],
)
def test_is_resource_id_follows_the_contract_table(value: str, expected: bool) -> None:
    assert is_resource_id(value) is expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        " TW9kZWw6MTIzOmFCY0Q=",  # whitespace
        "TW9kZWw6MTIzOmFCY0Q= ",
        "VGFza1J1bjo5OTpxUndY\n",
        "T25saW5lVGFzazo0NTpxUndY".replace("T", "-"),  # URL-safe alphabet
        "/w==",  # decodes to a byte that is not UTF-8
        "nightly evals",
        "tâche",  # non-ASCII
    ],
)
def test_is_resource_id_rejects_everything_else(value: str) -> None:
    assert is_resource_id(value) is False


def test_is_resource_id_tolerates_non_strings() -> None:
    assert is_resource_id(None) is False
    assert is_resource_id(123) is False


@pytest.mark.parametrize(
    ("encoded", "decoded"),
    [
        ("T25saW5lVGFzazo0NTpxUndY", ("OnlineTask", 45, "qRwX")),
        ("VGFza1J1bjo5OTpxUndY", ("TaskRun", 99, "qRwX")),
        ("TW9kZWw6MTIzOmFCY0Q=", ("Model", 123, "aBcD")),
        ("RGF0YXNldDo1NjpxUndY", ("Dataset", 56, "qRwX")),
        ("U3BhY2U6MjAwMTphQmNE", ("Space", 2001, "aBcD")),
        ("U3BhY2U6MTIzNDU=", ("Space", 12345, None)),
        ("RXZhbHVhdG9yOjEyOmFCY0Q=", ("Evaluator", 12, "aBcD")),
        ("RXZhbHVhdG9yVmVyc2lvbjo5OTphQmNE", ("EvaluatorVersion", 99, "aBcD")),
        ("TGxtSW50ZWdyYXRpb246MTI6YUJjRA==", ("LlmIntegration", 12, "aBcD")),
        ("RGF0YXNldFZlcnNpb246MTIzNDU=", ("DatasetVersion", 12345, None)),
        ("VXNlcjoxOm5OYkM=", ("User", 1, "nNbC")),
        ("RW50aXR5OjEyMzQ1", ("Entity", 12345, None)),
    ],
)
def test_decode_and_encode_the_contract_examples(
    encoded: str, decoded: tuple[str, int, str | None]
) -> None:
    result = decode_id(encoded)
    assert result == decoded
    assert result is not None
    assert result.type_name == decoded[0]
    assert encode_id(*decoded) == encoded


def test_decode_id_returns_none_for_ids_without_a_number_and_for_names() -> None:
    assert is_resource_id("Zm9vOmJhcg==")
    assert decode_id("Zm9vOmJhcg==") is None  # "foo:bar": an ID, but not a structured one
    assert decode_id("my-task") is None
    assert decode_id("TW9kZWw6MTIzOmFCY0Q") is None


@given(
    type_name=st.sampled_from([*TYPE_NOUNS, "SomethingNew"]),
    number=st.integers(min_value=0, max_value=10**12),
    suffix=st.none() | st.text(min_size=1, max_size=12),
)
def test_encode_then_decode_round_trips(type_name: str, number: int, suffix: str | None) -> None:
    encoded = encode_id(type_name, number, suffix)
    assert is_resource_id(encoded)
    assert decode_id(encoded) == (type_name, number, suffix)


@pytest.mark.parametrize(("type_name", "number"), [("", 1), ("A:B", 1), ("Task", -1), ("T", True)])
def test_encode_id_rejects_bad_parts(type_name: str, number: int) -> None:
    with pytest.raises(ValueError, match="invalid ID"):
        encode_id(type_name, number)


def test_a_run_id_given_for_a_task_is_explained() -> None:
    with pytest.raises(ValidationError) as caught:
        check_id_type(RUN_ID, "OnlineTask", "task")
    message = str(caught.value)
    assert RUN_ID in message
    assert "is a TaskRun ID" in message
    assert "a task ID (OnlineTask) is expected" in message
    assert "get_run" in message
    assert caught.value.kind == "validation_error"


def test_a_task_id_given_for_a_run_points_at_list_runs() -> None:
    with pytest.raises(ValidationError, match=r"is an OnlineTask ID \(a task\).*list_runs"):
        check_id_type(TASK_ID, "TaskRun", "run")


def test_check_id_type_accepts_expected_types_names_and_unknown_types() -> None:
    check_id_type(TASK_ID, "OnlineTask", "task")
    check_id_type(PROJECT_ID, {"Model", "Dataset"}, "project or dataset")
    check_id_type("nightly-evals", "OnlineTask", "task")  # a name: resolve's business
    check_id_type("RW50aXR5OjEyMzQ1", "OnlineTask", "task")  # Entity: unknown, lenient
    check_id_type("Zm9vOmJhcg==", "OnlineTask", "task")  # undecodable structure


def test_check_id_type_lists_every_expected_type() -> None:
    with pytest.raises(ValidationError, match=r"Dataset, Model\)"):
        check_id_type(RUN_ID, {"Model", "Dataset"}, "project or dataset")


def test_require_id_rejects_names_with_an_example_id() -> None:
    with pytest.raises(ValidationError) as caught:
        require_id("my-run", "TaskRun", "run")
    assert "'my-run' is not a run ID" in str(caught.value)
    assert encode_id("TaskRun", 99, "qRwX") in str(caught.value)


def test_require_id_returns_a_good_id_and_checks_its_type() -> None:
    assert require_id(RUN_ID, "TaskRun", "run") == RUN_ID
    with pytest.raises(ValidationError, match="is an OnlineTask ID"):
        require_id(TASK_ID, "TaskRun", "run")

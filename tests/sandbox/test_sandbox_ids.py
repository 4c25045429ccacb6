"""Global IDs: the real service's form, padded base64 of TypeName:number:suffix."""

from __future__ import annotations

import base64

import pytest

from ax_tasks_mcp.sandbox import ids


@pytest.mark.parametrize(
    ("encoded", "type_name", "number", "suffix"),
    [
        ("T25saW5lVGFzazo0NTpxUndY", "OnlineTask", 45, "qRwX"),
        ("VGFza1J1bjo5OTpxUndY", "TaskRun", 99, "qRwX"),
        ("TW9kZWw6MTIzOmFCY0Q=", "Model", 123, "aBcD"),
        ("U3BhY2U6MTIzNDU=", "Space", 12345, None),
        ("TGxtSW50ZWdyYXRpb246MTI6YUJjRA==", "LlmIntegration", 12, "aBcD"),
    ],
)
def test_decode_reads_the_documented_examples(
    encoded: str, type_name: str, number: int, suffix: str | None
) -> None:
    assert ids.decode(encoded) == ids.GlobalId(type_name, number, suffix)


@pytest.mark.parametrize(
    "type_name",
    [
        ids.SPACE,
        ids.PROJECT,
        ids.DATASET,
        ids.DATASET_VERSION,
        ids.EVALUATOR,
        ids.EVALUATOR_VERSION,
        ids.EXPERIMENT,
        ids.INTEGRATION,
        ids.TASK,
        ids.TASK_RUN,
        ids.USER,
    ],
)
def test_encode_writes_padded_standard_base64_of_type_number_suffix(type_name: str) -> None:
    encoded = ids.encode(type_name, 7)
    assert len(encoded) % 4 == 0
    text = base64.b64decode(encoded, validate=True).decode()
    name, number, suffix = text.split(":")
    assert (name, number) == (type_name, "7")
    assert len(suffix) == 4
    assert ids.encode(type_name, 7) == encoded  # deterministic


def test_number_of_checks_the_type_and_the_suffix() -> None:
    task = ids.encode(ids.TASK, 3)
    assert ids.number_of(task, ids.TASK) == 3
    assert ids.number_of(task, ids.TASK_RUN) is None
    forged = base64.b64encode(b"OnlineTask:3:zzzz").decode()
    assert ids.number_of(forged, ids.TASK) is None
    bare = base64.b64encode(b"OnlineTask:3").decode()
    assert ids.number_of(bare, ids.TASK) == 3


@pytest.mark.parametrize(
    "value",
    ["my-task", "abcd", "TW9kZWw6MTIzOmFCY0Q", "Zm9vOmJhcg==", "", "T25saW5lVGFzaw=="],
)
def test_decode_rejects_what_is_not_an_id(value: str) -> None:
    with pytest.raises(ids.MalformedIdError):
        ids.decode(value)

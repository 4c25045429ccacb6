"""Answers cut to fit: strings to their field's bound with a marker, then whatever else it takes
to stay within the budget, which no shape of data may pass."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ax_tasks_mcp.server.clipping import (
    BUDGET,
    AnswerTooLarge,
    clip,
    cut_text,
    fit,
    size_of,
)


def test_a_cut_says_how_much_was_cut() -> None:
    assert cut_text("abcdef", 4) == "abcd… [2 more characters cut]"
    assert cut_text("abc", 4) == "abc"


def test_each_string_is_cut_to_its_fields_bound() -> None:
    task = {
        "id": "i" * 300,
        "name": "n" * 300,
        "query_filter": "q" * 3_000,
        "template": "t" * 9_000,
        "next_cursor": "c" * 9_000,
    }
    cut = clip(task)
    assert cut["name"].startswith("n" * 255 + "… [45 more")
    assert cut["id"].startswith("i" * 255 + "…")
    assert cut["query_filter"].startswith("q" * 2_000 + "… [1,000 more")
    assert cut["template"].startswith("t" * 8_000 + "…")
    assert cut["next_cursor"] == "c" * 9_000  # a cursor cut would lose the rest of the list


@pytest.mark.parametrize(
    "answer",
    [
        {"tasks": [{"name": f"{n}", "query_filter": "x" * 1_900} for n in range(200)]},
        {"task": {"evaluators": [{"column_mappings": {f"k{i}": "v" * 900 for i in range(300)}}]}},
        {"map": {f"key-{i}": i for i in range(20_000)}},
        {"deep": [[["\u4e00" * 5_000] * 20] * 5]},
    ],
)
def test_no_shape_of_data_passes_the_budget(answer: dict[str, Any]) -> None:
    before = json.dumps(answer)
    shown = fit(answer)
    assert size_of(shown) <= BUDGET
    assert json.dumps(answer) == before  # the caller's data is left as it was
    assert "cut" in json.dumps(shown, ensure_ascii=False)


def test_what_cannot_be_cut_to_fit_is_said_so() -> None:
    flat = {f"field_{i:05d}_{'x' * 200}": i for i in range(200)}  # keys only: nothing to halve
    with pytest.raises(AnswerTooLarge):
        fit(flat)

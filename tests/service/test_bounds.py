"""The bounds every name, ID and text is checked against before anything is sent."""

from __future__ import annotations

import pytest

from ax_tasks_mcp.service.bounds import check_lengths, check_reference
from ax_tasks_mcp.service.errors import ValidationError


def test_a_name_to_look_up_with_a_lone_surrogate_is_refused_saying_why() -> None:
    with pytest.raises(ValidationError) as refused:
        check_reference("a\udcffb", "task")
    assert refused.value.message == (
        "The task name or ID must be Unicode text; it has the lone surrogate '\\udcff' at"
        " position 1, from bytes that were not UTF-8 ('a\\udcffb')."
    )


def test_free_text_with_a_lone_surrogate_is_refused_and_a_line_break_is_not() -> None:
    check_lengths({"query_filter": "a = 1\nand b = 2"})
    with pytest.raises(ValidationError, match=r"query_filter must be Unicode text"):
        check_lengths({"query_filter": "a = '\ud800'"})


def test_a_control_character_in_a_name_to_look_up_is_still_named() -> None:
    with pytest.raises(ValidationError, match=r"must be one line of text .* '\\n' at position 1"):
        check_reference("a\nb", "space")

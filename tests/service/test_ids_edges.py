"""Edges of the ID rule that mutation testing found untested."""

from __future__ import annotations

import base64

import pytest

from ax_tasks_mcp.service.errors import ValidationError
from ax_tasks_mcp.service.ids import check_id_type, decode_id, require_id

SPACE_ID = "U3BhY2U6MTpzUGNF"  # Space:1:sPcE
EVALUATOR_ID = base64.b64encode(b"Evaluator:7:aBcD").decode()


def test_an_id_without_a_type_name_does_not_decode() -> None:
    assert decode_id(base64.b64encode(b":5").decode()) is None
    assert decode_id(base64.b64encode(b":5:x").decode()) is None


def test_a_space_id_given_for_a_run_gets_the_space_hint_not_the_runs_one() -> None:
    with pytest.raises(ValidationError) as caught:
        require_id(SPACE_ID, "TaskRun", "run")
    shown = str(caught.value)  # field and operation marks read plainly
    assert "a space ID belongs in space" in shown
    assert "list_runs" not in shown


def test_an_id_of_a_type_without_a_hint_still_says_what_to_check() -> None:
    with pytest.raises(ValidationError) as caught:
        check_id_type(EVALUATOR_ID, "OnlineTask", "task")
    message = caught.value.message
    assert "an Evaluator ID" in message
    assert "None" not in message
    assert message.rstrip(".").endswith("task ID")

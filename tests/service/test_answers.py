"""Reading the API's answers, unit by unit (ax_tasks_mcp/service/answers.py): lowercase enum
values read as UPPERCASE at any depth, the user's own maps left as written, and only the shape the
service relies on checked."""

from __future__ import annotations

from typing import Any

import pytest

from ax_tasks_mcp.service.answers import (
    ENUM_KEYS,
    FREE_FORM,
    Unreadable,
    read_page,
    read_resource,
    upper_enums,
)
from ax_tasks_mcp.service.models import Page


def test_lowercase_enum_values_read_as_uppercase_at_every_depth() -> None:
    answer = {
        "type": "template_evaluation",
        "status": "running",
        "run_configuration": {
            "experiment_type": "llm_generation",
            "input_variable_format": "f_string",
            "messages": [{"role": "user", "content": "hello"}],
        },
        "items": [[{"kind": "span"}]],
    }
    assert upper_enums(answer) == {
        "type": "TEMPLATE_EVALUATION",
        "status": "RUNNING",
        "run_configuration": {
            "experiment_type": "LLM_GENERATION",
            "input_variable_format": "F_STRING",
            "messages": [{"role": "USER", "content": "hello"}],
        },
        "items": [[{"kind": "SPAN"}]],
    }


def test_the_answer_is_changed_in_place_and_returned() -> None:
    answer: dict[str, Any] = {"status": "queued"}
    assert upper_enums(answer) is answer
    assert answer == {"status": "QUEUED"}


@pytest.mark.parametrize("value", ["Running", "RUNNING", "agent-Call", "", "2", None, 3, True])
def test_only_all_lowercase_text_is_raised(value: Any) -> None:
    assert upper_enums({"status": value}) == {"status": value}


def test_only_enum_fields_are_raised() -> None:
    answer = {"name": "nightly", "description": "lower", "id": "abc"}
    assert upper_enums(dict(answer)) == answer


@pytest.mark.parametrize("key", sorted(FREE_FORM))
def test_the_users_own_maps_are_left_as_written(key: str) -> None:
    inner = {"type": "object", "role": "user", "nested": {"status": "x"}}
    answer = {"config": {key: inner}}
    assert upper_enums(answer) == {"config": {key: {**inner}}}
    assert inner == {"type": "object", "role": "user", "nested": {"status": "x"}}


def test_an_enum_key_inside_a_list_under_a_free_form_map_is_still_left() -> None:
    answer = {"column_mappings": [{"type": "lower"}]}
    assert upper_enums(answer) == {"column_mappings": [{"type": "lower"}]}


def test_keys_and_their_order_are_kept() -> None:
    answer = {"z": 1, "type": "span", "a": 2}
    assert list(upper_enums(answer)) == ["z", "type", "a"]


def test_the_enum_and_free_form_lists_hold_the_names_the_service_relies_on() -> None:
    assert {"type", "status", "experiment_type", "role"} <= ENUM_KEYS
    assert {"column_mappings", "schema", "tracing_metadata"} <= FREE_FORM
    assert not ENUM_KEYS & FREE_FORM


# -- one object ----------------------------------------------------------------------------------


def test_an_object_with_an_id_is_read_as_it_is() -> None:
    task = {"id": "T1", "extra": {"new": True}}
    assert read_resource(task) is task


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ([], "expected a JSON object, got list"),
        ("T1", "expected a JSON object, got str"),
        ({"name": "x"}, "the required field 'id' is missing"),
        ({"id": 7}, "the required field 'id' is missing"),
        ({"id": None}, "the required field 'id' is missing"),
    ],
)
def test_an_object_without_a_text_id_is_unreadable(data: Any, why: str) -> None:
    with pytest.raises(Unreadable) as caught:
        read_resource(data)
    assert str(caught.value) == why


# -- a page -------------------------------------------------------------------------------------


def test_a_page_reads_its_items_and_next_cursor() -> None:
    page = read_page(
        {"tasks": [{"id": "a"}, {"id": "b"}], "pagination": {"next_cursor": "c2"}}, "tasks"
    )
    assert page == Page(items=[{"id": "a"}, {"id": "b"}], next_cursor="c2")
    assert page.has_more


@pytest.mark.parametrize(
    "data",
    [
        {"tasks": []},  # no pagination object at all
        {"tasks": [], "pagination": None},
        {"tasks": [], "pagination": "c2"},
        {"tasks": [], "pagination": {}},
        {"tasks": [], "pagination": {"next_cursor": ""}},
        {"tasks": [], "pagination": {"next_cursor": None}},
        {"tasks": [], "pagination": {"next_cursor": 5}},
    ],
)
def test_a_page_without_a_usable_cursor_is_the_last(data: dict[str, Any]) -> None:
    page = read_page(data, "tasks")
    assert page.next_cursor is None
    assert not page.has_more


@pytest.mark.parametrize(
    "data", [{"runs": []}, {"tasks": {"id": "a"}}, {"tasks": None}, [], "tasks"]
)
def test_a_page_without_its_list_is_unreadable_naming_the_field(data: Any) -> None:
    with pytest.raises(Unreadable, match=r"^the required field 'tasks' is missing$"):
        read_page(data, "tasks")


def test_a_page_item_without_an_id_is_unreadable() -> None:
    with pytest.raises(Unreadable, match="'id' is missing"):
        read_page({"tasks": [{"id": "a"}, {"name": "b"}]}, "tasks")

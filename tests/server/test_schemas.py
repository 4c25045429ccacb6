"""Tool inputs, unit by unit (ax_tasks_mcp/server/schemas.py): the compact schema a model reads,
the strict check of its arguments, and one plain line per refused argument."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from pydantic import AfterValidator, BaseModel, Field, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from ax_tasks_mcp.server.schemas import (
    ArgumentError,
    check_arguments,
    compact_input_schema,
    plain_errors,
)

# -- the compact schema ------------------------------------------------------------------------


def test_an_optional_argument_loses_its_null_arm_default_and_titles() -> None:
    schema = {
        "title": "list_tasksArguments",
        "type": "object",
        "properties": {
            "space": {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "default": None,
                "title": "Space",
                "description": "A space.",
            },
            "limit": {"type": "integer", "default": 20, "title": "Limit"},
        },
        "required": [],
    }
    assert compact_input_schema(schema) == {
        "type": "object",
        "properties": {
            "space": {"type": "string", "description": "A space."},
            "limit": {"type": "integer", "default": 20},
        },
        "required": [],
        "additionalProperties": False,
    }


def test_only_a_single_kind_or_null_is_collapsed() -> None:
    both = {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}], "default": None}
    required = {"anyOf": [{"type": "string"}, {"type": "null"}]}  # no default: null is a value
    compact = compact_input_schema({"properties": {"a": both, "b": required}})
    assert compact["properties"]["a"] == {"anyOf": both["anyOf"]}
    assert compact["properties"]["b"] == required


def test_definitions_and_lists_are_compacted_and_open_maps_lose_their_default_marker() -> None:
    schema = {
        "$defs": {"Entry": {"title": "Entry", "type": "object", "additionalProperties": True}},
        "properties": {
            "entries": {"type": "array", "items": [{"title": "X", "type": "string"}]},
            "labels": {"type": "object", "additionalProperties": {}},
            "closed": {"type": "object", "additionalProperties": False},
        },
    }
    compact = compact_input_schema(schema)
    assert compact["$defs"] == {"Entry": {"type": "object"}}
    assert compact["properties"]["entries"] == {"type": "array", "items": [{"type": "string"}]}
    assert compact["properties"]["labels"] == {"type": "object"}
    assert compact["properties"]["closed"] == {"type": "object", "additionalProperties": False}


def test_a_property_or_definition_named_title_or_default_is_kept() -> None:
    named = {"title": {"type": "string"}, "default": {"type": "string"}}
    compact = compact_input_schema({"properties": named, "$defs": named})
    assert set(compact["properties"]) == set(compact["$defs"]) == {"title", "default"}


# -- the strict check --------------------------------------------------------------------------

SCHEMA: dict[str, Any] = {
    "properties": {
        "status": {"type": "string", "enum": ["PENDING", "RUNNING", "COMPLETED"]},
        "kinds": {"type": "array", "items": {"enum": ["SPAN", "TRACE"]}},
        "confirm": {"type": "boolean"},
        "name": {"type": "string"},
    }
}


def test_fixed_values_are_taken_in_any_case_and_given_back_canonical() -> None:
    checked = check_arguments(
        "list_task_runs", SCHEMA, {"status": " running ", "kinds": ["span", "TRACE"]}
    )
    assert checked == {"status": "RUNNING", "kinds": ["SPAN", "TRACE"]}


def test_an_explicit_null_for_an_optional_fixed_value_is_absent_not_refused() -> None:
    assert check_arguments("t", SCHEMA, {"status": None, "confirm": None}) == {
        "status": None,
        "confirm": None,
    }


def test_every_unknown_argument_is_reported_with_the_valid_ones() -> None:
    with pytest.raises(ArgumentError) as caught:
        check_arguments("list_tasks", SCHEMA, {"statuss": "x", "colour": "red", "name": "n"})
    assert str(caught.value).splitlines() == [
        "statuss: list_tasks has no such argument (did you mean 'status'?); valid arguments: "
        "status, kinds, confirm, name.",
        "colour: list_tasks has no such argument; valid arguments: status, kinds, confirm, name.",
    ]


def test_a_value_outside_the_fixed_ones_is_refused_naming_them_with_the_hint() -> None:
    with pytest.raises(ArgumentError) as caught:
        check_arguments(
            "t",
            SCHEMA,
            {"status": "done", "kinds": ["SPAN", "x"]},
            hints={"status": "Use list_task_runs to see them."},
        )
    assert str(caught.value).splitlines() == [
        "status: must be one of PENDING, RUNNING, COMPLETED (any case), not 'done'. "
        "Use list_task_runs to see them.",
        "kinds: must be one of SPAN, TRACE (any case), not 'x'.",
    ]


def test_a_non_text_value_for_a_fixed_value_is_refused() -> None:
    with pytest.raises(ArgumentError, match=r"^status: must be one of .*, not 3\.$"):
        check_arguments("t", SCHEMA, {"status": 3})


@pytest.mark.parametrize("value", ["true", 1, 0, "no"])
def test_a_boolean_must_be_a_json_boolean(value: Any) -> None:
    with pytest.raises(ArgumentError) as caught:
        check_arguments("delete_task", SCHEMA, {"confirm": value})
    assert str(caught.value) == (f"confirm: must be true or false (a JSON boolean), not {value!r}.")


NUMBERS: dict[str, Any] = {
    "properties": {"limit": {"type": "integer"}, "sampling_rate": {"type": "number"}}
}


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        ({"limit": "5"}, "limit: must be a whole JSON number, not the text '5'."),
        ({"limit": 5.0}, "limit: must be a whole JSON number, not 5.0."),
        ({"limit": True}, "limit: must be a whole JSON number, not True."),
        ({"sampling_rate": "0.3"}, "sampling_rate: must be a JSON number, not the text '0.3'."),
        ({"sampling_rate": [0.3]}, "sampling_rate: must be a JSON number, not [0.3]."),
    ],
)
def test_a_number_must_be_a_json_number_and_the_refusal_quotes_what_was_given(
    arguments: dict[str, Any], line: str
) -> None:
    """Text is called text, so a model sees it sent "5" where 5 was meant; anything else is
    quoted as it came."""
    with pytest.raises(ArgumentError) as caught:
        check_arguments("t", NUMBERS, arguments)
    assert str(caught.value) == line


def test_whole_and_fractional_numbers_and_null_pass_unchanged() -> None:
    given = {"limit": 5, "sampling_rate": 0.3}
    assert check_arguments("t", NUMBERS, given) == given
    assert check_arguments("t", NUMBERS, {"sampling_rate": 1, "limit": None}) == {
        "sampling_rate": 1,
        "limit": None,
    }


def test_a_list_for_a_list_of_fixed_values_is_checked_and_anything_else_passes_through() -> None:
    assert check_arguments("t", SCHEMA, {"kinds": "SPAN", "name": 5}) == {
        "kinds": "SPAN",
        "name": 5,
    }
    assert check_arguments("t", {}, {}) == {}
    with pytest.raises(ArgumentError, match=r"^x: t has no such argument; valid arguments: \.$"):
        check_arguments("t", {}, {"x": 1})


def test_a_long_refused_value_is_cut_to_sixty_characters() -> None:
    long = "x" * 100
    with pytest.raises(ArgumentError) as caught:
        check_arguments("t", SCHEMA, {"status": long})
    shown = str(caught.value).rsplit("not ", 1)[1].removesuffix(".")
    assert shown == repr(long)[:57] + "..."
    assert len(shown) == 60
    exact = "y" * 58  # its repr is exactly sixty characters: shown whole
    with pytest.raises(ArgumentError, match=f"not '{exact}'\\.$"):
        check_arguments("t", SCHEMA, {"status": exact})


# -- plain errors ------------------------------------------------------------------------------


def _positive(value: int) -> int:
    if value < 1:
        raise ValueError("give a number of at least 1")
    return value


class Mapping_(BaseModel):
    variable_name: str
    query_ids: list[str]


class Arguments(BaseModel):
    name: str
    limit: Annotated[int, AfterValidator(_positive)] = 1
    mappings: list[Mapping_] = []
    labels: dict[str, int] = {}
    choice: int | str | None = None
    flag: bool = False
    code: Annotated[str, Field(min_length=1)] = "c"
    tags: Annotated[list[str], Field(max_length=1)] = []


def _errors(**given: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        Arguments.model_validate(given)
    return plain_errors(caught.value)


def test_a_missing_argument_is_required() -> None:
    assert _errors() == "name: required."


def test_a_value_error_reads_as_its_own_sentence_with_what_was_given() -> None:
    assert _errors(name="n", limit=0) == "limit: give a number of at least 1. Got 0."


def test_input_should_be_reads_must_be() -> None:
    assert _errors(name="n", flag="maybe") == (
        "flag: must be a valid boolean, unable to interpret input. Got 'maybe'."
    )


def test_a_length_refusal_reads_must_have() -> None:
    assert _errors(name="n", code="") == "code: must have at least 1 character. Got ''."
    assert _errors(name="n", tags=["a", "b"]) == (
        "tags: must have at most 1 item after validation, not 2. Got ['a', 'b']."
    )


def test_nested_paths_name_list_positions_and_fields_without_pydantic_tags() -> None:
    text = _errors(name="n", mappings=[{"variable_name": "v", "query_ids": ["a", 3]}])
    assert text == "mappings[0].query_ids[1]: must be a valid string. Got 3."


def test_a_dict_entry_is_named_by_its_key() -> None:
    assert _errors(name="n", labels={"a": "x"}) == (
        "labels.a: must be a valid integer, unable to parse string as an integer. Got 'x'."
    )


def _refusal(*errors: tuple[tuple[int | str, ...], str, str]) -> ValidationError:
    """A validation failure with exactly these (location, kind, message) errors."""
    details: list[InitErrorDetails] = [
        {"type": PydanticCustomError(kind, message), "loc": loc, "input": "v"}
        for loc, kind, message in errors
    ]
    return ValidationError.from_exception_data("Arguments", details)


def test_pydantic_s_own_steps_are_left_out_of_the_path() -> None:
    loc = (
        "evaluators",
        0,
        "function-after",
        "list[str]",
        "union[a,b]",
        "dict[str,int]",
        "json-or-python[json=x]",
        "function-before",
        "column_mappings",
        2,
    )
    assert plain_errors(_refusal((loc, "bad", "Input is odd"))) == (
        "evaluators[0].column_mappings[2]: is odd. Got 'v'."
    )


def test_one_line_per_argument_the_first_reason_kept() -> None:
    text = plain_errors(
        _refusal(
            (("limit",), "first", "Value error, too small"),
            (("limit",), "second", "Input should be larger"),
            (("name",), "third", "Input should be text."),
        )
    )
    assert text.splitlines() == [
        "limit: too small. Got 'v'.",
        "name: must be text. Got 'v'.",
    ]


def test_a_failure_with_no_location_is_about_the_arguments() -> None:
    assert plain_errors(_refusal(((), "bad", "Something else"))) == (
        "arguments: Something else. Got 'v'."
    )


def test_a_location_that_starts_with_a_position_is_named_by_it() -> None:
    assert plain_errors(_refusal(((0, "name"), "bad", "Input is X"))) == (
        "[0].name: is X. Got 'v'."
    )


def test_each_refused_argument_has_its_line() -> None:
    assert _errors(limit=0, flag="x").splitlines() == [
        "name: required.",
        "limit: give a number of at least 1. Got 0.",
        "flag: must be a valid boolean, unable to interpret input. Got 'x'.",
    ]


def test_a_whole_input_refusal_names_the_arguments_and_strips_input() -> None:
    with pytest.raises(ValidationError) as caught:
        Arguments.model_validate("not an object")
    assert plain_errors(caught.value) == (
        "arguments: must be a valid dictionary or instance of Arguments. Got 'not an object'."
    )

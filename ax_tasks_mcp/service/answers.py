"""Reading the API's answers tolerantly (the API is ALPHA and moves).

An answer is JSON read once into plain dicts: the API's field names and order, times as sent,
unknown fields kept, enum values this version does not know kept as received. Only what the
service relies on is checked: an object with an ``id``, a page holding a list of them.
"""

from __future__ import annotations

from typing import Any, Final

from ax_tasks_mcp.service.models import Page, Resource

__all__ = ["ENUM_KEYS", "FREE_FORM", "Unreadable", "read_page", "read_resource", "upper_enums"]


ENUM_KEYS: Final = frozenset(
    {
        "type",
        "status",
        "experiment_type",
        "input_variable_format",
        "role",
        "project_type",
        "provider",
        "auth_type",
        "kind",
    }
)
# Maps whose keys and values are the user's own (a JSON schema has "type": "object").
FREE_FORM: Final = frozenset(
    {
        "schema",
        "input_template",
        "provider_parameters",
        "headers",
        "column_mappings",
        "column_mapping",
        "tracing_metadata",
        "classification_choices",
    }
)


def upper_enums(data: Any) -> Any:
    """Servers that still write lowercase enum values (older docs) read as UPPERCASE; keys,
    their order and every other value stay as received."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ENUM_KEYS and isinstance(value, str) and value.islower():
                data[key] = value.upper()
            elif key not in FREE_FORM:
                upper_enums(value)
    elif isinstance(data, list):
        for item in data:
            upper_enums(item)
    return data


class Unreadable(Exception):
    """An answer without the shape the service relies on."""


def read_resource(data: Any) -> Resource:
    if not isinstance(data, dict):
        raise Unreadable(f"expected a JSON object, got {type(data).__name__}")
    if not isinstance(data.get("id"), str):
        raise Unreadable("the required field 'id' is missing")
    return data


def read_page(data: Any, key: str) -> Page:
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise Unreadable(f"the required field {key!r} is missing")
    items = [read_resource(item) for item in data[key]]
    pagination = data.get("pagination")
    cursor = pagination.get("next_cursor") if isinstance(pagination, dict) else None
    return Page(items=items, next_cursor=cursor if isinstance(cursor, str) and cursor else None)

"""The shipped JSON Schema of a tasks file, and its verdict as one line in the file's words.

``tasks-file.schema.json`` is derived from the spec by scripts/tasks_file_schema.py (a test
keeps it so).  A document is checked against it whole; of its errors, the one that comes first
in the file is told, at the key or value to blame, naming the field by its path in the file and
the task by its name.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any, Final

from ax_tasks_mcp.service.plans.locations import FileError, Where
from ax_tasks_mcp.service.plans.marked import Marked, Path

if TYPE_CHECKING:
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError as SchemaError

__all__ = ["REPLACES", "SCHEMA_FILE", "check_document", "field_label", "schema", "schema_url"]

SCHEMA_FILE: Final = FilePath(__file__).with_name("tasks-file.schema.json")
#: The mark on a field whose change replaces the task (the update shape cannot change it).
REPLACES: Final = "x-replaces-task"

_TYPES: Final = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "object": "an object (key: value lines)",
    "array": "a list",
    "null": "null",
}


@functools.cache
def schema() -> dict[str, Any]:
    """The tasks-file schema, as shipped."""
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


def schema_url() -> str:
    """Where editors find the schema (its ``$id``), for the modeline export writes."""
    return str(schema()["$id"])


@functools.cache
def _validator() -> Draft7Validator:
    """A validator over the schema with its references inlined (half the time per task)."""
    from jsonschema import Draft7Validator

    definitions = schema()["definitions"]
    inlined: dict[str, dict[str, Any]] = {}

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                name = node["$ref"].rsplit("/", 1)[-1]
                if name not in inlined:
                    inlined[name] = {}  # claimed first: a definition may refer to itself
                    inlined[name].update(inline(definitions[name]))
                return inlined[name]
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(value) for value in node]
        return node

    return Draft7Validator(inline({k: v for k, v in schema().items() if k != "definitions"}))


def check_document(marked: Marked) -> None:
    """Raise the FileError of the first problem in the file, if the schema finds any."""
    found = [_told(marked, _deepest(error)) for error in _validator().iter_errors(marked.data)]
    if found:
        raise min(found, key=lambda e: (e.where.line, e.where.column))


def _deepest(error: SchemaError) -> SchemaError:
    """Inside an anyOf/oneOf, the error of the branch that was meant (not the null branch)."""
    while error.context:
        options = error.validator_value if isinstance(error.validator_value, list) else []
        meant = [e for e in error.context if not _null_branch(options, e)]
        if not meant:
            break
        error = max(meant, key=lambda e: len(e.absolute_path))
    return error


def _null_branch(options: list[Any], error: SchemaError) -> bool:
    branch = error.schema_path[0] if error.schema_path else None
    return isinstance(branch, int) and branch < len(options) and options[branch] == {"type": "null"}


def field_label(data: Any, path: Path) -> str:
    """A path in the file's words, the task by its name: ``task 'nightly', sampling_rate``."""
    for start in range(len(path) - 1):
        if path[start] == "tasks" and isinstance(path[start + 1], int):
            task_path = path[: start + 2]
            rest = _dotted(path[start + 2 :])
            task = _get(data, task_path)
            name = task.get("name") if isinstance(task, Mapping) else None
            label = f"task {name!r}" if isinstance(name, str) else _dotted(task_path)
            return f"{label}, {rest}" if rest else label
    return _dotted(path)


def _dotted(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def _get(data: Any, path: Path) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _told(marked: Marked, error: SchemaError) -> FileError:
    path: Path = tuple(error.absolute_path)
    where: Where = marked.at(path)
    kind, value = error.validator, error.instance
    expected: Any = error.validator_value
    here: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    if kind == "additionalProperties" and isinstance(value, Mapping):
        known = list(here.get("properties", {}))
        extra = next(k for k in value if k not in known)
        guess = difflib.get_close_matches(extra, known, n=1)
        hint = f" (did you mean {guess[0]}?)" if guess else ""
        path = (*path, extra)
        where = marked.at(path, key=True)
        problem = f"unknown field{hint}; the fields here are: {', '.join(known)}."
    elif kind == "required" and isinstance(value, Mapping):
        missing = [k for k in expected if k not in value]
        problem = f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing."
        if not path:
            problem = "a file lists tasks (with an optional space) or spaces (each with its tasks)."
    elif kind == "not" and not path:
        problem = "give either space and tasks, or spaces (each with its own space and tasks)."
    else:
        problem = _problem(str(kind), expected, value, error.message)
    return FileError(where, problem, field=field_label(marked.data, path) or None)


def _problem(kind: str, expected: Any, value: Any, fallback: str) -> str:
    shown = _shown(value)
    if kind == "type":
        wanted = " or ".join(_TYPES.get(t, t) for t in _as_list(expected))
        hint = ""
        if isinstance(value, bool | date) and "string" in _as_list(expected):
            hint = " (quote it: YAML reads yes, no, on, off and dates as other things)"
        return f"must be {wanted}, not {shown}{hint}."
    if kind == "enum":
        twins = {
            v for v in expected if isinstance(v, str) and v != v.upper() and v.upper() in expected
        }
        values = [v for v in expected if v not in twins]  # the lowercase forms go unsaid
        any_case = " (any case)" if len(values) < len(expected) else ""
        return f"must be one of {', '.join(map(str, values))}{any_case}, not {shown}."
    if kind in ("minimum", "maximum"):
        bound = "at least" if kind == "minimum" else "at most"
        return f"must be {bound} {expected:g}, not {shown}."
    if kind in ("minItems", "maxItems"):
        bound = "at least" if kind == "minItems" else "at most"
        return f"needs {bound} {expected} {'entry' if expected == 1 else 'entries'}."
    if kind == "minLength":
        return "must not be empty." if expected == 1 else f"needs at least {expected} characters."
    if kind == "maxLength":
        return f"may have at most {expected} characters (this has {len(value)})."
    if kind == "pattern":
        return f"must match {expected}, not {shown}."
    if kind == "minProperties":
        return "must not be empty."
    return fallback.rstrip(".") + "."


def _as_list(value: Any) -> Sequence[Any]:
    return value if isinstance(value, list) else [value]


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."

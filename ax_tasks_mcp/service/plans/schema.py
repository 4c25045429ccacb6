"""The shipped JSON Schema of a tasks file, and its verdict as one line in the file's words.

``tasks-file.schema.json`` is derived from the spec by scripts/tasks_file_schema.py (a test
keeps it so).  A document is checked against it whole, and every problem is told at once, in
file order, each at the key or value to blame, naming the field by its path in the file and
the task by its name, and quoting a value as the file writes it.  A task whose type is missing
or unknown has its fields checked against those of every type, so a misspelt field or a value
of the wrong kind is not hidden behind the missing type.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any, Final

from ax_tasks_mcp.service.plans.locations import FileError
from ax_tasks_mcp.service.plans.marked import Marked, Path

if TYPE_CHECKING:
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError as SchemaError

__all__ = [
    "REPLACES",
    "SCHEMA_FILE",
    "check_document",
    "field_label",
    "schema",
    "schema_url",
    "value_at",
]

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


Told = tuple[Path, FileError]


def check_document(marked: Marked) -> None:
    """Raise a FileError that tells every problem the schema finds in the file, if any."""
    found: list[Told] = []
    for error in _validator().iter_errors(marked.data):
        found.extend(_told(marked, _deepest(error)))
    for path, task in _task_entries(marked.data):
        if task.get("type") not in _typed_fields():
            found.extend(_untyped(marked, path, task))
    blamed = {path for path, _ in found}
    found.extend(told for told in _not_finite(marked, marked.data, ()) if told[0] not in blamed)
    unique = {str(error): error for _, error in found}
    if unique:
        raise FileError.of(list(unique.values()))


def _task_entries(data: Any) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Each task of the document that is an object, and its path."""
    groups: list[tuple[Path, Any]] = [((), data)]
    if isinstance(data, Mapping) and isinstance(data.get("spaces"), list):
        groups = [(("spaces", i), group) for i, group in enumerate(data["spaces"])]
    for path, group in groups:
        tasks = group.get("tasks") if isinstance(group, Mapping) else None
        for index, task in enumerate(tasks if isinstance(tasks, list) else []):
            if isinstance(task, dict):
                yield (*path, "tasks", index), task


@functools.cache
def _typed_fields() -> dict[str, dict[str, Draft7Validator]]:
    """Each type of task (UPPERCASE), and a validator of each of its fields."""
    from jsonschema import Draft7Validator

    root: Any = _validator().schema
    task = root["properties"]["tasks"]["items"]
    typed: dict[str, dict[str, Draft7Validator]] = {}
    for rule in task["allOf"]:
        fields = {k: Draft7Validator(v) for k, v in rule["then"]["properties"].items()}
        for name in rule["if"]["properties"]["type"]["enum"]:
            typed.setdefault(name.upper(), fields)
    return typed


def _untyped(marked: Marked, path: Path, task: Mapping[str, Any]) -> list[Told]:
    """The fields of a task whose type is missing or unknown, checked against every type's:
    a field no type has is unknown, a value no type takes is wrong as the first type says."""
    known: dict[str, list[Draft7Validator]] = {}
    for fields in _typed_fields().values():
        for key, validator in fields.items():
            known.setdefault(key, []).append(validator)
    found: list[Told] = []
    for key, value in task.items():
        if key == "type":
            continue  # told by the schema itself: missing, or not one of the types
        if key not in known:
            found.append(_unknown(marked, (*path, key), list(known), "the fields of a task"))
            continue
        verdicts = [list(validator.iter_errors(value)) for validator in known[key]]
        if all(verdicts):
            for error in verdicts[0]:
                found.extend(_told(marked, _deepest(error), prefix=(*path, key)))
    return found


def _not_finite(marked: Marked, value: Any, path: Path) -> Iterator[Told]:
    """Each .nan, .inf or number too large for a float: JSON cannot carry them."""
    if isinstance(value, float) and not math.isfinite(value):
        what = "a number" if math.isnan(value) else "a finite number"
        problem = f"must be {what}, not {_shown(value, marked.texts.get(path))}."
        yield path, FileError(marked.at(path), problem, field=field_label(marked.data, path))
    elif isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _not_finite(marked, inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _not_finite(marked, inner, (*path, index))


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
            task = value_at(data, task_path)
            name = task.get("name") if isinstance(task, Mapping) else None
            label = f"task {name!r}" if isinstance(name, str) else _dotted(task_path)
            return f"{label}, {rest}" if rest else label
    return _dotted(path)


def _dotted(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".")


def value_at(data: Any, path: Path) -> Any:
    """The value at ``path`` in ``data``, or None where there is none."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _told(marked: Marked, error: SchemaError, prefix: Path = ()) -> list[Told]:
    """What a schema error says, in the file's words (an unknown field per field); ``prefix``:
    the path of the value a validator of one field was given."""
    path: Path = (*prefix, *error.absolute_path)
    kind, value = error.validator, error.instance
    expected: Any = error.validator_value
    here: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    if kind == "additionalProperties" and isinstance(value, Mapping):
        known = list(here.get("properties", {}))
        return [
            _unknown(marked, (*path, extra), known, "the fields here")
            for extra in value
            if extra not in known
        ]
    if kind == "required" and isinstance(value, Mapping):
        problem = _missing([k for k in expected if k not in value], path)
    elif kind == "not" and not path:
        problem = "give either space and tasks, or spaces (each with its own space and tasks)."
    else:
        problem = _problem(str(kind), expected, value, error.message, marked.texts.get(path))
    label = field_label(marked.data, path) or None
    return [(path, FileError(marked.at(path), problem, field=label))]


def _unknown(marked: Marked, path: Path, known: list[str], these: str) -> Told:
    guess = difflib.get_close_matches(str(path[-1]), known, n=1)
    hint = f" (did you mean {guess[0]}?)" if guess else ""
    problem = f"unknown field{hint}; {these} are: {', '.join(known)}."
    where = marked.at(path, key=True)
    return path, FileError(where, problem, field=field_label(marked.data, path))


def _missing(missing: list[str], path: Path) -> str:
    if not path:
        return "a file lists tasks (with an optional space) or spaces (each with its tasks)."
    said = f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing"
    if len(path) < 2 or path[-2] != "tasks":
        return f"{said}."
    # A file may be applied where the task does not exist (another space, a task deleted by
    # hand): what creating it needs is needed of every task.
    needed = "it is" if len(missing) == 1 else "they are"
    return (
        f"{said}: every task in a file is described whole, and {needed} needed to create the "
        "task where it does not exist."
    )


def _problem(kind: str, expected: Any, value: Any, fallback: str, text: str | None = None) -> str:
    shown = _shown(value, text)
    if kind == "type":
        wanted = " or ".join(_TYPES.get(t, t) for t in _as_list(expected))
        hint = ""
        if isinstance(value, bool | date | int | float) and "string" in _as_list(expected):
            read = _shown(value) if isinstance(value, bool) else _TYPES["number"]
            read = "a date" if isinstance(value, date) else read
            hint = f" (it reads as {read}: quote it to make it text)"
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


def _shown(value: Any, text: str | None = None) -> str:
    """A value as the file writes it (``text``, for one that is not text), else as read."""
    if text is not None:
        return text if len(text) <= 60 else text[:57] + "..."
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

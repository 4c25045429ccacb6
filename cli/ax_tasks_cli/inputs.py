"""Turning command-line text into values: JSON arguments, comma lists, date-times.

A JSON argument (``--evaluators``, ``--run-configuration``, ``--tracing-metadata``, ...) may be

* inline JSON: ``'[{"evaluator_id": "RXZhbHVhdG9yOjEyOmFCY0Q="}]'``;
* ``@file.json``: the file's content;
* a bare path to an existing file;
* ``-``: standard input.

Every mistake becomes a :class:`~ax_tasks_cli.errors.UsageProblem` naming the option, and for broken
JSON the line and column, so the CLI can print one line and exit 2.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from ax_tasks_cli.errors import UsageProblem

__all__ = [
    "parse_datetime",
    "parse_id_list",
    "read_json_argument",
    "require_array_of_objects",
    "require_object",
    "require_string_map",
]

_JSON_STARTS = ("{", "[", '"')


def _read_text(option: str, path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageProblem(f"{option}: the file {str(path)!r} does not exist.") from None
    except IsADirectoryError:
        raise UsageProblem(f"{option}: {str(path)!r} is a directory, not a JSON file.") from None
    except UnicodeDecodeError:
        raise UsageProblem(f"{option}: the file {str(path)!r} is not UTF-8 text.") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageProblem(f"{option}: cannot read {str(path)!r}: {reason}.") from None


def _decode(option: str, text: str, source: str) -> Any:
    if not text.strip():
        raise UsageProblem(f"{option}: {source} is empty; expected JSON.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageProblem(
            f"{option}: invalid JSON in {source} at line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}."
        ) from None


def read_json_argument(
    option: str, value: str, *, stdin: Callable[[], TextIO] | None = None
) -> Any:
    """The JSON value an argument stands for (inline, ``@file``, a path, or ``-``)."""
    if value == "-":
        stream = stdin() if stdin is not None else sys.stdin
        return _decode(option, stream.read(), "standard input")
    if value.startswith("@"):
        name = value[1:]
        if not name:
            raise UsageProblem(f"{option}: '@' must be followed by a file name, e.g. @config.json.")
        path = Path(os.path.expanduser(name))
        return _decode(option, _read_text(option, path), f"the file {name!r}")
    stripped = value.lstrip()
    if not stripped.startswith(_JSON_STARTS):
        path = Path(os.path.expanduser(value))
        if path.is_file():
            return _decode(option, _read_text(option, path), f"the file {value!r}")
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        hint = ""
        if not stripped.startswith(_JSON_STARTS):
            hint = " (it is not an existing file either; use @file.json for a file)"
        raise UsageProblem(
            f"{option}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}{hint}."
        ) from None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def require_object(option: str, value: Any, example: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UsageProblem(
            f"{option}: expected a JSON object such as {example}, got {_kind(value)}."
        )
    return value


def require_array_of_objects(option: str, value: Any, example: str) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        value = [value]  # one evaluator given without the brackets
    if not isinstance(value, list):
        raise UsageProblem(
            f"{option}: expected a JSON array such as {example}, got {_kind(value)}."
        )
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise UsageProblem(
                f"{option}: item {index} of the array is {_kind(item)}; each item must be an "
                f"object such as {example[1:-1]}."
            )
    return value


def require_string_map(option: str, value: Any, example: str) -> dict[str, str]:
    """A JSON object of string values; numbers and booleans are turned into their JSON text."""
    mapping = require_object(option, value, example)
    result: dict[str, str] = {}
    for key, item in mapping.items():
        if isinstance(item, str):
            result[key] = item
        elif isinstance(item, bool | int | float):
            result[key] = json.dumps(item)
        else:
            raise UsageProblem(
                f"{option}: the value of {key!r} is {_kind(item)}; values must be strings."
            )
    return result


def parse_id_list(value: str | None) -> list[str] | None:
    """``"a, b,,c"`` → ``["a", "b", "c"]``; None stays None."""
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]


def parse_datetime(option: str, value: str | None) -> datetime | None:
    """ISO 8601 / RFC 3339 text as an aware datetime; a date or a naive time is taken as UTC."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        raise UsageProblem(f"{option}: empty date-time; use e.g. 2024-01-01T00:00:00Z.")
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        raise UsageProblem(
            f"{option}: {value!r} is not an ISO 8601 date-time; use e.g. 2024-01-01T00:00:00Z "
            "or 2024-01-01T00:00:00+02:00."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment

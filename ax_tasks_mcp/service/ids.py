"""Arize global IDs: tell them from names, decode them, check their type.

An ID is standard base64 (with padding) of ``TypeName:number[:suffix]``, for example
``VGFza1J1bjo5OTpxUndY`` is ``TaskRun:99:qRwX``.  The rule for "is this an ID or a name" is
the official SDK's (contract §8.1), so both tools read the same strings the same way.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from typing import NamedTuple

from ax_tasks_mcp.service.bounds import MAX_REFERENCE
from ax_tasks_mcp.service.errors import ValidationError, shown
from ax_tasks_mcp.service.words import field, operation

__all__ = [
    "TYPE_NOUNS",
    "DecodedId",
    "check_id_type",
    "decode_id",
    "encode_id",
    "is_resource_id",
    "require_id",
]

#: Known decoded type names and what people call them.
TYPE_NOUNS: dict[str, str] = {
    "Space": "space",
    "Model": "project",
    "Dataset": "dataset",
    "DatasetVersion": "dataset version",
    "Evaluator": "evaluator",
    "EvaluatorVersion": "evaluator version",
    "Experiment": "experiment",
    "LlmIntegration": "AI integration",
    "OnlineTask": "task",
    "TaskRun": "task run",
    "User": "user",
}

#: What to do with an ID of this type when it was given in the wrong place.
_HINTS: dict[str, str] = {
    "TaskRun": (
        f"to look at a run use {operation('get_run')}, {operation('wait_for_run')} or "
        f"{operation('cancel_run')}"
    ),
    "Model": f"a project ID belongs in {field('project')}",
    "Dataset": f"a dataset ID belongs in {field('dataset')}",
    "Space": f"a space ID belongs in {field('space')}",
}


class DecodedId(NamedTuple):
    """The parts of a decoded global ID."""

    type_name: str
    number: int
    suffix: str | None


def _decode_text(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        raw = base64.b64decode(value, validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):  # ValueError covers non-ASCII input and bad UTF-8
        return None
    return text


def is_resource_id(value: object) -> bool:
    """True when ``value`` is strict padded base64 of UTF-8 text that contains ``:``."""
    text = _decode_text(value)
    return text is not None and ":" in text


def decode_id(value: object) -> DecodedId | None:
    """``(type_name, number, suffix)`` for a well-formed global ID, otherwise None.

    A string can pass :func:`is_resource_id` yet not decode here (``Zm9vOmJhcg==`` is
    ``foo:bar``, whose number part is not a number).
    """
    text = _decode_text(value)
    if text is None or ":" not in text:
        return None
    type_name, _, rest = text.partition(":")
    number_text, sep, suffix = rest.partition(":")
    if not type_name or not number_text.isascii() or not number_text.isdigit():
        return None
    return DecodedId(type_name, int(number_text), suffix if sep else None)


def encode_id(type_name: str, number: int, suffix: str | None = None) -> str:
    """The global ID for ``type_name:number[:suffix]`` (standard base64 with padding)."""
    if not type_name or ":" in type_name:
        raise ValueError(f"invalid ID type name {type_name!r}")
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise ValueError(f"invalid ID number {number!r}")
    text = f"{type_name}:{number}" if suffix is None else f"{type_name}:{number}:{suffix}"
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _as_set(expected: str | Iterable[str]) -> set[str]:
    return {expected} if isinstance(expected, str) else set(expected)


def _a(word: str) -> str:
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


def _expected_text(expected: set[str], what: str) -> str:
    return f"{_a(what)} ID ({', '.join(sorted(expected))})"


def check_id_type(value: str, expected: str | Iterable[str], what: str) -> None:
    """Raise :class:`ValidationError` when ``value`` is an ID of a known, different type.

    ``expected`` holds the acceptable type names (``"OnlineTask"``), ``what`` names the
    argument for people (``"task"``).  Names, IDs that do not decode and IDs of types this
    module does not know are let through: the server has the final word.
    """
    wanted = _as_set(expected)
    decoded = decode_id(value)
    if decoded is None or decoded.type_name in wanted or decoded.type_name not in TYPE_NOUNS:
        return
    actual = decoded.type_name
    if actual == "OnlineTask" and "TaskRun" in wanted:
        hint = f"a task's runs and their IDs are listed by {operation('list_runs')}"
    else:
        hint = _HINTS.get(actual, f"check that you copied the right {what} ID")
    raise ValidationError(
        f"{shown(value)} is {_a(actual)} ID ({_a(TYPE_NOUNS[actual])}), but "
        f"{_expected_text(wanted, what)} is expected; {hint}."
    )


def require_id(value: str, expected: str | Iterable[str], what: str) -> str:
    """Like :func:`check_id_type`, but a name (anything not an ID) is rejected too.

    For arguments that only take IDs, such as run IDs.  Returns ``value`` unchanged.
    """
    if len(value) > MAX_REFERENCE or not is_resource_id(value):
        wanted = _as_set(expected)
        example = encode_id(sorted(wanted)[0], 99, "qRwX")
        raise ValidationError(
            f"{shown(value)} is not {_expected_text(wanted, what)}: {what} IDs are base64 strings "
            f"like {example}. Names are not accepted here; copy the ID from a listing."
        )
    check_id_type(value, expected, what)
    return value

"""How long a string we send may be: the spec's limits, and ours where the spec sets none.

Checked before anything is sent, so an oversized value is one plain refusal that quotes a short
prefix of it: never a request the API answers by echoing a megabyte back, a URL too long to
build, or a task name that floods every later listing of its space.  Names are one line: control
characters (NUL, line breaks, tabs) are refused in them, in a new name as in a name or ID given
to look something up (:func:`check_reference`, which the resolver applies to every name any
caller gives).

:data:`FIELD_LIMITS` names each bounded field by its API name, so a face checks its arguments
with :func:`check_lengths` (nested objects too) and shows results cut to the same bounds.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from ax_tasks_mcp.service.errors import ValidationError, shown
from ax_tasks_mcp.service.words import field

__all__ = [
    "FIELD_LIMITS",
    "MAX_KEY",
    "MAX_NAME",
    "MAX_REFERENCE",
    "MAX_TEXT",
    "check_lengths",
    "check_reference",
    "check_references",
    "check_text",
]

#: A task's name (ours: the spec sets no bound): the name filter's own bound, so a task can
#: always be found by its whole name.
MAX_NAME: Final = 255
#: A name or an ID given to look something up (ours): names are at most 255, IDs are short.
MAX_REFERENCE: Final = 255
#: A key of a mapping (column_mappings, tracing_metadata): the spec's variable_name bound.
MAX_KEY: Final = 256
#: Any other text, such as a prompt template or a message (ours).
MAX_TEXT: Final = 50_000

#: The bound of each field by its API name; the spec's where it gives one.
FIELD_LIMITS: Final[Mapping[str, int]] = {
    # names and the filters that find them: the spec's NameQuery, SpaceNameQuery (255)
    "name": MAX_NAME,
    "experiment_name": 255,  # spec: TriggerRunExperimentTaskRunRequest
    # names or IDs of things to look up (ours)
    **dict.fromkeys(
        (
            "space",
            "task",
            "project",
            "dataset",
            "evaluator",
            "evaluator_id",
            "evaluator_version_id",
            "run_id",
            "ai_integration_id",
            "integration_id",
            "dataset_version_id",
            "prompt_version_id",
            "model_name",
            "experiment_ids",
            "example_ids",
            "evaluation_task_ids",
            "query_ids",
        ),
        MAX_REFERENCE,
    ),
    "cursor": 1024,  # ours: opaque, and sent in a URL
    # filters: the spec bounds a trace/session filter at 2,000; span filters get the same
    "filter": 2000,
    "query_filter": 2000,
    "expression": 512,  # spec: TaskQueryFiltersInput
    "variable_name": 256,  # spec: TaskQueryMappingInput
    "attribute_path": 1024,  # spec: TaskQueryMappingInput
    "column_mappings": 1024,  # a column path, as attribute_path
}

#: Fields whose value is a name or an ID to look something up.
_REFERENCES: Final = frozenset(f for f, bound in FIELD_LIMITS.items() if bound == MAX_REFERENCE)
#: Fields whose value is a name, or a name or ID to look up: one line, no control characters.
_ONE_LINE: Final = frozenset({"name", "experiment_name", *_REFERENCES})
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


_SURROGATE: Final = re.compile(r"[\ud800-\udfff]")


def _problem(value: str, *, one_line: bool) -> str | None:
    """What makes ``value`` unusable as text, as the end of a sentence, or None: a lone
    surrogate (bytes that were not UTF-8 reach Python so, and no URL or file can carry one),
    or, ``one_line``, a control character."""
    if (bad := _SURROGATE.search(value)) is not None:
        return (
            f"must be Unicode text; it has the lone surrogate {bad.group()!r} at position"
            f" {bad.start()}, from bytes that were not UTF-8"
        )
    if one_line and (bad := _CONTROL.search(value)) is not None:
        return (
            "must be one line of text without control characters; it has"
            f" {bad.group()!r} at position {bad.start()}"
        )
    return None


def check_reference(value: str, noun: str) -> None:
    """A name or ID given to look up a ``noun`` (``space``, ``task``): one line, at most
    :data:`MAX_REFERENCE` characters.  No name a resource can be given holds a control
    character, so looking one up could only miss (or find what a flood planted)."""
    if len(value) > MAX_REFERENCE:
        raise ValidationError(
            f"The {noun} name or ID may be at most {MAX_REFERENCE} characters; it has"
            f" {len(value):,} ({shown(value)})."
        )
    if (problem := _problem(value, one_line=True)) is not None:
        raise ValidationError(f"The {noun} name or ID {problem} ({shown(value)}).")


def check_text(
    value: Any, what: str, limit: int, *, one_line: bool = False, where: str = ""
) -> None:
    """Refuse a string longer than ``limit``, holding a lone surrogate or (``one_line``) a
    control character, quoting a short prefix; anything that is not a string is left to other
    checks.  ``what`` is the field's API name, ``where`` the path inside it."""
    if not isinstance(value, str):
        return
    if len(value) > limit:
        raise ValidationError(
            f"{field(what)}{where} may be at most {limit:,} characters; it has {len(value):,}"
            f" ({shown(value)})."
        )
    if (problem := _problem(value, one_line=one_line)) is not None:
        raise ValidationError(f"{field(what)}{where} {problem} ({shown(value)}).")


def check_lengths(
    values: Mapping[str, Any],
    *,
    limits: Mapping[str, int] = FIELD_LIMITS,
    only: frozenset[str] | None = None,
) -> None:
    """Check every string in ``values`` (nested objects and lists too) against the bound of the
    nearest field name above it, :data:`MAX_TEXT` when it has none; keys at most
    :data:`MAX_KEY`.  The message names the path, e.g. ``evaluators[0].query_filter``.
    ``only``: check the strings under those field names alone."""
    for name, value in values.items():
        _walk(value, name, "", name, limits, only)


def check_references(values: Mapping[str, Any]) -> None:
    """Every name or ID to look up in ``values``, nested ones too (``evaluators[0].evaluator``,
    ``run_configuration.ai_integration_id``): one line, at most :data:`MAX_REFERENCE`.  A
    request checks them all before the first is looked up, so nothing is sent for any."""
    check_lengths(values, only=_REFERENCES)


def _walk(
    value: Any,
    top: str,
    where: str,
    key: str,
    limits: Mapping[str, int],
    only: frozenset[str] | None,
) -> None:
    if isinstance(value, str):
        if only is None or key in only:
            bound = limits.get(key, MAX_TEXT)
            check_text(value, top, bound, one_line=key in _ONE_LINE, where=where)
    elif isinstance(value, Mapping):
        for inner, item in value.items():
            if only is None:
                check_text(inner, top, MAX_KEY, where=f"{where} key")
            # A mapping's values take its own bound (column paths), else their key's.
            bound_by = key if key in limits and key not in _ONE_LINE else str(inner)
            _walk(item, top, f"{where}.{inner}", bound_by, limits, only)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _walk(item, top, f"{where}[{index}]", key, limits, only)

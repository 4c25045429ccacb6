"""The API as a next release might speak it: ``serve --future`` or ``AX_TASKS_SANDBOX_FUTURE=1``.

The tasks API is ALPHA, so a client must keep reading when the service adds fields and values.
In future mode the sandbox serves a spec extended the way such a release would extend it
(:func:`extended_spec`) and answers accordingly (:meth:`Future.answer`):

* every object an answer carries gains ``revision`` right after its first field and
  ``annotations`` at its end (free-form maps, whose keys are the user's, are left alone);
* TaskType gains AGENT_EVALUATION: the tasks named in :data:`FUTURE_TASKS` (seeded) read as one;
* TaskRunStatus gains QUEUED: this sandbox cannot run the new type, so every run of such a task
  reads as QUEUED, with nothing started or counted, for as long as it is asked.

Requests are checked against the extended spec; request bodies stay closed to unknown fields.
"""

from __future__ import annotations

import copy
import os
import sqlite3
from collections.abc import Iterator, Mapping
from typing import Any, Final

from . import ids

ENV_FUTURE: Final = "AX_TASKS_SANDBOX_FUTURE"
NEW_TASK_TYPE: Final = "AGENT_EVALUATION"
NEW_RUN_STATUS: Final = "QUEUED"
FUTURE_TASKS: Final = ("agent-goal-completion",)
REVISION: Final = 7
ANNOTATIONS: Final = {"release": "next", "source": "ax-tasks sandbox --future"}

_NEW_FIELDS: Final = {
    "revision": {"type": "integer", "description": "Added by a next release (future mode)."},
    "annotations": {"$ref": "#/components/schemas/StringMap"},
}
_NEW_ENUM_VALUES: Final = {"TaskType": NEW_TASK_TYPE, "TaskRunStatus": NEW_RUN_STATUS}


def future_from_env(value: bool | None) -> bool:
    """``value``, or when None whether $AX_TASKS_SANDBOX_FUTURE is set to a true value."""
    if value is not None:
        return value
    return os.environ.get(ENV_FUTURE, "").strip().lower() in ("1", "true", "yes", "on")


def _open_objects(schemas: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """The component schemas of objects with named fields that take unknown ones (answers)."""
    for schema in schemas.values():
        if "properties" in schema and schema.get("additionalProperties") is not False:
            yield schema


def extended_spec(document: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the spec with the next release's fields and enum values."""
    extended = copy.deepcopy(dict(document))
    schemas = extended["components"]["schemas"]
    for name, value in _NEW_ENUM_VALUES.items():
        if value in schemas[name]["enum"]:
            raise ValueError(
                f"the spec's {name} now has {value}: pick another stand-in for a value this "
                "version does not know (ax_tasks_mcp/sandbox/future.py)"
            )
        schemas[name]["enum"] = [*schemas[name]["enum"], value]
    for schema in _open_objects(schemas):
        schema["properties"] = {**schema["properties"], **copy.deepcopy(_NEW_FIELDS)}
    return extended


def free_form_keys(document: Mapping[str, Any]) -> frozenset[str]:
    """Names of fields that hold free-form maps (StringMap, bare objects) anywhere in the spec."""
    schemas = document["components"]["schemas"]

    def free(schema: Mapping[str, Any]) -> bool:
        if "$ref" in schema:
            return free(schemas[schema["$ref"].rsplit("/", 1)[-1]])
        branches = [
            b for b in schema.get("anyOf", schema.get("oneOf", [])) if b != {"type": "null"}
        ]
        if branches:
            return all(free(b) for b in branches)
        return schema.get("type") == "object" and "properties" not in schema

    return frozenset(
        key
        for schema in schemas.values()
        for key, prop in schema.get("properties", {}).items()
        if free(prop)
    )


class Future:
    """Rewrites the answers of a sandbox in future mode."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._free_form = free_form_keys(document)

    def answer(self, conn: sqlite3.Connection, payload: Any) -> Any:
        """The payload as a next release would send it."""
        rows = conn.execute(
            f"SELECT id FROM tasks WHERE name IN ({', '.join('?' * len(FUTURE_TASKS))})",  # noqa: S608
            FUTURE_TASKS,
        ).fetchall()
        future_tasks = {ids.encode(ids.TASK, row[0]) for row in rows}
        return self._dress(payload, future_tasks)

    def _dress(self, value: Any, future_tasks: set[str]) -> Any:
        if isinstance(value, list):
            return [self._dress(item, future_tasks) for item in value]
        if not isinstance(value, dict) or not value:
            return value
        fields = {
            key: item if key in self._free_form else self._dress(item, future_tasks)
            for key, item in value.items()
        }
        if fields.get("id") in future_tasks and "type" in fields:
            fields["type"] = NEW_TASK_TYPE
        if fields.get("task_id") in future_tasks and "status" in fields:
            fields.update(
                status=NEW_RUN_STATUS,
                run_started_at=None,
                run_finished_at=None,
                num_successes=0,
                num_errors=0,
                num_skipped=0,
                failure_reason=None,
            )
        first, *rest = fields.items()
        return dict([first, ("revision", REVISION), *rest, ("annotations", dict(ANNOTATIONS))])

"""What the tools return, sized for a model: summary items in lists, whole objects from get_*.

The output schemas are written by hand, short: they name the fields a model uses and leave the
rest open (``additionalProperties`` stays allowed, so whole objects and fields the API adds
later pass).  Fixed values the API sends are strings with the known values listed: a value the
API adds later (a new run status, a new task type) is still a valid answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ax_tasks_mcp import TASK_TYPES
from ax_tasks_mcp.server.parameters import RUN_STATUSES

__all__ = [
    "CANCELLED_RUN",
    "DELETED_TASK",
    "NEW_TASK",
    "RUN",
    "RUN_PAGE",
    "TASK",
    "TASK_PAGE",
    "TRIGGERED_RUN",
    "UPDATED_TASK",
    "WAITED_RUN",
    "changes_made",
    "lookup_page",
    "run_summary",
    "task_summary",
]

Schema = dict[str, Any]

_STR: Schema = {"type": "string"}
_INT: Schema = {"type": "integer"}
_TIME: Schema = {"type": ["string", "null"]}


def _known(values: Iterable[str]) -> Schema:
    """A string the API fills from a fixed set that may grow: listed, never enforced."""
    return {"type": "string", "description": "|".join(values) + ", or newer"}


def _object(required: Sequence[str], properties: Schema, description: str = "") -> Schema:
    schema: Schema = {"type": "object", "required": list(required), "properties": properties}
    if description:
        schema["description"] = description
    return schema


def _page(key: str, item: Schema) -> Schema:
    return _object(
        [key, "next_cursor"], {key: {"type": "array", "items": item}, "next_cursor": _TIME}
    )


# -- tasks ---------------------------------------------------------------------------------

_TASK_TYPE = _known(TASK_TYPES)

TASK = _object(
    ["id", "name", "type"],
    {"id": _STR, "name": _STR, "type": _TASK_TYPE},
    "The whole task, API field names",
)
#: A whole task where get_task's schema has taught the types already (create, delete).
NEW_TASK = _object(["id", "name"], {"id": _STR, "name": _STR}, TASK["description"])
TASK_PAGE = _page(
    "tasks",
    _object(
        ["id", "name"],
        {  # also project_id, dataset_id, is_continuous and, across spaces, space
            "id": _STR,
            "name": _STR,
            "type": _STR,
            "project": _STR,
            "dataset": _STR,
            "evaluator_names": {"type": "array", "items": _STR},
            "last_run_at": _TIME,
        },
    ),
)
DELETED_TASK = _object(["deleted", "task"], {"deleted": {"type": "boolean"}, "task": NEW_TASK})
UPDATED_TASK = _object(
    ["id", "name", "changed"],
    {"id": _STR, "name": _STR, "changed": {"type": "object"}},
    "changed: {field: {from, to}}; unchanged: fields given as they were",
)

_TASK_KEYS = ("id", "name", "type", "is_continuous", "last_run_at")


def changes_made(
    before: Mapping[str, Any], after: Mapping[str, Any], given: Mapping[str, Any]
) -> dict[str, Any]:
    """What an update changed, field by field, from the task before it to the task after; a
    field given that kept its value is named in ``unchanged``."""
    answer: dict[str, Any] = {"id": after.get("id"), "name": after.get("name"), "changed": {}}
    unchanged: list[str] = []
    for key in given:
        old, new = before.get(key), after.get(key)
        if old == new:
            unchanged.append(key)
        else:
            answer["changed"][key] = {"from": old, "to": new}
    if unchanged:
        answer["unchanged"] = unchanged
    return answer


def task_summary(
    task: Mapping[str, Any],
    targets: Mapping[str, tuple[str, str | None]],
    spaces: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """What a model needs to pick a task.  ``targets`` gives (name, space ID) of projects and
    datasets by ID; ``spaces``, space names by ID when the list spans spaces (then the task
    says its space)."""
    summary = {key: task[key] for key in _TASK_KEYS if task.get(key) is not None}
    for kind in ("project", "dataset"):
        target = task.get(f"{kind}_id")
        if target:
            if target in targets:
                name, space_id = targets[target]
                summary[kind] = name
                if spaces is not None and space_id is not None and space_id in spaces:
                    summary["space"] = spaces[space_id]
            summary[f"{kind}_id"] = target
    evaluators = [
        str(e.get("evaluator_name") or e.get("evaluator_id"))
        for e in task.get("evaluators") or ()
        if isinstance(e, Mapping)
    ]
    if evaluators:
        summary["evaluator_names"] = evaluators
    return summary


# -- runs ----------------------------------------------------------------------------------

_REASON: Schema = {"type": ["string", "null"]}
_RUN_COUNTS: Schema = {"num_successes": _INT, "num_errors": _INT, "failure_reason": _REASON}
# What a run summary shows (each field only with a value); its schema names the ones a model
# reads first (each property costs every conversation tokens).
_RUN_SUMMARY = (
    "id",
    "status",
    "num_successes",
    "num_errors",
    "num_skipped",
    "failure_reason",
    "run_started_at",
    "run_finished_at",
)
RUN = _object(
    ["id", "status"],
    {"id": _STR, "task_id": _STR, "status": _known(RUN_STATUSES), **_RUN_COUNTS},
    "The whole run, API field names",
)
RUN_PAGE = _page(
    "task_runs", _object(["id", "status"], {"id": _STR, "status": _STR, **_RUN_COUNTS})
)
_TIMED_OUT: Schema = {
    "type": "boolean",
    "description": "true: the wait ended first; the run goes on",
}
_BRIEF_RUN: Schema = {"id": _STR, "status": _STR}
WAITED_RUN = _object(
    ["id", "status", "timed_out"], {**_BRIEF_RUN, "timed_out": _TIMED_OUT}, RUN["description"]
)
TRIGGERED_RUN = _object(  # timed_out only with wait
    ["id", "status"], {**_BRIEF_RUN, "timed_out": _TIMED_OUT}, RUN["description"]
)
CANCELLED_RUN = _object(["id", "status"], _BRIEF_RUN, RUN["description"])


def run_summary(run: Mapping[str, Any]) -> dict[str, Any]:
    """Status, counts and times of a run; fields without a value are left out, and so is
    num_skipped when nothing was skipped (the rare case it names, said only when it is)."""
    return {
        key: run[key]
        for key in _RUN_SUMMARY
        if run.get(key) is not None and not (key == "num_skipped" and run[key] == 0)
    }


# -- lookups -------------------------------------------------------------------------------

# The fields of each lookup a model uses to choose one: always id and name, then these.
LOOKUP_FIELDS: dict[str, tuple[str, ...]] = {
    "spaces": (),
    "projects": (),
    "datasets": (),
    "evaluators": ("type", "description"),
    "ai_integrations": ("provider", "model_names"),
    "experiments": ("dataset_id",),
}
_EXTRA_SCHEMAS: dict[str, Schema] = {
    "type": _STR,
    "description": _STR,
    "provider": _STR,
    "model_names": {"type": "array", "items": _STR},
    "dataset_id": _STR,
}


def lookup_page(plural: str) -> Schema:
    extras = {name: _EXTRA_SCHEMAS[name] for name in LOOKUP_FIELDS[plural]}
    return _page(plural, _object(["id", "name"], {"id": _STR, "name": _STR, **extras}))


def lookup_summary(
    plural: str, item: Mapping[str, Any], spaces: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """id, name and what tells the item apart; its space too when ``spaces`` is given (a
    list that spans spaces: space names by ID)."""
    keys = ("id", "name", *LOOKUP_FIELDS[plural])
    summary = {key: item[key] for key in keys if item.get(key) is not None}
    if spaces is not None and item.get("space_id") in spaces:
        summary["space"] = spaces[str(item["space_id"])]
    return summary

"""A task in the file's words, from both sides, so that the two compare field by field.

* :func:`current_form`: what the API answered, as a file would write it (references as IDs,
  read-only fields and unset ones left out, only what the request shapes take);
* :func:`resolved_form`: what a file asks for, its names resolved to IDs through the catalog
  (a name that resolves to nothing or to two things is a FileError at its place);
* :func:`named_form`: either, with IDs written back as names where the name is unique;
* :func:`same`: whether two values of a field mean the same (null and left out alike, lists
  whose order the API does not keep compared as sets, defaults the API fills in filled in).

The schema (``tasks-file.schema.json``) decides which fields each type of task has, in which
order they are written, and which of them replace the task when they change.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

from ax_tasks_mcp.service.errors import AxTasksError
from ax_tasks_mcp.service.lenient import normalize_enum
from ax_tasks_mcp.service.models import Resource
from ax_tasks_mcp.service.plans.catalog import Catalog
from ax_tasks_mcp.service.plans.file_words import (
    EVALUATOR_REFERENCES,
    RUN_CONFIGURATION_REFERENCES,
    to_file_keys,
)
from ax_tasks_mcp.service.plans.loading import FILE_WORDS, DesiredTask
from ax_tasks_mcp.service.plans.schema import REPLACES, schema

__all__ = [
    "current_form",
    "named_form",
    "replace_fields",
    "resolved_form",
    "same",
    "task_shape",
]

Node = Mapping[str, Any]
_EVALUATION_ONLY: Final = ("sampling_rate", "is_continuous")
_DATASET_PLACEHOLDER: Final = re.compile(r"\{\{\s*dataset\.([^}\s]+)\s*\}\}")


# -- the schema's view ---------------------------------------------------------------------


def _deref(node: Node) -> Node:
    while "$ref" in node:
        node = schema()["definitions"][node["$ref"].rsplit("/", 1)[-1]]
    return node


_CHECKS: dict[int, Callable[[Any], bool]] = {}
_NO_DEFAULT: Final = object()


def _holds(condition: Node, value: Any) -> bool:
    """Whether ``value`` meets an ``if`` of the schema (its conditions live as long as it)."""
    check = _CHECKS.get(id(condition))
    if check is None:
        from jsonschema import Draft7Validator

        check = _CHECKS[id(condition)] = Draft7Validator(condition).is_valid
    return bool(check(value))


def _properties(node: Node, value: Any) -> tuple[dict[str, Node], bool] | None:
    """The properties ``node`` gives ``value`` (following $ref, allOf, if/then/else and the
    non-null branch of anyOf), and whether others are refused; None for a free-form object."""
    node = _deref(node)
    found: dict[str, Node] = {}
    closed = node.get("additionalProperties") is False
    described = "properties" in node
    found.update(node.get("properties", {}))
    parts = list(node.get("allOf", []))
    if "if" in node:
        branch = node.get("then") if _holds(node["if"], value) else node.get("else")
        parts += [branch] if branch is not None else []
    parts += [o for o in node.get("anyOf", []) if o != {"type": "null"}][:1]
    for part in parts:
        inner = _properties(part, value)
        if inner is not None:
            found.update(inner[0])
            closed = closed or inner[1]
            described = True
    return (found, closed) if described else None


def fit(value: Any, node: Node, *, drop_unset: bool = True) -> Any:
    """``value`` as the schema ``node`` describes it, in its order: fields it refuses dropped
    (read-only and unknown ones); with ``drop_unset``, also nulls and schema defaults.  A
    free-form object (an input template, a JSON schema) is kept exactly."""
    node = _deref(node)
    if isinstance(value, Mapping):
        # A null says nothing: it must not pick a shape either (query_mappings: null is span).
        given = {k: v for k, v in value.items() if v is not None} if drop_unset else value
        described = _properties(node, given)
        if described is None:
            return copy.deepcopy(dict(value))
        properties, closed = described
        value = given
        result: dict[str, Any] = {}
        for key, sub in properties.items():
            if key not in value or (drop_unset and value[key] is None):
                continue
            fitted = fit(value[key], sub, drop_unset=drop_unset)
            if drop_unset and _deref(sub).get("default", _NO_DEFAULT) == fitted:
                continue
            result[key] = fitted
        if not closed:
            result.update({k: copy.deepcopy(v) for k, v in value.items() if k not in properties})
        return result
    if isinstance(value, list):
        items = _items(node)
        return [fit(item, items, drop_unset=drop_unset) for item in value]
    return value


def _items(node: Node) -> Node:
    node = _deref(node)
    if "items" in node:
        items: Node = node["items"]
        return items
    for option in node.get("anyOf", []):
        if option != {"type": "null"}:
            return _items(option)
    return {}


@functools.cache
def task_shape(task_type: str) -> Node:
    """The schema of a task of this type ({} for a type the file format does not know)."""
    for rule in schema()["definitions"]["Task"]["allOf"]:
        if task_type in rule["if"]["properties"]["type"]["enum"]:
            return _deref(rule["then"])
    return {}


@functools.cache
def replace_fields(task_type: str) -> tuple[str, ...]:
    """The fields of a task of this type that cannot change in place."""
    return tuple(
        k for k, v in task_shape(task_type).get("properties", {}).items() if v.get(REPLACES)
    )


# -- the two sides -------------------------------------------------------------------------


def current_form(task: Resource) -> dict[str, Any]:
    """A task the API returned, in the file's words with references as IDs."""
    kind = str(normalize_enum(task.get("type")))
    data: dict[str, Any] = {
        "id": task.get("id"),
        "name": task.get("name"),
        "type": kind,
        "project": task.get("project_id"),
        "dataset": task.get("dataset_id"),
        "experiments": task.get("experiment_ids") or None,
        "sampling_rate": task.get("sampling_rate"),
        "is_continuous": task.get("is_continuous"),
        "query_filter": task.get("query_filter"),
        "query_filters": task.get("query_filters"),
    }
    if task.get("dataset_id") and kind != "RUN_EXPERIMENT":
        for key in _EVALUATION_ONLY:  # project tasks only; a dataset task has neither
            data.pop(key)
    evaluators = task.get("evaluators")
    if isinstance(evaluators, list) and evaluators:
        data["evaluators"] = [
            to_file_keys(e, EVALUATOR_REFERENCES) for e in evaluators if isinstance(e, Mapping)
        ]
    config = task.get("run_configuration")
    if isinstance(config, Mapping):
        data["run_configuration"] = to_file_keys(config, RUN_CONFIGURATION_REFERENCES)
    shape = task_shape(kind)
    form: dict[str, Any] = fit(data, shape) if shape else {"id": data["id"], "type": kind}
    return form


def resolved_form(task: DesiredTask, catalog: Catalog) -> dict[str, Any]:
    """What the file asks for, names resolved to IDs (a failure is a FileError there)."""
    data = copy.deepcopy(task.data)

    def resolve(word: str, value: Any, *where: str | int, dataset_id: str | None = None) -> str:
        try:
            return catalog.resolve(word, str(value), dataset_id=dataset_id)
        except AxTasksError as exc:
            raise task.error(exc.render(FILE_WORDS), *where) from None

    for word in ("project", "dataset"):
        if data.get(word):
            data[word] = resolve(word, data[word], word)
    if data.get("experiments"):
        data["experiments"] = [
            resolve("experiments", value, "experiments", index, dataset_id=data.get("dataset"))
            for index, value in enumerate(data["experiments"])
        ]
    seen: dict[str, int] = {}
    for index, entry in enumerate(data.get("evaluators") or []):
        where = ("evaluators", index, "evaluator")
        entry["evaluator"] = resolve("evaluator", entry["evaluator"], *where)
        first = seen.setdefault(entry["evaluator"], index)
        if first != index:
            raise task.error(
                f"this evaluator is also evaluators[{first}]; each evaluator may appear once "
                "per task.",
                "evaluators",
                index,
                "evaluator",
            )
    config = data.get("run_configuration")
    if isinstance(config, dict):
        for word in RUN_CONFIGURATION_REFERENCES.values():
            if config.get(word):
                config[word] = resolve(word, config[word], "run_configuration", word)
    return data


def named_form(form: Mapping[str, Any], catalog: Catalog) -> dict[str, Any]:
    """A form with its IDs written as names where the name is unique."""
    named = copy.deepcopy(dict(form))
    for word in ("project", "dataset"):
        if named.get(word):
            named[word] = catalog.name_of(word, named[word])
    if named.get("experiments"):
        named["experiments"] = [catalog.name_of("experiments", v) for v in named["experiments"]]
    for entry in named.get("evaluators") or []:
        if isinstance(entry, dict) and entry.get("evaluator"):
            entry["evaluator"] = catalog.name_of("evaluator", entry["evaluator"])
    config = named.get("run_configuration")
    if isinstance(config, dict):
        for word in RUN_CONFIGURATION_REFERENCES.values():
            if config.get(word):
                config[word] = catalog.name_of(word, config[word])
    return named


# -- comparing -----------------------------------------------------------------------------


def same(task_type: str, key: str, old: Any, new: Any) -> bool:
    """Whether the values of field ``key`` mean the same to the API."""
    if old == new:
        return True
    return bool(_comparable(task_type, key, old) == _comparable(task_type, key, new))


def _comparable(task_type: str, key: str, value: Any) -> Any:
    if value is None:
        return None
    node = task_shape(task_type).get("properties", {}).get(key, {})
    fitted = fit(value, node)
    if key == "experiments":
        return sorted(set(fitted))
    if key == "evaluators" and isinstance(fitted, list):
        entries = [e for e in fitted if isinstance(e, Mapping)]
        return sorted((str(e.get("evaluator")), sorted(e.items(), key=str)) for e in entries)
    if key == "query_filters" and isinstance(fitted, dict):
        filters = fitted.get("filters")
        if not fitted.get("expression") and isinstance(filters, list) and len(filters) == 1:
            fitted["expression"] = filters[0].get("id")  # what reads return for a lone filter
    agent = isinstance(fitted, dict) and fitted.get("experiment_type") == "AGENT_CALL"
    if key == "run_configuration" and agent:
        fitted["input_template"] = _echoed(fitted.get("input_template"))
    return fitted


def _echoed(template: Any) -> Any:
    """An agent's input template as the API echoes it: ``{{dataset.col}}`` reads ``{{col}}``."""
    if isinstance(template, str):
        return _DATASET_PLACEHOLDER.sub(r"{{\1}}", template)
    if isinstance(template, Mapping):
        return {k: _echoed(v) for k, v in template.items()}
    if isinstance(template, list):
        return [_echoed(v) for v in template]
    return template

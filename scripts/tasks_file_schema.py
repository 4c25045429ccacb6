#!/usr/bin/env python3
"""Derive the JSON Schema of a tasks file from the spec's create and update shapes.

    uv run python scripts/tasks_file_schema.py          # rewrite the shipped schema
    uv run python scripts/tasks_file_schema.py --check  # exit 1 if it no longer follows the spec

A task in a file is the spec's create request for its type, in the file's words
(``ax_tasks_mcp.service.plans.file_words``: references drop their ``_id`` and take a name or
an ID), with:

* the task's ``id`` beside it (read-only, written by export: with it, a new name is a rename);
* every fixed value in UPPER or lower case (the loader accepts any case);
* ``input_variable_format`` optional (inferred from the placeholders, as the CLI does);
* the fields the update shape of that type lacks marked ``x-replaces-task`` (a change to them
  deletes the task and creates it again);
* unions told apart with ``if``/``then`` on the value or field that tells them apart, so an
  editor and the loader name the one field that is wrong instead of "valid under none".

Draft-07, the draft editors (yaml-language-server) know best.  tests/service/plans holds the
shipped file equal to what this script derives from the spec today.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ax_tasks_mcp.service.plans.file_words import (  # noqa: E402 - after the path is set
    EVALUATOR_REFERENCES,
    RUN_CONFIGURATION_REFERENCES,
    TASK_REFERENCES,
)

SPEC = ROOT / "openapi" / "tasks.yaml"
SCHEMA = ROOT / "ax_tasks_mcp" / "service" / "plans" / "tasks-file.schema.json"
SCHEMA_URL = (
    "https://raw.githubusercontent.com/ax-tasks/ax-tasks/main/"
    "ax_tasks_mcp/service/plans/tasks-file.schema.json"
)
REPLACES = "x-replaces-task"
COMMAND = "uv run python scripts/tasks_file_schema.py"

#: The unions whose branches take each table of renames, and the union of create shapes.
CREATE_UNION = "CreateTaskRequest"
UPDATE_UNION = "UpdateTaskRequest"
RENAMES_BY_UNION = {
    CREATE_UNION: TASK_REFERENCES,
    "TaskEvaluatorInput": EVALUATOR_REFERENCES,
    "RunConfigurationRequest": RUN_CONFIGURATION_REFERENCES,
}
INFERRED = {"input_variable_format": "Inferred when left out: MUSTACHE for {{var}}, else F_STRING."}
_REF = "#/components/schemas/"


class SpecMoved(Exception):
    """The spec no longer has a shape this derivation relies on."""


def _name_of(ref: str) -> str:
    if not ref.startswith(_REF):
        raise SpecMoved(f"unsupported reference {ref!r}")
    return ref[len(_REF) :]


class Derivation:
    """The file's definitions, derived component by component from the spec's."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.components: Mapping[str, Any] = spec["components"]["schemas"]
        self.definitions: dict[str, Any] = {}
        self.renames: dict[str, Mapping[str, str]] = {}
        self.words: dict[str, str] = {}  # API word → file word, for descriptions
        for union, table in RENAMES_BY_UNION.items():
            for branch in self._branches(union):
                self.renames[branch] = table
            self.words.update(table)
            unused = set(table) - {
                key for b in self._branches(union) for key in self._component(b)["properties"]
            }
            if unused:
                raise SpecMoved(
                    f"{union}'s shapes no longer have {', '.join(sorted(unused))}: update "
                    "ax_tasks_mcp/service/plans/file_words.py"
                )

    def _component(self, name: str) -> Mapping[str, Any]:
        if name not in self.components:
            raise SpecMoved(f"the spec has no component {name!r}")
        found: Mapping[str, Any] = self.components[name]
        return found

    def _branches(self, union: str) -> list[str]:
        schema = self._component(union)
        options = schema.get("oneOf") or schema.get("anyOf")
        if not options:
            raise SpecMoved(f"{union} is no longer a union (oneOf/anyOf)")
        return [_name_of(option["$ref"]) for option in options]

    # -- the task shapes -------------------------------------------------------------------

    def task_shapes(self) -> dict[str, str]:
        """Task type → the name of its file definition, each derived from its create shape."""
        updates = {name: self._component(name) for name in self._branches(UPDATE_UNION)}
        shapes: dict[str, str] = {}
        for create in self._branches(CREATE_UNION):
            schema = self._component(create)
            task_type = schema["properties"]["type"].get("const")
            if not isinstance(task_type, str):
                raise SpecMoved(f"{create}.type is no longer a const")
            fields = set(schema["properties"])
            fitting = [name for name, u in updates.items() if set(u["properties"]) <= fields]
            if len(fitting) != 1:
                raise SpecMoved(f"no single update shape fits {create} (found {fitting})")
            name = "".join(part.title() for part in task_type.split("_")) + "Task"
            self.definitions[name] = {}  # the task shapes come first in the file
            self.definitions[name] = self._task(create, updates[fitting[0]])
            shapes[task_type] = name
        return shapes

    def _task(self, create: str, update: Mapping[str, Any]) -> dict[str, Any]:
        """The create shape in the file's words, with the task's ID; a field the update shape
        can clear (null) may be null; one it cannot change is marked as replacing the task."""
        derived = self._object(create)
        renames = self.renames[create]
        properties = dict(derived["properties"])
        properties = {"name": properties.pop("name"), "id": _TASK_ID, **properties}
        for api_name, schema in update["properties"].items():
            if _nullable(schema):
                properties[renames.get(api_name, api_name)] = self.node(schema, {})
        for api_name in sorted(
            set(self._component(create)["properties"]) - set(update["properties"])
        ):
            word = renames.get(api_name, api_name)
            marked = dict(properties[word])
            marked[REPLACES] = True
            marked["description"] = (
                marked.get("description", "") + " Changing it replaces the task (apply --replace)."
            ).strip()
            properties[word] = marked
        derived["properties"] = properties
        return derived

    # -- components ------------------------------------------------------------------------

    def reference(self, name: str) -> dict[str, Any]:
        """A ``$ref`` to the file's definition of component ``name``, deriving it once."""
        if name not in self.definitions:
            self.definitions[name] = {}  # claimed first: components may refer to themselves
            component = self._component(name)
            if "oneOf" in component:
                self.definitions[name] = self._union(name)
            elif component.get("type") == "object" and "properties" in component:
                self.definitions[name] = self._object(name)
            else:
                self.definitions[name] = self.node(component, {})
        return {"$ref": f"#/definitions/{name}"}

    def _object(self, name: str) -> dict[str, Any]:
        schema = self._component(name)
        renames = self.renames.get(name, {})
        derived = self.node(schema, renames)
        inferred = [key for key in derived.get("required", []) if key in INFERRED]
        for key in inferred:
            derived["required"].remove(key)
            prop = dict(derived["properties"][key])
            prop["description"] = INFERRED[key]
            derived["properties"][key] = prop
        return derived

    def _union(self, name: str) -> dict[str, Any]:
        branches = self._branches(name)
        schemas = [self._component(b) for b in branches]
        description = self._describe(self._component(name).get("description"))
        tag = _shared_const(schemas)
        if tag is not None:
            values = [schema["properties"][tag]["const"] for schema in schemas]
            rules = [
                {
                    "if": {"properties": {tag: {"enum": _any_case([value])}}, "required": [tag]},
                    "then": self.reference(branch),
                }
                for value, branch in zip(values, branches, strict=True)
            ]
            derived: dict[str, Any] = {
                "type": "object",
                "required": [tag],
                "properties": {tag: {"enum": _any_case(values)}},
                "allOf": rules,
            }
        else:
            marker = _telling_field(schemas)
            if marker is None:
                return {"oneOf": [self.reference(b) for b in branches]}
            with_it, without = (
                (branches[0], branches[1]) if marker in schemas[0]["required"] else branches[::-1]
            )
            derived = {
                "type": "object",
                "if": {"required": [marker]},
                "then": self.reference(with_it),
                "else": self.reference(without),
            }
        if description:
            derived = {"description": description, **derived}
        return derived

    def node(self, schema: Mapping[str, Any], renames: Mapping[str, str]) -> dict[str, Any]:
        """One schema node in the file's words (``renames`` apply to its own properties)."""
        if "$ref" in schema:
            return self.reference(_name_of(schema["$ref"]))
        derived: dict[str, Any] = {}
        for key, value in schema.items():
            if key == "examples":
                continue  # the spec's examples are IDs, where a file would write names
            if key == "description":
                derived[key] = self._describe(value)
            elif key == "const" and isinstance(value, str):
                derived["enum"] = _any_case([value])
            elif key == "enum" and all(isinstance(v, str) for v in value):
                derived[key] = _any_case(value)
            elif key == "properties":
                derived[key] = {
                    renames.get(name, name): self._property(name, prop, renames)
                    for name, prop in value.items()
                }
            elif key == "required":
                derived[key] = [renames.get(name, name) for name in value]
            elif key in ("items", "additionalProperties") and isinstance(value, Mapping):
                derived[key] = self.node(value, {})
            elif key in ("anyOf", "oneOf", "allOf"):
                derived[key] = [self.node(option, {}) for option in value]
            else:
                derived[key] = value
        return derived

    def _property(
        self, name: str, schema: Mapping[str, Any], renames: Mapping[str, str]
    ) -> dict[str, Any]:
        derived = self.node(schema, {})
        if name in renames:
            said = derived.get("description", "")
            each = "Each a name or an ID." if "items" in derived else "A name or an ID."
            derived = {**derived, "description": f"{said} {each}".strip()}
            if "items" in derived:
                derived["items"] = {**derived["items"], "minLength": 1}
            elif derived.get("type") == "string":
                derived["minLength"] = 1
        return derived

    def _describe(self, text: Any) -> Any:
        if not isinstance(text, str):
            return text
        return re.sub(r"`([a-z_]+)`", lambda m: f"`{self.words.get(m[1], m[1])}`", text)


def _any_case(values: Sequence[str]) -> list[str]:
    """Each value, then each lowercase form not already listed (editors offer both)."""
    lowered = [v.lower() for v in values if v.lower() not in values]
    return [*values, *dict.fromkeys(lowered)]


def _nullable(schema: Mapping[str, Any]) -> bool:
    types = schema.get("type")
    if isinstance(types, list) and "null" in types:
        return True
    return any(option == {"type": "null"} for option in schema.get("anyOf", []))


def _shared_const(schemas: Sequence[Mapping[str, Any]]) -> str | None:
    """The property every branch pins to a different value with ``const``."""
    if not all("properties" in s for s in schemas):
        return None
    shared = set.intersection(*(set(s["properties"]) for s in schemas))
    for key in sorted(shared):
        values = [s["properties"][key].get("const") for s in schemas]
        if all(isinstance(v, str) for v in values) and len(set(values)) == len(values):
            return str(key)
    return None


def _telling_field(schemas: Sequence[Mapping[str, Any]]) -> str | None:
    """Of two branches, a field one requires and the other does not have."""
    if len(schemas) != 2 or not all("properties" in s for s in schemas):
        return None
    for mine, other in (schemas, schemas[::-1]):
        for key in mine.get("required", []):
            if key not in other["properties"]:
                return str(key)
    return None


_TASK_ID = {
    "type": "string",
    "minLength": 1,
    "description": "The task's ID, as export writes it (read-only): with it, a new name is a "
    "rename. A task ID the space does not have is noted in the plan and the task matched by "
    "name; a value that is not a task ID is refused.",
}


def derive(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The tasks-file schema for ``spec`` (the parsed openapi/tasks.yaml)."""
    derivation = Derivation(spec)
    shapes = derivation.task_shapes()
    types = list(shapes)
    task = {
        "type": "object",
        "description": "A task, described whole: its create request in the file's words "
        "(what creating it needs is needed even of a task that exists).",
        "required": ["name", "type"],
        "properties": {"type": {"enum": _any_case(types)}},
        "allOf": [
            {
                "if": {"properties": {"type": {"enum": _any_case([kind])}}, "required": ["type"]},
                "then": {"$ref": f"#/definitions/{name}"},
            }
            for kind, name in shapes.items()
        ],
    }
    tasks = {"type": "array", "items": {"$ref": "#/definitions/Task"}}
    space = {
        "type": "string",
        "minLength": 1,
        "description": "A space, by name or ID.",
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_URL,
        "title": "ax-tasks tasks file",
        "description": (
            "The tasks of one Arize AX space (space and tasks) or of several (spaces), as "
            "ax-tasks export writes them and ax-tasks plan and apply read them. Each task is "
            "described whole (its required fields given); an optional field left out is left "
            "as it is; null clears a filter."
        ),
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "$schema": {"type": "string", "description": "Where editors find this schema."},
            "space": {
                **space,
                "description": "The space of these tasks, by name or ID "
                "(default: the configured space).",
            },
            "tasks": tasks,
            "spaces": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/Space"}},
        },
        "if": {"required": ["spaces"]},
        "then": {"not": {"anyOf": [{"required": ["space"]}, {"required": ["tasks"]}]}},
        "else": {"required": ["tasks"]},
        "definitions": {
            "Space": {
                "type": "object",
                "additionalProperties": False,
                "required": ["space", "tasks"],
                "properties": {"space": space, "tasks": tasks},
            },
            "Task": task,
            **derivation.definitions,
        },
    }


def render(schema: Mapping[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """Where two JSON values first differ, as a dotted path (None when equal)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(dict.fromkeys([*a, *b])):
            if key not in a or key not in b:
                return f"{path}.{key}".lstrip(".")
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    return None if a == b else (path.lstrip(".") or "(the whole document)")


def drift(spec_path: Path = SPEC, schema_path: Path = SCHEMA) -> str | None:
    """None when the shipped schema is what the spec derives; else a message saying where."""
    derived = derive(yaml.safe_load(spec_path.read_text(encoding="utf-8")))
    shipped = json.loads(schema_path.read_text(encoding="utf-8"))
    where = first_difference(derived, shipped)
    if where is None:
        return None
    return (
        f"{schema_path.relative_to(ROOT) if schema_path.is_relative_to(ROOT) else schema_path} "
        f"no longer follows {spec_path.name}'s create and update shapes (first difference at "
        f"{where}). Run `{COMMAND}`, review the diff and commit it."
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the schema is stale")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problem = drift()
            if problem:
                print(problem, file=sys.stderr)
                return 1
            print("the tasks-file schema follows the spec")
            return 0
        schema = derive(yaml.safe_load(SPEC.read_text(encoding="utf-8")))
    except SpecMoved as exc:
        print(f"tasks_file_schema: the spec moved: {exc}", file=sys.stderr)
        return 1
    SCHEMA.write_text(render(schema), encoding="utf-8")
    print(f"wrote {SCHEMA.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Report drift between the upstream Arize AX OpenAPI spec and our hand-written one.

Only the operations present in *our* spec are compared; upstream operations we do
not cover are listed as information, never as drift.  Documentation-only keywords
(description, summary, example(s), title, ``x-*``) are ignored, and OpenAPI 3.0
and 3.1 spellings of the same thing (``nullable: true`` vs a ``'null'`` type or
variant, ``const`` vs a one-value ``enum``, boolean vs numeric exclusive bounds)
are treated as equal.

Usage::

    scripts/spec-drift UPSTREAM [--ours openapi/tasks.yaml] [--format text|json]

Exit codes: 0 no drift, 1 drift found, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import unquote

import httpx
import yaml

__all__ = [
    "Difference",
    "InputError",
    "Report",
    "Spec",
    "compare_specs",
    "load_spec",
    "main",
    "render_json",
    "render_text",
]

DEFAULT_OURS = Path(__file__).resolve().parent.parent / "openapi" / "tasks.yaml"
FETCH_TIMEOUT_SECONDS = 30.0
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
VARIANT_KEYWORDS = ("oneOf", "anyOf")
CONSTRAINT_KEYWORDS = (
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
)
MAX_DEPTH = 64  # schema nesting depth at which comparison stops descending
_UNRESOLVED = "__spec_drift_unresolved_ref__"
_TEMPLATE_RE = re.compile(r"\{[^}/]*\}")


class InputError(Exception):
    """A problem with the command-line input (unreadable or invalid document)."""


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class Spec:
    """A loaded OpenAPI document plus where it came from."""

    source: str
    root: dict[str, Any]

    @property
    def version(self) -> str:
        return str(self.root.get("openapi", "?"))

    def resolve(self, ref: str) -> Any:
        """Resolve a local ``#/...`` JSON pointer; ``None`` if it cannot be resolved."""
        if not ref.startswith("#"):
            return None
        node: Any = self.root
        pointer = ref[1:]
        if not pointer:
            return node
        if not pointer.startswith("/"):
            return None
        for raw_part in pointer[1:].split("/"):
            part = unquote(raw_part).replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return node

    def deref(self, node: Any) -> Any:
        """Follow a chain of ``$ref`` objects (parameters, responses, request bodies)."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref in seen:
                return {}
            seen.add(ref)
            target = self.resolve(ref)
            if target is None:
                return {}
            node = target
        return node


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _read_source(source: str) -> str:
    if _is_url(source):
        try:
            response = httpx.get(source, timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=True)
            response.raise_for_status()
        except httpx.HTTPStatusError as exc:
            raise InputError(
                f"cannot fetch {source}: HTTP {exc.response.status_code}"
                f" {exc.response.reason_phrase}".rstrip()
            ) from None
        except httpx.HTTPError as exc:
            detail = str(exc) or type(exc).__name__
            raise InputError(f"cannot fetch {source}: {_one_line(detail)}") from None
        return response.text
    path = Path(source)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{source}: is a directory, expected a YAML or JSON file") from None
    except UnicodeDecodeError:
        raise InputError(f"{source}: not a UTF-8 text file") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _parse(source: str, text: str) -> Any:
    if text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except ValueError:
            pass  # fall through: YAML flow style is a superset of JSON
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        where = f" (line {exc.problem_mark.line + 1})" if exc.problem_mark is not None else ""
        problem = exc.problem or exc.context or "syntax error"
        raise InputError(f"{source}: not valid YAML or JSON: {problem}{where}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{source}: not valid YAML or JSON: {_one_line(str(exc))}") from None


def load_spec(source: str) -> Spec:
    """Load an OpenAPI 3.x document from a file path or an http(s) URL."""
    document = _parse(source, _read_source(source))
    if not isinstance(document, dict):
        raise InputError(f"{source}: not an OpenAPI document (top level is not a mapping)")
    if "swagger" in document and "openapi" not in document:
        raise InputError(f"{source}: Swagger/OpenAPI 2.0 is not supported, need OpenAPI 3.x")
    version = document.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise InputError(f"{source}: not an OpenAPI 3.x document (missing or bad 'openapi' field)")
    paths = document.get("paths", {})
    if paths is None:
        paths = {}
    if not isinstance(paths, dict):
        raise InputError(f"{source}: not an OpenAPI document ('paths' is not a mapping)")
    return Spec(source=source, root=document)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Difference:
    """One difference; ``ours``/``upstream`` is ``None`` when absent on that side."""

    operation: str
    location: str
    kind: str
    ours: Any
    upstream: Any

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.location, self.kind, _dump(self.ours), _dump(self.upstream))

    def as_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "location": self.location,
            "kind": self.kind,
            "ours": self.ours,
            "upstream": self.upstream,
        }


@dataclass
class Report:
    """Outcome of comparing two specs."""

    differences: list[Difference]
    compared: list[str]
    removed: list[str]
    not_covered: list[str]

    @property
    def has_drift(self) -> bool:
        return bool(self.differences)


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


# --------------------------------------------------------------------------- operations


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    item: dict[str, Any]
    op: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _operations(spec: Spec) -> dict[tuple[str, str], Operation]:
    """Operations keyed by (method, path with template names blanked)."""
    result: dict[tuple[str, str], Operation] = {}
    for path, raw_item in _dict(spec.root.get("paths")).items():
        item = _dict(spec.deref(raw_item))
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                key = (method, _TEMPLATE_RE.sub("{}", str(path)))
                result[key] = Operation(method, str(path), item, op)
    return result


def _parameters(spec: Spec, operation: Operation) -> dict[tuple[str, str], dict[str, Any]]:
    params: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in _list(operation.item.get("parameters")) + _list(operation.op.get("parameters")):
        param = _dict(spec.deref(raw))
        name, where = param.get("name"), param.get("in")
        if isinstance(name, str) and isinstance(where, str):
            params[(where, name)] = param
    return params


def _content_schemas(spec: Spec, container: Any) -> dict[str, Any]:
    """Media type -> schema (``{}`` when a media type has no schema)."""
    content = _dict(_dict(spec.deref(container)).get("content"))
    return {str(media): _dict(body).get("schema", {}) for media, body in content.items()}


def _body_prefix(base: str, media: str, medias: Iterable[str]) -> str:
    if media == "application/json" or len(set(medias)) == 1:
        return base
    return f"{base} [{media}]"


# --------------------------------------------------------------------------- schemas

_DOC_KEYS = {"description", "summary", "title", "example", "examples", "externalDocs", "$comment"}


def _is_doc_key(key: str) -> bool:
    return key in _DOC_KEYS or key.startswith("x-")


def _merge_into(target: dict[str, Any], part: dict[str, Any]) -> None:
    """Merge one flattened ``allOf`` member into ``target`` (earlier keys win)."""
    for key, value in part.items():
        if key == "properties" and isinstance(value, dict):
            props = dict(_dict(target.get("properties")))
            for name, sub in value.items():
                props[name] = {"allOf": [props[name], sub]} if name in props else sub
            target["properties"] = props
        elif key == "required" and isinstance(value, list):
            target["required"] = _list(target.get("required")) + value
        elif key == "nullable":
            target["nullable"] = target.get("nullable") is True or value is True
        elif key == "type" and key in target:
            mine, theirs = _type_set(target[key]), _type_set(value)
            both = mine & theirs
            if both and both != mine:
                target[key] = sorted(both)
        elif key not in target:
            target[key] = value


def _type_set(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    return {item for item in _list(value) if isinstance(item, str)}


def _flatten(
    spec: Spec,
    node: Any,
    active: frozenset[int] = frozenset(),
    targets: set[int] | None = None,
) -> dict[str, Any]:
    """Resolve ``$ref`` and merge ``allOf`` into one keyword mapping (one level deep).

    ``targets`` collects the identities of the ``$ref`` targets that were followed.
    """
    if node is False:
        return {"not": {}}
    if not isinstance(node, dict):
        return {}
    if id(node) in active:
        return {}
    active = active | {id(node)}
    own = {k: v for k, v in node.items() if k not in ("$ref", "allOf") and not _is_doc_key(k)}
    parts: list[dict[str, Any]] = []
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = spec.resolve(ref)
        if target is None:
            parts.append({_UNRESOLVED: ref})
        else:
            if targets is not None:
                targets.add(id(target))
            parts.append(_flatten(spec, target, active, targets))
    for member in _list(node.get("allOf")):
        parts.append(_flatten(spec, member, active, targets))
    if not parts:
        return own
    merged: dict[str, Any] = {}
    for part in (own, *parts):
        _merge_into(merged, part)
    return merged


def _is_null_schema(spec: Spec, node: Any) -> bool:
    flat = _flatten(spec, node)
    if _type_set(flat.get("type")) == {"null"}:
        return True
    if "const" in flat:
        return flat["const"] is None
    enum = flat.get("enum")
    return isinstance(enum, list) and bool(enum) and all(v is None for v in enum)


@dataclass
class Canon:
    """A schema normalised across OpenAPI 3.0 and 3.1 spellings."""

    flat: dict[str, Any]
    types: frozenset[str] = frozenset()
    nullable: bool = False
    enum: list[Any] | None = None
    constraints: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: Any = None
    additional: Any = None
    variants: dict[str, list[Any]] = field(default_factory=dict)
    collapsed: frozenset[str] = frozenset()
    discriminator: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    unresolved: str | None = None
    identity: frozenset[int] = frozenset()


_JSON_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
)


def _json_type(value: Any) -> str:
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "unknown")


def _canon(spec: Spec, node: Any) -> Canon:
    """Normalise a schema; ``identity`` is what the cycle guard compares."""
    targets: set[int] = set()
    canon = _canon_inner(spec, node, 0, targets)
    canon.identity = frozenset(targets) if targets else frozenset({id(node)})
    return canon


def _canon_inner(spec: Spec, node: Any, depth: int, targets: set[int]) -> Canon:
    flat = _flatten(spec, node, targets=targets)
    canon = Canon(flat=flat)
    nullable = flat.get("nullable") is True

    types = _type_set(flat.get("type"))
    if "null" in types:
        nullable = True
        types.discard("null")

    enum: list[Any] | None = None
    if "const" in flat:
        enum = [flat["const"]]
    elif isinstance(flat.get("enum"), list):
        enum = list(flat["enum"])
    if enum is not None and any(v is None for v in enum):
        nullable = True
        enum = [v for v in enum if v is not None] or None

    # Null variants mean "nullable"; a single remaining variant is the schema itself.
    variants: dict[str, list[Any]] = {}
    for keyword in VARIANT_KEYWORDS:
        if keyword not in flat:
            continue
        members = _list(flat[keyword])
        kept = [m for m in members if not _is_null_schema(spec, m)]
        if len(kept) < len(members):
            nullable = True
        if len(kept) == 1 and depth < MAX_DEPTH:
            rest = {k: v for k, v in flat.items() if k != keyword}
            inner = _canon_inner(spec, {**rest, "allOf": [kept[0]]}, depth + 1, targets)
            inner.nullable = inner.nullable or nullable
            if keyword not in inner.variants:
                inner.collapsed = inner.collapsed | {keyword}
                inner.variants = {**inner.variants, keyword: kept}
            return inner
        if kept:
            variants[keyword] = kept

    if not types:
        if "properties" in flat or isinstance(flat.get("additionalProperties"), dict):
            types = {"object"}
        elif "items" in flat:
            types = {"array"}
        elif enum and not variants:
            value_types = {_json_type(v) for v in enum}
            if len(value_types) == 1:
                types = value_types

    constraints = {k: flat[k] for k in CONSTRAINT_KEYWORDS if k in flat}
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        flag = constraints.get(exclusive)
        if isinstance(flag, bool):  # OpenAPI 3.0 style: boolean modifier of min/max
            del constraints[exclusive]
            if flag and bound in constraints:
                constraints[exclusive] = constraints.pop(bound)

    discriminator = _dict(flat.get("discriminator"))
    prop_name = discriminator.get("propertyName")
    mapping = {
        str(ref): str(value)
        for value, ref in _dict(discriminator.get("mapping")).items()
        if isinstance(ref, str)
    }

    canon.types = frozenset(types)
    canon.nullable = nullable
    canon.enum = enum
    canon.constraints = constraints
    canon.properties = _dict(flat.get("properties"))
    canon.required = frozenset(r for r in _list(flat.get("required")) if isinstance(r, str))
    canon.items = flat.get("items")
    canon.additional = flat.get("additionalProperties")
    canon.variants = variants
    canon.discriminator = prop_name if isinstance(prop_name, str) else None
    canon.mapping = mapping
    unresolved = flat.get(_UNRESOLVED)
    canon.unresolved = unresolved if isinstance(unresolved, str) else None
    return canon


def _additional_kind(value: Any) -> str:
    if value is False:
        return "false"
    if isinstance(value, dict) and value:
        return "schema"
    return "true"


def _same_value(mine: Any, theirs: Any) -> bool:
    """Equality that keeps booleans apart from numbers but treats 1 and 1.0 as equal."""
    if isinstance(mine, bool) or isinstance(theirs, bool):
        return type(mine) is type(theirs) and mine == theirs
    return bool(mine == theirs)


def _type_label(types: frozenset[str]) -> str:
    return "|".join(sorted(types)) if types else "any"


def _enum_key(value: Any) -> str:
    return _dump(value)


class _SchemaComparer:
    """Recursive schema comparison with cycle protection."""

    def __init__(self, ours: Spec, upstream: Spec, operation: str) -> None:
        self.ours = ours
        self.upstream = upstream
        self.operation = operation
        self.found: list[Difference] = []

    def add(self, location: str, kind: str, ours: Any, upstream: Any) -> None:
        self.found.append(Difference(self.operation, location, kind, ours, upstream))

    @staticmethod
    def where(prefix: str, path: str) -> str:
        return f"{prefix} → {path}" if path else prefix

    @staticmethod
    def child(path: str, segment: str) -> str:
        if segment.startswith("["):
            return f"{path}{segment}"
        return f"{path}.{segment}" if path else segment

    def compare(
        self,
        ours: Any,
        upstream: Any,
        prefix: str,
        path: str = "",
        stack: frozenset[tuple[frozenset[int], frozenset[int]]] = frozenset(),
    ) -> None:
        co, cu = _canon(self.ours, ours), _canon(self.upstream, upstream)
        key = (co.identity, cu.identity)
        if key in stack or len(stack) >= MAX_DEPTH:
            return  # this pair is already being compared further up: a cycle
        stack = stack | {key}
        here = self.where(prefix, path)

        if co.unresolved is not None or cu.unresolved is not None:
            if co.unresolved != cu.unresolved:
                self.add(here, "unresolved-ref", co.unresolved, cu.unresolved)
            return

        if co.nullable != cu.nullable:
            self.add(here, "nullable-changed", co.nullable, cu.nullable)

        skip_structure = self.compare_variants(co, cu, prefix, path, stack)
        if skip_structure:
            return

        if co.types != cu.types:
            empty_side = co if not co.types else cu if not cu.types else None
            if empty_side is None or not empty_side.variants:
                self.add(here, "type-changed", _type_label(co.types), _type_label(cu.types))

        self.compare_enum(co, cu, here)

        for keyword in CONSTRAINT_KEYWORDS:
            mine, theirs = co.constraints.get(keyword), cu.constraints.get(keyword)
            if not _same_value(mine, theirs):
                self.add(
                    self.where(prefix, self.child(path, keyword)),
                    "constraint-changed",
                    mine,
                    theirs,
                )

        for name in sorted(set(co.properties) - set(cu.properties)):
            self.add(here, "field-removed", name, None)
        for name in sorted(set(cu.properties) - set(co.properties)):
            self.add(here, "field-added", None, name)
        for name in sorted(co.required - cu.required):
            self.add(here, "required-removed", name, None)
        for name in sorted(cu.required - co.required):
            self.add(here, "required-added", None, name)
        for name in sorted(set(co.properties) & set(cu.properties)):
            self.compare(
                co.properties[name],
                cu.properties[name],
                prefix,
                self.child(path, f"properties.{name}"),
                stack,
            )

        if co.items is not None and cu.items is not None:
            self.compare(co.items, cu.items, prefix, self.child(path, "items"), stack)

        mine_kind, theirs_kind = _additional_kind(co.additional), _additional_kind(cu.additional)
        if mine_kind != theirs_kind:
            self.add(here, "additional-properties-changed", mine_kind, theirs_kind)
        elif mine_kind == "schema":
            self.compare(
                co.additional,
                cu.additional,
                prefix,
                self.child(path, "additionalProperties"),
                stack,
            )

    def compare_enum(self, co: Canon, cu: Canon, here: str) -> None:
        if co.enum is None and cu.enum is None:
            return
        if co.enum is None or cu.enum is None:
            self.add(here, "enum-changed", co.enum, cu.enum)
            return
        mine = {_enum_key(v): v for v in co.enum}
        theirs = {_enum_key(v): v for v in cu.enum}
        for value_key in sorted(set(mine) - set(theirs)):
            self.add(here, "enum-value-removed", mine[value_key], None)
        for value_key in sorted(set(theirs) - set(mine)):
            self.add(here, "enum-value-added", None, theirs[value_key])

    def compare_variants(
        self,
        co: Canon,
        cu: Canon,
        prefix: str,
        path: str,
        stack: frozenset[tuple[frozenset[int], frozenset[int]]],
    ) -> bool:
        """Compare oneOf/anyOf; return True when node-level structure must be skipped."""
        skip_structure = False
        for keyword in VARIANT_KEYWORDS:
            mine, theirs = co.variants.get(keyword, []), cu.variants.get(keyword, [])
            mine_collapsed, theirs_collapsed = keyword in co.collapsed, keyword in cu.collapsed
            if (mine_collapsed and (theirs_collapsed or not theirs)) or (
                theirs_collapsed and not mine
            ):
                continue  # a single variant is equivalent to the schema itself
            if mine_collapsed or theirs_collapsed:
                skip_structure = True
            kw_path = self.child(path, keyword)
            if len(mine) != len(theirs):
                self.add(
                    self.where(prefix, kw_path), "variant-count-changed", len(mine), len(theirs)
                )
            pairs = self.pair_variants(co, cu, mine, theirs, self.where(prefix, kw_path))
            for mine_index, theirs_index in pairs:
                self.compare(
                    mine[mine_index],
                    theirs[theirs_index],
                    prefix,
                    self.child(kw_path, f"[{mine_index}]"),
                    stack,
                )
        return skip_structure

    def pair_variants(
        self,
        co: Canon,
        cu: Canon,
        mine: list[Any],
        theirs: list[Any],
        here: str,
    ) -> list[tuple[int, int]]:
        discriminator = co.discriminator or cu.discriminator
        mine_keys = [self.variant_key(self.ours, v, discriminator, co.mapping) for v in mine]
        theirs_keys = [
            self.variant_key(self.upstream, v, discriminator, cu.mapping) for v in theirs
        ]
        keyed = (
            None not in mine_keys
            and None not in theirs_keys
            and len(set(mine_keys)) == len(mine_keys)
            and len(set(theirs_keys)) == len(theirs_keys)
            and bool(set(mine_keys) & set(theirs_keys))
        )
        if not keyed:
            return [(i, i) for i in range(min(len(mine), len(theirs)))]
        theirs_index = {k: i for i, k in enumerate(theirs_keys)}
        pairs: list[tuple[int, int]] = []
        for i, variant_key in enumerate(mine_keys):
            if variant_key in theirs_index:
                pairs.append((i, theirs_index[variant_key]))
            else:
                self.add(here, "variant-removed", variant_key, None)
        for variant_key in theirs_keys:
            if variant_key not in set(mine_keys):
                self.add(here, "variant-added", None, variant_key)
        return pairs

    @staticmethod
    def variant_key(
        spec: Spec, variant: Any, discriminator: str | None, mapping: dict[str, str]
    ) -> str | None:
        ref = variant.get("$ref") if isinstance(variant, dict) else None
        if discriminator is not None:
            if isinstance(ref, str) and ref in mapping:
                return f"{discriminator}={mapping[ref]}"
            prop = _canon(spec, _dict(_flatten(spec, variant).get("properties")).get(discriminator))
            if prop.enum is not None and len(prop.enum) == 1:
                return f"{discriminator}={prop.enum[0]}"
        if isinstance(ref, str):
            return ref.rsplit("/", 1)[-1]
        return None


# --------------------------------------------------------------------------- comparison


def _param_label(where: str, name: str) -> str:
    return f"{where}.{name}"


def _compare_operation(
    ours: Spec, upstream: Spec, mine: Operation, theirs: Operation
) -> list[Difference]:
    cmp = _SchemaComparer(ours, upstream, mine.label)

    # Parameters, by (in, name).
    mine_params, theirs_params = _parameters(ours, mine), _parameters(upstream, theirs)
    for where, name in sorted(set(mine_params) - set(theirs_params)):
        cmp.add("parameters", "parameter-removed", _param_label(where, name), None)
    for where, name in sorted(set(theirs_params) - set(mine_params)):
        label = _param_label(where, name)
        if theirs_params[(where, name)].get("required") is True or where == "path":
            label += " (required)"
        cmp.add("parameters", "parameter-added", None, label)
    for where, name in sorted(set(mine_params) & set(theirs_params)):
        mp, tp = mine_params[(where, name)], theirs_params[(where, name)]
        prefix = f"parameter {_param_label(where, name)}"
        mine_required = where == "path" or mp.get("required") is True
        theirs_required = where == "path" or tp.get("required") is True
        if mine_required != theirs_required:
            cmp.add(prefix, "required-changed", mine_required, theirs_required)
        cmp.compare(_param_schema(ours, mp), _param_schema(upstream, tp), prefix)

    # Request body.
    mine_body, theirs_body = mine.op.get("requestBody"), theirs.op.get("requestBody")
    if mine_body is not None and theirs_body is None:
        cmp.add("request body", "request-body-removed", "present", None)
    elif mine_body is None and theirs_body is not None:
        cmp.add("request body", "request-body-added", None, "present")
    elif mine_body is not None and theirs_body is not None:
        mine_required = _dict(ours.deref(mine_body)).get("required") is True
        theirs_required = _dict(upstream.deref(theirs_body)).get("required") is True
        if mine_required != theirs_required:
            cmp.add("request body", "required-changed", mine_required, theirs_required)
        _compare_content(cmp, ours, upstream, mine_body, theirs_body, "request body")

    # Responses, by status code.
    mine_responses = {str(k): v for k, v in _dict(mine.op.get("responses")).items()}
    theirs_responses = {str(k): v for k, v in _dict(theirs.op.get("responses")).items()}
    for status in sorted(set(mine_responses) - set(theirs_responses)):
        cmp.add("responses", "status-removed", status, None)
    for status in sorted(set(theirs_responses) - set(mine_responses)):
        cmp.add("responses", "status-added", None, status)
    for status in sorted(set(mine_responses) & set(theirs_responses)):
        _compare_content(
            cmp,
            ours,
            upstream,
            mine_responses[status],
            theirs_responses[status],
            f"response {status}",
        )
    return cmp.found


def _param_schema(spec: Spec, param: dict[str, Any]) -> Any:
    if "schema" in param:
        return param["schema"]
    schemas = _content_schemas(spec, param)
    return next(iter(schemas.values()), {})


def _compare_content(
    cmp: _SchemaComparer,
    ours: Spec,
    upstream: Spec,
    mine: Any,
    theirs: Any,
    base: str,
) -> None:
    mine_media, theirs_media = _content_schemas(ours, mine), _content_schemas(upstream, theirs)
    for media in sorted(set(mine_media) - set(theirs_media)):
        cmp.add(base, "media-type-removed", media, None)
    for media in sorted(set(theirs_media) - set(mine_media)):
        cmp.add(base, "media-type-added", None, media)
    common = sorted(set(mine_media) & set(theirs_media))
    for media in common:
        prefix = _body_prefix(base, media, common)
        cmp.compare(mine_media[media], theirs_media[media], prefix)


def compare_specs(ours: Spec, upstream: Spec) -> Report:
    """Compare the operations of ``ours`` against ``upstream``."""
    mine_ops, theirs_ops = _operations(ours), _operations(upstream)
    differences: list[Difference] = []
    compared: list[str] = []
    removed: list[str] = []
    for key in sorted(mine_ops, key=lambda k: (mine_ops[k].path, HTTP_METHODS.index(k[0]))):
        mine = mine_ops[key]
        theirs = theirs_ops.get(key)
        if theirs is None:
            removed.append(mine.label)
            differences.append(
                Difference(mine.label, "operation", "operation-removed", mine.label, None)
            )
            continue
        compared.append(mine.label)
        differences.extend(
            sorted(_compare_operation(ours, upstream, mine, theirs), key=Difference.sort_key)
        )
    not_covered = [
        theirs_ops[k].label
        for k in sorted(theirs_ops, key=lambda k: (theirs_ops[k].path, HTTP_METHODS.index(k[0])))
        if k not in mine_ops
    ]
    # Identical differences can arise when one schema is reached twice; keep one.
    unique = list({(d.operation, *d.sort_key()): d for d in differences}.values())
    return Report(unique, compared, removed, not_covered)


# --------------------------------------------------------------------------- rendering

_LABELS = {
    "field-added": "field",
    "field-removed": "field",
    "required-added": "required",
    "required-removed": "required",
    "enum-value-added": "enum",
    "enum-value-removed": "enum",
    "enum-changed": "enum",
    "parameter-added": "parameter",
    "parameter-removed": "parameter",
    "status-added": "status",
    "status-removed": "status",
    "media-type-added": "media type",
    "media-type-removed": "media type",
    "variant-added": "variant",
    "variant-removed": "variant",
    "variant-count-changed": "variant count",
    "type-changed": "type",
    "nullable-changed": "nullable",
    "required-changed": "required",
    "additional-properties-changed": "additionalProperties",
    "unresolved-ref": "unresolved $ref",
    "constraint-changed": "",
}


def _show(kind: str, value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str) and not kind.startswith("enum"):
        return value
    return json.dumps(value, default=str)


def _describe(difference: Difference) -> str:
    kind, ours, upstream = difference.kind, difference.ours, difference.upstream
    if kind == "operation-removed":
        return "operation removed upstream"
    if kind in ("request-body-added", "request-body-removed"):
        return f"{difference.location}: {kind.rsplit('-', 1)[1]} upstream"
    label = _LABELS.get(kind, kind)
    if kind.endswith("-added") and ours is None:
        text = f"{label} + {_show(kind, upstream)}"
    elif kind.endswith("-removed") and upstream is None:
        text = f"{label} - {_show(kind, ours)}"
    else:
        change = f"ours {_show(kind, ours)}, upstream {_show(kind, upstream)}"
        text = f"{label}: {change}" if label else change
    return f"{difference.location}: {text}"


def render_text(report: Report, ours: Spec, upstream: Spec) -> str:
    """Human-readable report, grouped by operation."""
    lines = [
        f"ours:     {ours.source} (OpenAPI {ours.version})",
        f"upstream: {upstream.source} (OpenAPI {upstream.version})",
        f"operations: {len(report.compared) + len(report.removed)} in ours,"
        f" {len(report.compared)} present in both, {len(report.removed)} removed upstream,"
        f" {len(report.not_covered)} upstream not covered",
    ]
    if report.has_drift:
        lines.append("(+ = only upstream, - = only ours)")
        by_operation: dict[str, list[Difference]] = {}
        for difference in report.differences:
            by_operation.setdefault(difference.operation, []).append(difference)
        for operation, differences in by_operation.items():
            lines.append("")
            lines.append(operation)
            lines.extend(f"  {_describe(d)}" for d in differences)
    if report.not_covered:
        lines.append("")
        lines.append(f"not covered by ours (info, {len(report.not_covered)}):")
        lines.extend(f"  {label}" for label in report.not_covered)
    lines.append("")
    if report.has_drift:
        operations = len({d.operation for d in report.differences})
        lines.append(f"drift: {len(report.differences)} difference(s) in {operations} operation(s)")
    else:
        lines.append(f"no drift ({len(report.compared)} operation(s) compared)")
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    """JSON list of differences (``not covered`` operations are not drift, so omitted)."""
    return json.dumps([d.as_dict() for d in report.differences], indent=2, default=str) + "\n"


# --------------------------------------------------------------------------- CLI


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spec-drift",
        description=(
            "Report drift between an upstream Arize AX OpenAPI spec and ours, "
            "on the operations ours covers. Exit 0: no drift, 1: drift, 2: input error."
        ),
    )
    parser.add_argument("upstream", metavar="UPSTREAM", help="upstream spec: file path or URL")
    parser.add_argument(
        "--ours",
        default=None,
        help="our spec (default: openapi/tasks.yaml in the repository)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    """Run the CLI; returns the exit code."""
    out = stdout if stdout is not None else sys.stdout
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 2
    ours_source = args.ours if args.ours is not None else str(DEFAULT_OURS)
    try:
        ours = load_spec(ours_source)
        upstream = load_spec(args.upstream)
    except InputError as exc:
        print(f"spec-drift: error: {exc}", file=sys.stderr)
        return 2
    report = compare_specs(ours, upstream)
    if args.format == "json":
        out.write(render_json(report))
    else:
        out.write(render_text(report, ours, upstream))
    return 1 if report.has_drift else 0


if __name__ == "__main__":
    sys.exit(main())

"""Comparing two schemas: flatten allOf, read 3.0 and 3.1 spellings alike, and report every
difference that matters to a client (types, enums, required fields, constraints, variants)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spec_documents import (
    CONSTRAINT_KEYWORDS,
    MAX_DEPTH,
    UNRESOLVED,
    VARIANT_KEYWORDS,
    Difference,
    Spec,
    as_dict,
    as_list,
    dump,
)

# --------------------------------------------------------------------------- schemas

_DOC_KEYS = {"description", "summary", "title", "example", "examples", "externalDocs", "$comment"}


def _is_doc_key(key: str) -> bool:
    return key in _DOC_KEYS or key.startswith("x-")


def _merge_into(target: dict[str, Any], part: dict[str, Any]) -> None:
    """Merge one flattened ``allOf`` member into ``target`` (earlier keys win)."""
    for key, value in part.items():
        if key == "properties" and isinstance(value, dict):
            props = dict(as_dict(target.get("properties")))
            for name, sub in value.items():
                props[name] = {"allOf": [props[name], sub]} if name in props else sub
            target["properties"] = props
        elif key == "required" and isinstance(value, list):
            target["required"] = as_list(target.get("required")) + value
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
    return {item for item in as_list(value) if isinstance(item, str)}


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
            parts.append({UNRESOLVED: ref})
        else:
            if targets is not None:
                targets.add(id(target))
            parts.append(_flatten(spec, target, active, targets))
    for member in as_list(node.get("allOf")):
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
        members = as_list(flat[keyword])
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

    discriminator = as_dict(flat.get("discriminator"))
    prop_name = discriminator.get("propertyName")
    mapping = {
        str(ref): str(value)
        for value, ref in as_dict(discriminator.get("mapping")).items()
        if isinstance(ref, str)
    }

    canon.types = frozenset(types)
    canon.nullable = nullable
    canon.enum = enum
    canon.constraints = constraints
    canon.properties = as_dict(flat.get("properties"))
    canon.required = frozenset(r for r in as_list(flat.get("required")) if isinstance(r, str))
    canon.items = flat.get("items")
    canon.additional = flat.get("additionalProperties")
    canon.variants = variants
    canon.discriminator = prop_name if isinstance(prop_name, str) else None
    canon.mapping = mapping
    unresolved = flat.get(UNRESOLVED)
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
    return dump(value)


class SchemaComparer:
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
            prop = _canon(
                spec, as_dict(_flatten(spec, variant).get("properties")).get(discriminator)
            )
            if prop.enum is not None and len(prop.enum) == 1:
                return f"{discriminator}={prop.enum[0]}"
        if isinstance(ref, str):
            return ref.rsplit("/", 1)[-1]
        return None

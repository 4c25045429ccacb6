"""The documents spec-drift compares: loading an OpenAPI spec (file or URL), its operations,
and the differences a comparison reports."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import yaml

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
UNRESOLVED = "__spec_drift_unresolved_ref__"
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
        return (self.location, self.kind, dump(self.ours), dump(self.upstream))

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


def dump(value: Any) -> str:
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


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def operations_of(spec: Spec) -> dict[tuple[str, str], Operation]:
    """Operations keyed by (method, path with template names blanked)."""
    result: dict[tuple[str, str], Operation] = {}
    for path, raw_item in as_dict(spec.root.get("paths")).items():
        item = as_dict(spec.deref(raw_item))
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                key = (method, _TEMPLATE_RE.sub("{}", str(path)))
                result[key] = Operation(method, str(path), item, op)
    return result


def parameters_of(spec: Spec, operation: Operation) -> dict[tuple[str, str], dict[str, Any]]:
    params: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in as_list(operation.item.get("parameters")) + as_list(operation.op.get("parameters")):
        param = as_dict(spec.deref(raw))
        name, where = param.get("name"), param.get("in")
        if isinstance(name, str) and isinstance(where, str):
            params[(where, name)] = param
    return params


def content_schemas(spec: Spec, container: Any) -> dict[str, Any]:
    """Media type -> schema (``{}`` when a media type has no schema)."""
    content = as_dict(as_dict(spec.deref(container)).get("content"))
    return {str(media): as_dict(body).get("schema", {}) for media, body in content.items()}


def body_prefix(base: str, media: str, medias: Iterable[str]) -> str:
    if media == "application/json" or len(set(medias)) == 1:
        return base
    return f"{base} [{media}]"

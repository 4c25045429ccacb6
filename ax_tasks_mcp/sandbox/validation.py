"""The spec as the judge: openapi/tasks.yaml is loaded and every request is checked against it.

Routing, parameter schemas, request bodies and response schemas all come from the document
itself; schemas are validated with jsonschema (Draft 2020-12, which OpenAPI 3.1 uses) and their
``#/components/...`` references resolved through a ``referencing`` registry holding the spec.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from .clock import is_rfc3339
from .problems import ApiError, bad_request

ENV_SPEC = "AX_TASKS_SANDBOX_SPEC"
SPEC_URI = "urn:ax-tasks:openapi"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def spec_path() -> Path:
    """Where the spec is: $AX_TASKS_SANDBOX_SPEC, the source tree, or a copy in the package."""
    env = os.environ.get(ENV_SPEC)
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    candidates = (here.parents[2] / "openapi" / "tasks.yaml", here.parent / "tasks.yaml")
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        "openapi/tasks.yaml not found (looked at "
        + ", ".join(str(c) for c in candidates)
        + f"); set {ENV_SPEC} to its path"
    )


@dataclass
class Operation:
    operation_id: str
    method: str
    template: str
    pointer: str
    parameters: list[dict[str, Any]]
    parameter_pointers: dict[tuple[str, str], str]
    body_pointer: str | None
    body_required: bool
    responses: dict[str, Any]
    segments: list[str] = field(default_factory=list)


class Spec:
    """A loaded OpenAPI document with routing and validation."""

    def __init__(self, document: dict[str, Any]) -> None:
        from jsonschema import FormatChecker
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        self.document = document
        resource: Resource[Any] = Resource.from_contents(
            document, default_specification=DRAFT202012
        )
        self._registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self._format_checker = FormatChecker(formats=())
        self._format_checker.checks("date-time")(_check_date_time)
        self._validators: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.operations: list[Operation] = self._index()
        self.by_id = {op.operation_id: op for op in self.operations}

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> Spec:
        import yaml

        source = Path(path) if path is not None else spec_path()
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        with source.open("rb") as handle:
            document = yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader
        if not isinstance(document, dict) or "paths" not in document:
            raise ValueError(f"{source} is not an OpenAPI document")
        return cls(document)

    def resolve(self, node: Any) -> Any:
        """Follow local `$ref`s of OpenAPI objects (parameters, responses)."""
        while isinstance(node, dict) and "$ref" in node:
            node = self.at(_pointer_of(node["$ref"]))
        return node

    def at(self, pointer: str) -> Any:
        node: Any = self.document
        for token in pointer.lstrip("/").split("/") if pointer else []:
            token = unquote(token).replace("~1", "/").replace("~0", "~")
            node = node[int(token)] if isinstance(node, list) else node[token]
        return node

    def _index(self) -> list[Operation]:
        operations = []
        for template, item in self.document["paths"].items():
            item_pointer = "/paths/" + _escape(template)
            shared = item.get("parameters", [])
            for method in _METHODS:
                op = item.get(method)
                if op is None:
                    continue
                pointer = f"{item_pointer}/{method}"
                params: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
                for base, plist in ((item_pointer, shared), (pointer, op.get("parameters", []))):
                    for index, raw in enumerate(plist):
                        p_pointer = f"{base}/parameters/{index}"
                        if "$ref" in raw:
                            p_pointer = _pointer_of(raw["$ref"])
                        param = self.resolve(raw)
                        params[(param["in"], param["name"])] = (param, p_pointer + "/schema")
                body = self.resolve(op.get("requestBody")) if "requestBody" in op else None
                body_pointer = None
                if body is not None:
                    body_base = (
                        _pointer_of(op["requestBody"]["$ref"])
                        if "$ref" in op["requestBody"]
                        else f"{pointer}/requestBody"
                    )
                    body_pointer = f"{body_base}/content/application~1json/schema"
                operations.append(
                    Operation(
                        operation_id=op.get("operationId", f"{method} {template}"),
                        method=method.upper(),
                        template=template,
                        pointer=pointer,
                        parameters=[p for p, _ in params.values()],
                        parameter_pointers={k: v[1] for k, v in params.items()},
                        body_pointer=body_pointer,
                        body_required=bool(body and body.get("required")),
                        responses={str(k): v for k, v in op.get("responses", {}).items()},
                        segments=template.strip("/").split("/"),
                    )
                )
        return operations

    # ------------------------------------------------------------------ routing

    def route(self, method: str, raw_path: str) -> tuple[Operation, dict[str, str]]:
        """The operation for a request; 404 for an unknown path, 405 for a wrong method."""
        segments = [unquote(s) for s in raw_path.split("?", 1)[0].strip("/").split("/")]
        allowed = []
        for op in self.operations:
            found = _match(op.segments, segments)
            if found is None:
                continue
            if op.method == method.upper():
                return op, found
            allowed.append(op.method)
        if allowed:
            raise ApiError(
                405,
                f"{method.upper()} is not allowed on {raw_path}; use {', '.join(allowed)}.",
                {"Allow": ", ".join(allowed)},
            )
        raise ApiError(404, f"No such endpoint: {raw_path}")

    # ------------------------------------------------------------------ validation

    def validator(self, pointer: str) -> Any:
        with self._lock:
            found = self._validators.get(pointer)
            if found is None:
                from jsonschema import Draft202012Validator

                found = Draft202012Validator(
                    {"$ref": f"{SPEC_URI}#{_escape_pointer(pointer)}"},
                    registry=self._registry,
                    format_checker=self._format_checker,
                )
                self._validators[pointer] = found
            return found

    def errors(self, pointer: str, instance: Any) -> list[Any]:
        return list(self.validator(pointer).iter_errors(instance))

    def check(self, pointer: str, instance: Any, where: str) -> None:
        """Raise 400 describing the most relevant error, if the instance is invalid."""
        errors = self.errors(pointer, instance)
        if errors:
            from jsonschema.exceptions import best_match

            raise bad_request(describe(best_match(errors), where))

    def parameters(
        self, op: Operation, path_params: Mapping[str, str], query: Iterable[tuple[str, str]]
    ) -> dict[str, Any]:
        """Path and query parameters, coerced to their schema types, defaulted and checked."""
        values: dict[str, Any] = {}
        first: dict[str, str] = {}
        for key, value in query:
            first.setdefault(key, value)
        for param in op.parameters:
            where, name = param["in"], param["name"]
            if where == "path":
                raw: str | None = path_params.get(name)
            elif where == "query":
                raw = first.get(name)
            else:
                continue
            pointer = op.parameter_pointers[(where, name)]
            schema = self.resolve(param.get("schema", {}))
            if raw is None:
                if param.get("required"):
                    raise bad_request(f"The {where} parameter '{name}' is required.")
                if "default" in schema:
                    values[name] = schema["default"]
                continue
            value = _coerce(raw, schema)
            self.check(pointer, value, f"{where} parameter '{name}'")
            values[name] = value
        return values

    def properties_of(self, component: str) -> list[str]:
        schema = self.document["components"]["schemas"][component]
        return list(schema.get("properties", {}))

    def component_pointer(self, component: str) -> str:
        return f"/components/schemas/{component}"

    # ------------------------------------------------------------------ responses

    def response_errors(
        self, op: Operation, status: int, content_type: str | None, body: Any
    ) -> list[str]:
        """Ways a response breaks the spec (empty when it conforms). Used by tests."""
        declared = op.responses.get(str(status))
        if declared is None:
            return [f"status {status} is not declared for {op.operation_id}"]
        declared = self.resolve(declared)
        content = declared.get("content")
        if not content:
            return [] if body in (None, b"", "") else [f"status {status} declares no body"]
        media = (content_type or "").split(";")[0].strip()
        if media not in content:
            return [f"content type {media!r} is not one of {sorted(content)}"]
        base = _declared_response_pointer(op, str(status), self)
        pointer = f"{base}/content/{_escape(media)}/schema"
        return [describe(e, "response") for e in self.errors(pointer, body)]


def describe(error: Any, where: str) -> str:
    """A one-line account of a jsonschema error, descending into oneOf/anyOf sensibly."""
    error = _focus(error)
    location = _path_text(error.absolute_path)
    message = error.message
    if error.validator == "maxLength" and isinstance(error.instance, str):
        # Said without echoing the value: it is the one thing known to be too long.
        message = (
            f"at most {error.validator_value} characters are allowed, not {len(error.instance):,}"
        )
    if len(message) > 300:
        message = message[:297] + "..."
    if location:
        return f"Invalid {where} at {location}: {message}"
    return f"Invalid {where}: {message}"


def _focus(error: Any) -> Any:
    """For a failed oneOf/anyOf, the error of the branch the instance was meant for."""
    from jsonschema.exceptions import best_match

    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return error
    branches: dict[Any, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)

    def tag_missed(errors: list[Any]) -> bool:
        return any(e.validator == "const" for e in errors)

    tagged = [errs for errs in branches.values() if not tag_missed(errs)]
    if len(tagged) > 1:
        # Prefer the branch whose required fields are all there (the shape the body has).
        complete = [errs for errs in tagged if not any(e.validator == "required" for e in errs)]
        tagged = complete if len(complete) == 1 else tagged
    if len(tagged) == 1:
        return _focus(best_match(tagged[0]))
    if not tagged:
        misses = [e for errs in branches.values() for e in errs if e.validator == "const"]
        first = misses[0]
        allowed = sorted({repr(e.validator_value) for e in misses})
        first.message = f"{first.instance!r} is not one of [{', '.join(allowed)}]"
        return first
    return _focus(best_match(error.context))


def _path_text(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _coerce(raw: str, schema: Mapping[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "integer" and re.fullmatch(r"-?\d{1,18}", raw):
        return int(raw)
    if kind == "number":
        try:
            return float(raw)
        except ValueError:
            return raw
    if kind == "boolean" and raw in ("true", "false"):
        return raw == "true"
    return raw


def _check_date_time(value: object) -> bool:
    return not isinstance(value, str) or is_rfc3339(value)


def _match(template: list[str], segments: list[str]) -> dict[str, str] | None:
    if len(template) != len(segments):
        return None
    found = {}
    for t, s in zip(template, segments, strict=True):
        if t.startswith("{") and t.endswith("}"):
            if not s:
                return None
            found[t[1:-1]] = s
        elif t != s:
            return None
    return found


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _escape_pointer(pointer: str) -> str:
    return quote(pointer, safe="/~")


def _pointer_of(ref: str) -> str:
    if not ref.startswith("#"):
        raise ValueError(f"only local references are supported, not {ref!r}")
    return ref[1:]


def _declared_response_pointer(op: Operation, status: str, spec: Spec) -> str:
    raw = spec.at(f"{op.pointer}/responses/{status}")
    if isinstance(raw, dict) and "$ref" in raw:
        return _pointer_of(raw["$ref"])
    return f"{op.pointer}/responses/{status}"

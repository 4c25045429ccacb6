"""Validate bodies against openapi/tasks.yaml itself: its schemas are JSON Schema 2020-12."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "tasks.yaml"
SPEC_URI = "urn:ax-tasks:spec"


class SpecSchemas:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        resource = Resource.from_contents(spec, default_specification=DRAFT202012)
        self._registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)

    def errors(self, schema_name: str, instance: Any) -> list[str]:
        schema = {"$ref": f"{SPEC_URI}#/components/schemas/{schema_name}"}
        validator = jsonschema.Draft202012Validator(
            schema,
            registry=self._registry,
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
        return [error.message for error in validator.iter_errors(instance)]

    def request_schema(self, method: str, path: str) -> str:
        body = self.spec["paths"][path][method]["requestBody"]
        ref: str = body["content"]["application/json"]["schema"]["$ref"]
        return ref.rsplit("/", 1)[-1]

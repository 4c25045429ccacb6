"""Property-based run of schemathesis over every operation of openapi/tasks.yaml against the app.

Positive and negative cases; no answer may be a 5xx, every answer must be declared by the spec
and match its schema, and requests that break the schema must be refused with a 4xx.  Every test
here is ``fuzz``: a run that leaves fuzz out does not even collect the module (see conftest.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ax_tasks_mcp.sandbox import create_app
from tests.support.fuzz_depth import examples
from tests.support.sandbox_data import AUTH

pytestmark = pytest.mark.fuzz

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "tasks.yaml"
EXAMPLES_PER_OPERATION = examples(15)

schema = schemathesis.openapi.from_path(SPEC)
# The key is sent by each call; and like most services the sandbox ignores query parameters it
# does not know, so extra ones are not "schema-violating data" it must refuse.
schema.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)
app = create_app(":memory:", speed=1000.0)
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options"})
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_sandbox_honours_the_spec(case: Any) -> None:
    case.call_and_validate(app=app, headers=dict(AUTH), checks=CHECKS)


def test_the_property_test_covers_every_operation_of_the_spec() -> None:
    """schemathesis parametrizes one test per operation it understands; none may be left out."""
    document = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    declared = {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in HTTP_METHODS
    }
    covered = {result.ok().label for result in schema.get_all_operations()}
    assert declared
    assert covered == declared

"""Property-based run of schemathesis over every operation of openapi/tasks.yaml against the app.

Positive and negative cases; no answer may be a 5xx, every answer must be declared by the spec
and match its schema, and requests that break the schema must be refused with a 4xx.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import schemathesis
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
from ax_tasks_mcp.sandbox.testing import AUTH

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "tasks.yaml"
EXAMPLES_PER_OPERATION = 30

schema = schemathesis.openapi.from_path(SPEC)
# The key is sent by each call; and like most services the sandbox ignores query parameters it
# does not know, so extra ones are not "schema-violating data" it must refuse.
schema.config.generation.update(allow_extra_parameters=False, with_security_parameters=False)
app = create_app(":memory:", speed=1000.0)
CASES: Counter[str] = Counter()
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
    CASES[case.operation.label] += 1
    case.call_and_validate(app=app, headers=dict(AUTH), checks=CHECKS)


def test_report_operations_times_cases() -> None:
    """Runs after the property test in this module; prints the figure for the report."""
    if CASES:
        print(f"\nschemathesis: {len(CASES)} operations x {sum(CASES.values())} cases in total")

"""Fixtures over openapi/tasks.yaml."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.spec.spec_schemas import SPEC_PATH, SpecSchemas


@pytest.fixture(scope="session")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
    return loaded


@pytest.fixture(scope="session")
def schemas(spec: dict[str, Any]) -> SpecSchemas:
    return SpecSchemas(spec)

"""Fixtures for the sandbox tests, and a spec conformance check.

The conformance check is written here on purpose, independently of the sandbox's own
validation module: every response a test client sees is validated against openapi/tasks.yaml.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from starlette.testclient import TestClient

from ax_tasks_mcp.sandbox import create_app
from ax_tasks_mcp.sandbox.faults import FaultConfig
from tests.support.clock import FakeTime
from tests.support.sandbox_data import AUTH, Catalog

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "tasks.yaml"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Leave test_schemathesis.py uncollected when the run deselects ``fuzz`` tests (``--fast``,
    or a ``-m`` that leaves fuzz out): every test in it is one, and schemathesis builds a
    hypothesis test per operation as the module is collected, seven seconds in each worker for
    tests that would not run."""
    if collection_path.name != "test_schemathesis.py":
        return None
    fast = config.getoption("fast")
    return True if fast or _deselects_fuzz(config.getoption("markexpr")) else None


def _deselects_fuzz(expression: str) -> bool:
    """Whether a ``-m`` expression is false for a test whose only marker is ``fuzz``.  Its
    grammar (names, and, or, not, parentheses) is Python's, where every other name is false."""
    if not expression:
        return False
    markers = defaultdict(bool, {"fuzz": True})
    try:
        return not eval(expression, {"__builtins__": {}}, markers)  # noqa: S307 (names only)
    except Exception:  # an expression Python reads otherwise: collect, and let pytest judge
        return False


@dataclass
class SpecChecker:
    """Validates an HTTP exchange against the operation it hits in the spec."""

    document: dict[str, Any]
    _validators: dict[str, Draft202012Validator] = field(default_factory=dict)

    def __post_init__(self) -> None:
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self.registry = Registry().with_resource("urn:spec", resource)
        self.routes = []
        for template, item in self.document["paths"].items():
            pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
            for method, op in item.items():
                if method in ("get", "post", "patch", "delete", "put"):
                    self.routes.append((pattern, method.upper(), template, op))

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        for pattern, m, template, op in self.routes:
            if m == method and pattern.match(path):
                return template, op
        return None

    def _resolve(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            target: Any = self.document
            for token in node["$ref"][2:].split("/"):
                target = target[token.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def problems(self, response: httpx.Response) -> list[str]:
        request = response.request
        found = self.operation(request.method, request.url.path)
        if found is None:
            return [] if response.status_code in (404, 405) else ["no such operation"]
        template, op = found
        status = str(response.status_code)
        declared = op["responses"].get(status)
        if declared is None:
            return [f"{request.method} {template}: status {status} is not declared"]
        declared = self._resolve(declared)
        content = declared.get("content")
        if not content:
            return [] if not response.content else [f"{status} must have no body"]
        media = response.headers.get("content-type", "").split(";")[0]
        if media not in content:
            return [f"content type {media!r} not in {sorted(content)}"]
        schema = content[media]["schema"]
        key = f"{template} {request.method} {status} {media}"
        validator = self._validators.get(key)
        if validator is None:
            ref = schema["$ref"].replace("#", "urn:spec#", 1) if "$ref" in schema else None
            validator = Draft202012Validator(
                {"$ref": ref} if ref else schema,
                registry=self.registry,
                format_checker=Draft202012Validator.FORMAT_CHECKER,
            )
            self._validators[key] = validator
        return [
            f"{request.method} {template} {status}: {e.message} at {list(e.absolute_path)}"
            for e in validator.iter_errors(response.json())
        ]


def conforming(checker: SpecChecker) -> Callable[[httpx.Response], None]:
    def hook(response: httpx.Response) -> None:
        response.read()
        problems = checker.problems(response)
        assert not problems, problems

    return hook


def make_client(app: Any, checker: SpecChecker, *, auth: bool = True) -> TestClient:
    client = TestClient(app, headers=dict(AUTH) if auth else None)
    client.event_hooks["response"] = [conforming(checker)]
    return client


@pytest.fixture
def client_for(spec_checker: SpecChecker) -> Callable[..., TestClient]:
    """Build a spec-checked client for another app: client_for(app, auth=True)."""

    def build(app: Any, *, auth: bool = True) -> TestClient:
        return make_client(app, spec_checker, auth=auth)

    return build


@pytest.fixture(scope="session")
def spec_document() -> dict[str, Any]:
    with SPEC_PATH.open() as handle:
        document: dict[str, Any] = yaml.safe_load(handle)
    return document


@pytest.fixture(scope="session")
def spec_checker(spec_document: dict[str, Any]) -> SpecChecker:
    return SpecChecker(spec_document)


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


@pytest.fixture
def make_app(clock: FakeTime) -> Callable[..., Any]:
    def build(db_path: str = ":memory:", **kwargs: Any) -> Any:
        kwargs.setdefault("clock", clock.now)
        kwargs.setdefault("speed", 1.0)
        kwargs.setdefault("faults", FaultConfig())
        return create_app(db_path, **kwargs)

    return build


@pytest.fixture
def app(make_app: Callable[..., Any]) -> Any:
    return make_app()


@pytest.fixture
def api(app: Any, spec_checker: SpecChecker) -> Iterator[TestClient]:
    """An authenticated client whose every response is checked against the spec."""
    with make_client(app, spec_checker) as client:
        yield client


@pytest.fixture
def anonymous(app: Any, spec_checker: SpecChecker) -> TestClient:
    """A client without credentials (no lifespan of its own, so it can share the app)."""
    return make_client(app, spec_checker, auth=False)


@pytest.fixture
def catalog(api: TestClient) -> Catalog:
    return Catalog(api)

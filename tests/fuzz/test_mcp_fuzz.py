"""Fuzzing the MCP tools with arguments generated from their own input schemas.

Each tool gets arguments drawn from its ``inputSchema`` (as the server lists it), mixed with
names and IDs that exist in the sandbox and with values the schema does not allow.  Every call
must come back as a result or as a tool error with a readable message: never a protocol
failure, a traceback or an "unexpected internal error".
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.server.tools import ServiceHandle
from ax_tasks_mcp.service.connect import TasksService
from tests.fuzz.conftest import VirtualTime
from tests.support.fuzz_depth import examples

pytestmark = pytest.mark.fuzz

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=examples(15),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FREE_KEYS = [
    "evaluator",
    "evaluator_id",
    "column_mappings",
    "query_filter",
    "query_mappings",
    "filters",
    "id",
    "filter",
    "expression",
    "experiment_type",
    "ai_integration_id",
    "model_name",
    "messages",
    "role",
    "content",
    "template",
]
TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)


class Word(int):
    """Stands for the n-th name or ID of the sandbox (known only once the sandbox exists)."""


def _no_service() -> TasksService:
    raise AssertionError("listing tools must not need the service")


def _tool_schemas() -> dict[str, dict[str, Any]]:
    """Every tool's input schema, as the server lists it (no service needed for that)."""

    async def fetch() -> dict[str, dict[str, Any]]:
        async with Client(build_server(ServiceHandle(_no_service))) as connected:
            listed = await connected.list_tools()
        return {tool.name: tool.input_schema for tool in listed.tools}

    return anyio.run(fetch)


SCHEMAS = _tool_schemas()
TOOL_NAMES = sorted(SCHEMAS)


def with_words(value: Any, words: list[str]) -> Any:
    if isinstance(value, Word):
        return words[int(value) % len(words)]
    if isinstance(value, dict):
        return {with_words(k, words): with_words(v, words) for k, v in value.items()}
    if isinstance(value, list):
        return [with_words(v, words) for v in value]
    return value


WORDS = st.integers(0, 999).map(Word)


def any_json() -> st.SearchStrategy[Any]:
    return st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.sampled_from(FREE_KEYS) | TEXT, children, max_size=4)
        ),
        max_leaves=8,
    )


class SchemaStrategies:
    """Hypothesis strategies from the JSON Schema subset pydantic writes for tool arguments."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.defs: dict[str, Any] = {**root.get("$defs", {}), **root.get("definitions", {})}

    def valid(self, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self.valid(self.defs[ref.rsplit("/", 1)[-1]])
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return st.one_of([self.valid(option) for option in schema[key]])
        if "allOf" in schema and len(schema["allOf"]) == 1:
            return self.valid(schema["allOf"][0])
        if "const" in schema:
            return st.just(schema["const"])
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        examples = schema.get("examples") or []
        kind = schema.get("type")
        strategy: st.SearchStrategy[Any]
        if kind == "string":
            strategy = self._string(schema)
        elif kind == "integer":
            strategy = st.integers(schema.get("minimum", -(2**31)), schema.get("maximum", 2**31))
        elif kind == "number":
            low = schema.get("minimum", schema.get("exclusiveMinimum"))
            high = schema.get("maximum", schema.get("exclusiveMaximum"))
            strategy = st.floats(
                min_value=low,
                max_value=high,
                exclude_min="exclusiveMinimum" in schema,
                exclude_max="exclusiveMaximum" in schema,
                allow_nan=False,
                allow_infinity=False,
            )
        elif kind == "boolean":
            strategy = st.booleans()
        elif kind == "null":
            strategy = st.none()
        elif kind == "array":
            items = schema.get("items", {})
            strategy = st.lists(
                self.valid(items) if items else any_json(),
                min_size=schema.get("minItems", 0),
                max_size=max(schema.get("minItems", 0), 3),
            )
        elif kind == "object" or "properties" in schema:
            strategy = self.arguments(schema) if "properties" in schema else self._free_object()
        else:
            strategy = any_json()
        if examples:
            strategy = st.sampled_from(examples) | strategy
        return strategy

    def _string(self, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
        if schema.get("format") == "date-time":
            return st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat()) | TEXT
        shortest = int(schema.get("minLength", 0))
        return WORDS | st.text(min_size=shortest, max_size=40)

    def _free_object(self) -> st.SearchStrategy[dict[str, Any]]:
        value = WORDS | any_json()
        return st.dictionaries(st.sampled_from(FREE_KEYS) | TEXT, value, max_size=4)

    def arguments(self, schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        """Required properties always, others sometimes; now and then a wrong-typed value or
        an unknown key, to exercise the error path."""
        properties: dict[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", []))

        def value(name: str) -> st.SearchStrategy[Any]:
            return self.valid(properties[name]) | any_json()

        fixed = {name: value(name) for name in properties if name in required}
        optional = {name: value(name) for name in properties if name not in required}
        base = st.fixed_dictionaries(fixed, optional=optional)
        extra = st.dictionaries(TEXT, any_json(), max_size=1)
        return st.tuples(base, extra, st.integers(0, 9)).map(
            lambda parts: {**parts[1], **parts[0]} if parts[2] == 0 else parts[0]
        )


@pytest.fixture
def server(
    sandbox_db: Path, vocabulary: list[str], run_ids: list[str]
) -> Iterator[tuple[Any, list[str]]]:
    """The MCP server over the embedded sandbox, waits in virtual time; and the names to use."""
    time = VirtualTime()
    service = TasksService.sandbox(str(sandbox_db), **time.options())

    async def pause(seconds: float) -> None:  # the server's pause between polls, virtual too
        time.sleep(seconds)

    try:
        yield build_server(ServiceHandle.of(service), sleep=pause), vocabulary + run_ids
    finally:
        service.close()


def check_tool_result(name: str, arguments: dict[str, Any], result: Any) -> str:
    texts = [getattr(item, "text", "") for item in result.content]
    text = "\n".join(texts)
    shown = f"{name}({arguments!r}) -> error={result.is_error} {text[:1500]!r}"
    assert "Traceback (most recent call last)" not in text, shown
    if result.is_error:
        assert text.strip(), shown
        assert "unexpected internal error" not in text, shown
        return "tool error"
    if result.structured_content is not None:
        assert isinstance(result.structured_content, dict), shown
    else:
        json.loads(texts[0])
    return "result"


def test_every_tool_is_fuzzed() -> None:
    assert len(TOOL_NAMES) >= 10
    assert {"list_tasks", "create_evaluation_task", "wait_for_task_run"} <= set(TOOL_NAMES)


def _tool_test(tool: str) -> Callable[..., Any]:
    arguments_of_tool = SchemaStrategies(SCHEMAS[tool]).arguments(SCHEMAS[tool])

    @pytest.mark.anyio
    @FUZZ
    @given(drawn=arguments_of_tool)
    async def test(
        drawn: dict[str, Any],
        server: tuple[Any, list[str]],
        fuzz_cases: Counter[str],
        fuzz_outcomes: Counter[str],
    ) -> None:
        mcp_server, words = server
        arguments = with_words(drawn, words)
        async with Client(mcp_server) as connected:
            result = await connected.call_tool(tool, arguments)
        fuzz_cases["MCP tool calls"] += 1
        fuzz_outcomes[f"MCP {check_tool_result(tool, arguments, result)}"] += 1

    test.__name__ = test.__qualname__ = f"test_{tool}_arguments_from_its_schema_never_crash_it"
    made: Callable[..., Any] = test
    return made


for _tool in TOOL_NAMES:
    globals()[f"test_{_tool}_arguments_from_its_schema_never_crash_it"] = _tool_test(_tool)

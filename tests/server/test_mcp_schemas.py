"""The public surface: tool names, titles, descriptions, annotations and schemas.

Definitions a model pays for in every conversation: within the token budget, no generated
titles, strict inputs with fixed values as enums, output schemas that describe summaries and
accept values the API adds later.

tests/snapshots/mcp/tools.json holds every tool exactly as tools/list shows it; a change shows in
review.  UPDATE_SNAPSHOTS=1 rewrites it.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from mcp_types import Tool

from ax_tasks_mcp import EVALUATION_TYPES, RUN_STATUSES, TASK_TYPES
from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.server.tools import READ_TOOLS, WRITE_TOOLS, ServiceHandle
from tests.server.conftest import Connect

pytestmark = pytest.mark.anyio

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "mcp" / "tools.json"
DEFINITIONS_BUDGET = 5_000  # o200k tokens for all tool definitions, the budget the brief sets


def tokens(value: Any) -> int:
    """o200k tokens of compact JSON (bpe-openai, offline; its import warns on 3.11)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import bpe_openai  # type: ignore[import-untyped]

        encoding = bpe_openai.get_encoding("o200k_base")
    return len(encoding.encode(json.dumps(value, separators=(",", ":"))))


EXPECTED_TOOLS = [
    "list_tasks",
    "get_task",
    "create_evaluation_task",
    "create_run_experiment_task",
    "update_task",
    "delete_task",
    "trigger_task_run",
    "list_task_runs",
    "get_task_run",
    "cancel_task_run",
    "wait_for_task_run",
    "list_spaces",
    "list_projects",
    "list_datasets",
    "list_evaluators",
    "list_ai_integrations",
    "list_experiments",
    "plan_tasks",
]
LIST_KEYS = {
    "list_tasks": "tasks",
    "list_task_runs": "task_runs",
    "list_spaces": "spaces",
    "list_projects": "projects",
    "list_datasets": "datasets",
    "list_evaluators": "evaluators",
    "list_ai_integrations": "ai_integrations",
    "list_experiments": "experiments",
}


def no_service() -> Any:
    raise AssertionError("listing tools must not create the service")


async def listed_tools(connect: Connect, *, read_only: bool = False) -> list[Tool]:
    server = build_server(ServiceHandle(no_service), read_only=read_only)
    async with connect(server) as client:
        return (await client.list_tools()).tools


def wire(tool: Tool) -> dict[str, Any]:
    data = tool.model_dump(mode="json", by_alias=True, exclude_none=True)
    keys = ("name", "title", "description", "annotations", "inputSchema", "outputSchema")
    return {key: data[key] for key in keys}


async def test_the_tools_match_the_snapshot(connect: Connect) -> None:
    tools = [wire(t) for t in await listed_tools(connect)]
    rendered = json.dumps(tools, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(rendered, encoding="utf-8")
    assert SNAPSHOT.exists(), "no snapshot yet: run with UPDATE_SNAPSHOTS=1"
    assert rendered == SNAPSHOT.read_text(encoding="utf-8")


async def test_all_tools_are_listed_with_verb_noun_names(connect: Connect) -> None:
    names = [t.name for t in await listed_tools(connect)]
    assert names == EXPECTED_TOOLS
    assert set(names) == READ_TOOLS | WRITE_TOOLS


async def test_every_tool_is_written_for_the_model(connect: Connect) -> None:
    for tool in await listed_tools(connect):
        assert tool.title, tool.name
        assert tool.description is not None
        assert 40 < len(tool.description) < 400, tool.name
        assert "\n" not in tool.description, tool.name
        # says what to use instead: names another tool
        others = [n for n in EXPECTED_TOOLS if n != tool.name and n in tool.description]
        assert others, tool.name


async def test_every_parameter_has_a_one_line_description(connect: Connect) -> None:
    for tool in await listed_tools(connect):
        for name, schema in tool.input_schema["properties"].items():
            description = schema.get("description", "")
            assert description, (tool.name, name)
            assert len(description) <= 300, (tool.name, name)
            assert "\n" not in description, (tool.name, name)


async def test_the_definitions_fit_the_token_budget(connect: Connect) -> None:
    tools = await listed_tools(connect)
    shown = [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in tools]
    assert tokens(shown) <= DEFINITIONS_BUDGET


def walk(schema: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object inside ``schema`` (not the names of its properties)."""
    if isinstance(schema, dict):
        yield path, schema
        for key, value in schema.items():
            if key in ("properties", "$defs"):
                for name, sub in value.items():
                    yield from walk(sub, f"{path}.{name}")
            else:
                yield from walk(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for index, item in enumerate(schema):
            yield from walk(item, f"{path}[{index}]")


async def test_schemas_carry_no_generated_titles_nulls_or_examples(connect: Connect) -> None:
    for tool in await listed_tools(connect):
        for schema in (tool.input_schema, tool.output_schema):
            for where, node in walk(schema):
                assert "title" not in node, (tool.name, where)
                assert "examples" not in node, (tool.name, where)
                assert node.get("default", 0) is not None, (tool.name, where)
        for where, node in walk(tool.input_schema):
            assert {"type": "null"} not in node.get("anyOf", []), (tool.name, where)


async def test_every_input_schema_forbids_unknown_arguments(connect: Connect) -> None:
    for tool in await listed_tools(connect):
        assert tool.input_schema["additionalProperties"] is False, tool.name


async def test_every_tool_is_annotated(connect: Connect) -> None:
    for tool in await listed_tools(connect):
        notes = tool.annotations
        assert notes is not None, tool.name
        if tool.name in READ_TOOLS:
            assert notes.read_only_hint is True, tool.name
        else:
            assert notes.read_only_hint is False, tool.name
            assert notes.destructive_hint is (tool.name in {"delete_task", "cancel_task_run"})
            assert notes.idempotent_hint is not None, tool.name
        # not said where the protocol's defaults say it: every tool is open-world
        assert notes.open_world_hint is None, tool.name


async def test_reads_and_writes_are_split_as_expected() -> None:
    assert {
        "create_evaluation_task",
        "create_run_experiment_task",
        "update_task",
        "delete_task",
        "trigger_task_run",
        "cancel_task_run",
    } == WRITE_TOOLS
    assert "wait_for_task_run" in READ_TOOLS


async def test_every_tool_declares_an_output_schema(connect: Connect) -> None:
    for tool in await listed_tools(connect):
        schema = tool.output_schema
        assert schema is not None, tool.name
        assert schema["type"] == "object"
        if tool.name in LIST_KEYS:
            assert set(schema["required"]) == {LIST_KEYS[tool.name], "next_cursor"}


async def test_list_outputs_describe_summaries_and_get_outputs_the_whole_object(
    connect: Connect,
) -> None:
    tools = {t.name: t for t in await listed_tools(connect)}
    task_item = tools["list_tasks"].output_schema["properties"]["tasks"]["items"]  # type: ignore[index]
    assert {"id", "name", "type", "project", "dataset", "evaluator_names", "last_run_at"} <= set(
        task_item["properties"]
    )
    run_item = tools["list_task_runs"].output_schema["properties"]["task_runs"]["items"]  # type: ignore[index]
    assert {"id", "status", "num_successes", "num_errors", "failure_reason"} <= set(
        run_item["properties"]
    )
    for name in ("get_task", "get_task_run"):
        schema = tools[name].output_schema
        assert schema is not None
        assert "whole" in schema["description"]
        assert schema.get("additionalProperties", True) is not False


async def test_a_fixed_value_argument_is_an_enum_from_the_service_constants(
    connect: Connect,
) -> None:
    tools = {t.name: t for t in await listed_tools(connect)}
    schema = tools["create_evaluation_task"].input_schema["properties"]["task_type"]
    assert schema["enum"] == list(EVALUATION_TYPES)


@pytest.mark.parametrize(
    ("tool", "argument", "values"),
    [("list_tasks", "task_type", TASK_TYPES), ("list_task_runs", "status", RUN_STATUSES)],
)
async def test_a_filter_names_the_known_values_but_takes_newer_ones(
    connect: Connect, tool: str, argument: str, values: tuple[str, ...]
) -> None:
    tools = {t.name: t for t in await listed_tools(connect)}
    schema = tools[tool].input_schema["properties"][argument]
    assert "enum" not in schema  # a client that checks arguments would refuse a newer value
    assert all(value in schema["description"] for value in values)
    assert "newer" in schema["description"]


@pytest.mark.parametrize(
    ("tool", "answer"),
    [
        ("get_task_run", {"id": "r", "task_id": "t", "status": "QUEUED"}),
        ("wait_for_task_run", {"id": "r", "status": "QUEUED", "timed_out": True}),
        ("list_task_runs", {"task_runs": [{"id": "r", "status": "QUEUED"}], "next_cursor": None}),
        ("get_task", {"id": "t", "name": "n", "type": "AGENT_EVALUATION", "new_field": 1}),
        (
            "list_tasks",
            {"tasks": [{"id": "t", "name": "n", "type": "AGENT_EVALUATION"}], "next_cursor": None},
        ),
    ],
)
async def test_output_schemas_accept_values_the_api_adds_later(
    connect: Connect, tool: str, answer: dict[str, Any]
) -> None:
    tools = {t.name: t for t in await listed_tools(connect)}
    schema = tools[tool].output_schema
    assert schema is not None
    jsonschema.validate(answer, schema)  # raises if an unknown status or type were refused
    listed = json.dumps(schema)
    assert "QUEUED" not in listed
    assert "AGENT_EVALUATION" not in listed


async def test_output_schemas_list_the_known_values(connect: Connect) -> None:
    tools = {t.name: t for t in await listed_tools(connect)}
    assert all(status in json.dumps(tools["get_task_run"].output_schema) for status in RUN_STATUSES)
    assert all(kind in json.dumps(tools["get_task"].output_schema) for kind in TASK_TYPES)

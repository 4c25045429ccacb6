"""The public surface: tool names, titles, descriptions, annotations and schemas.

tests/snapshots/mcp/tools.json holds every tool exactly as tools/list shows it; a change shows in
review.  UPDATE_SNAPSHOTS=1 rewrites it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from mcp_types import Tool

from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.server.tools import READ_TOOLS, WRITE_TOOLS, ServiceHandle
from tests.mcp.conftest import Connect

pytestmark = pytest.mark.anyio

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "mcp" / "tools.json"

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
        assert len(tool.description) > 80, tool.name
        assert "Returns" in tool.description, tool.name
        # says what to use instead: names another tool
        others = [n for n in EXPECTED_TOOLS if n != tool.name and n in tool.description]
        assert others, tool.name


async def test_every_parameter_has_a_description_and_an_example(connect: Connect) -> None:
    for tool in await listed_tools(connect):
        properties = tool.input_schema.get("properties", {})
        for name, schema in properties.items():
            assert schema.get("description"), (tool.name, name)
            assert schema.get("examples"), (tool.name, name)


async def test_every_tool_is_annotated(connect: Connect) -> None:
    for tool in await listed_tools(connect):
        notes = tool.annotations
        assert notes is not None, tool.name
        assert notes.title == tool.title
        assert notes.open_world_hint is True, tool.name
        if tool.name in READ_TOOLS:
            assert notes.read_only_hint is True, tool.name
        else:
            assert notes.read_only_hint is False, tool.name
            assert notes.destructive_hint is (tool.name in {"delete_task", "cancel_task_run"})
            assert notes.idempotent_hint is not None, tool.name


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


async def test_task_and_run_outputs_use_the_api_field_names(connect: Connect) -> None:
    tools = {t.name: t for t in await listed_tools(connect)}
    task = tools["get_task"].output_schema
    run = tools["get_task_run"].output_schema
    assert task is not None
    assert run is not None
    for field in ("id", "name", "type", "project_id", "dataset_id", "evaluators", "last_run_at"):
        assert field in task["properties"]
    for field in ("id", "task_id", "status", "num_successes", "num_errors", "failure_reason"):
        assert field in run["properties"]


async def test_enum_arguments_accept_any_case(connect: Connect) -> None:
    tools = {t.name: t for t in await listed_tools(connect)}
    task_type = tools["list_tasks"].input_schema["properties"]["task_type"]
    status = tools["list_task_runs"].input_schema["properties"]["status"]
    for schema in (task_type, status):
        assert "enum" not in json.dumps(schema)
        assert "any case" in schema["description"]

"""Which tools a server offers: --toolsets, --read-only and --no-destructive (issue 11, point 3).

A tool left out is neither listed nor callable; calling it says why and changes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.server.calls import ServiceHandle
from ax_tasks_mcp.server.tools import ALL_TOOLS, READ_TOOLS, TOOLSETS, WRITE_TOOLS
from ax_tasks_mcp.service.connect import TasksService
from tests.server.conftest import Connect
from tests.server.mcp_helpers import SPACE, error, ok

pytestmark = pytest.mark.anyio

WRITE_CALLS: dict[str, dict[str, Any]] = {
    "create_evaluation_task": {
        "name": "sneaky",
        "task_type": "TEMPLATE_EVALUATION",
        "space": SPACE,
        "project": "chatbot",
        "evaluators": [{"evaluator": "hallucination"}],
    },
    "create_run_experiment_task": {
        "name": "sneaky",
        "space": SPACE,
        "dataset": "qa-golden",
        "run_configuration": {"experiment_type": "LLM_GENERATION"},
    },
    "update_task": {"task": "chatbot-hallucination", "space": SPACE, "name": "renamed"},
    "delete_task": {"task": "chatbot-hallucination", "space": SPACE, "confirm": True},
    "trigger_task_run": {"task": "chatbot-hallucination", "space": SPACE},
    "cancel_task_run": {"run_id": "VGFza1J1bjo5OTpxUndY", "confirm": True},
}


async def test_read_only_lists_only_the_reading_tools(
    service: TasksService, connect: Connect
) -> None:
    async with connect(build_server(service, read_only=True)) as client:
        names = {t.name for t in (await client.list_tools()).tools}
    assert names == READ_TOOLS
    assert not names & WRITE_TOOLS


@pytest.mark.parametrize("tool", sorted(WRITE_CALLS))
async def test_read_only_refuses_every_write(
    service: TasksService, connect: Connect, tool: str
) -> None:
    before = service.get_task("chatbot-hallucination", space=SPACE)
    runs_before = service.list_runs(before["id"]).items
    async with connect(build_server(service, read_only=True)) as client:
        message = error(await client.call_tool(tool, WRITE_CALLS[tool]))
    assert tool in message
    assert "read-only" in message
    assert "Nothing was changed" in message
    assert service.get_task("chatbot-hallucination", space=SPACE) == before
    assert service.list_runs(before["id"]).items == runs_before
    assert "sneaky" not in [t["name"] for t in service.list_tasks(space=SPACE).items]


def test_every_write_tool_is_tried() -> None:
    assert set(WRITE_CALLS) == WRITE_TOOLS


async def test_read_only_still_reads(service: TasksService, connect: Connect) -> None:
    async with connect(build_server(service, read_only=True)) as client:
        task = ok(
            await client.call_tool("get_task", {"task": "chatbot-hallucination", "space": SPACE})
        )
    assert task["name"] == "chatbot-hallucination"


DESTRUCTIVE = {"delete_task", "cancel_task_run"}


async def listed(connect: Connect, service: TasksService, **options: Any) -> set[str]:
    async with connect(build_server(service, **options)) as client:
        return {t.name for t in (await client.list_tools()).tools}


async def test_all_toolsets_are_offered_by_default(service: TasksService, connect: Connect) -> None:
    assert await listed(connect, service) == set(ALL_TOOLS)
    assert set(TOOLSETS) == {"tasks", "runs", "lookups", "plans"}


@pytest.mark.parametrize("chosen", [["tasks"], ["runs"], ["lookups"], ["runs", "lookups"]])
async def test_toolsets_offer_only_their_tools(
    service: TasksService, connect: Connect, chosen: list[str]
) -> None:
    expected = {d.name for name in chosen for d in TOOLSETS[name]}
    assert await listed(connect, service, toolsets=chosen) == expected


async def test_a_tool_of_another_toolset_is_refused_saying_why(
    service: TasksService, connect: Connect
) -> None:
    async with connect(build_server(service, toolsets=["lookups"])) as client:
        message = error(await client.call_tool("list_tasks", {"space": SPACE}))
    assert message == (
        "list_tasks is not available: this server does not offer the tasks tools."
        " Nothing was changed."
    )


async def test_no_destructive_leaves_out_delete_and_cancel_entirely(
    service: TasksService, connect: Connect
) -> None:
    names = await listed(connect, service, destructive=False)
    assert names == set(ALL_TOOLS) - DESTRUCTIVE
    before = service.get_task("chatbot-hallucination", space=SPACE)
    async with connect(build_server(service, destructive=False)) as client:
        for tool in sorted(DESTRUCTIVE):
            message = error(await client.call_tool(tool, WRITE_CALLS[tool]))
            assert "never deletes tasks or cancels runs" in message
        assert ok(await client.call_tool("update_task", WRITE_CALLS["update_task"]))
    assert service.get_task(before["id"])["name"] == "renamed"


async def test_the_destructive_tools_are_the_ones_annotated_so(
    service: TasksService, connect: Connect
) -> None:
    async with connect(build_server(service)) as client:
        tools = (await client.list_tools()).tools
    marked = {t.name for t in tools if t.annotations and t.annotations.destructive_hint}
    assert marked == DESTRUCTIVE


async def test_an_unknown_tool_is_an_error_that_names_no_internals(client: Any) -> None:
    message = error(await client.call_tool("drop_everything", {}))
    assert "drop_everything" in message
    assert "tools/list" in message


def test_an_unknown_toolset_is_refused_when_building() -> None:
    with pytest.raises(ValueError, match="unknown toolset bogus"):
        build_server(ServiceHandle(lambda: None), toolsets=["bogus"])  # type: ignore[arg-type,return-value]


def test_the_entry_point_knows_the_same_toolsets() -> None:
    # app.py names them without importing the tools (the SDK import stays off --help's path)
    from ax_tasks_mcp.server.app import TOOLSET_NAMES

    assert tuple(TOOLSETS) == TOOLSET_NAMES

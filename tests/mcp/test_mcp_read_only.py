"""--read-only: the write tools are neither listed nor callable."""

from __future__ import annotations

from typing import Any

import pytest

from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.server.tools import READ_TOOLS, WRITE_TOOLS
from ax_tasks_mcp.service.connect import TasksService
from tests.mcp.conftest import Connect
from tests.mcp.mcp_helpers import SPACE, error, ok

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
    "delete_task": {
        "task": "chatbot-hallucination",
        "space": SPACE,
        "confirm": True,
        "confirm_name": "chatbot-hallucination",
    },
    "trigger_task_run": {"task": "chatbot-hallucination", "space": SPACE},
    "cancel_task_run": {
        "run_id": "VGFza1J1bjo5OTpxUndY",
        "confirm": True,
        "confirm_name": "VGFza1J1bjo5OTpxUndY",
    },
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

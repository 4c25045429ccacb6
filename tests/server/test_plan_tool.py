"""plan_tasks: a model shows what a tasks file would change, compactly, changing nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from mcp import Client

from ax_tasks_mcp import dump_tasks, export_tasks, load_tasks, plan_tasks
from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.server.plan_tools import CUT, MAX_CONTENT
from ax_tasks_mcp.service.connect import TasksService
from tests.server.conftest import Connect
from tests.server.mcp_helpers import error, ok
from tests.server.test_mcp_schemas import listed_tools, tokens

pytestmark = pytest.mark.anyio

TOOL_BUDGET = 350  # o200k tokens for this tool's definition


def demo(service: TasksService) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(dump_tasks(export_tasks(service, ["demo"])))
    return document


async def test_the_plan_lists_only_what_changes_with_old_and_new(
    client: Client, service: TasksService
) -> None:
    document = demo(service)
    document["tasks"][0]["sampling_rate"] = 0.25
    document["tasks"].append(
        {
            "name": "new-check",
            "type": "code_evaluation",
            "project": "chatbot",
            "evaluators": [{"evaluator": "json-validity"}],
        }
    )
    before = service.list_tasks(space="demo").items
    result = ok(await client.call_tool("plan_tasks", {"content": yaml.safe_dump(document)}))
    assert result["summary"] == {
        "create": 1,
        "update": 1,
        "replace": 0,
        "delete": 0,
        "unchanged": 1,
        "not_in_files": 0,
    }
    # The CLI's JSON plan of the same file has the same summary, under the same keys.
    spaces = load_tasks(texts=[("tasks.yaml", yaml.safe_dump(document))])
    assert plan_tasks(service, spaces).to_dict()["summary"] == result["summary"]
    update, create = result["changes"]
    assert update["fields"] == {"sampling_rate": [0.5, 0.25]}
    assert (create["action"], create["task"]) == ("create", "new-check")
    assert create["fields"]["evaluators"] == [{"evaluator": "json-validity"}]
    assert service.list_tasks(space="demo").items == before


async def test_a_task_id_the_space_does_not_have_is_noted(
    client: Client, service: TasksService
) -> None:
    document = demo(service)
    document["tasks"][0].update(id="T25saW5lVGFzazo5OTk6YWJjZA==", sampling_rate=0.25)
    result = ok(await client.call_tool("plan_tasks", {"content": yaml.safe_dump(document)}))
    [update] = result["changes"]
    assert update["note"].startswith("no task of space 'demo' has the ID T25saW5lVGFzazo5OTk6")
    assert update["note"].endswith(": matched by its name instead")


async def test_a_bad_file_is_one_error_at_its_place(client: Client) -> None:
    content = (
        "space: demo\ntasks:\n  - name: x\n    type: template_evaluation\n"
        "    evaluators: [{evaluator: relevance}]\n    projekt: a\n"
    )
    message = error(await client.call_tool("plan_tasks", {"content": content}))
    assert message.startswith(
        "content:6:5: task 'x', projekt: unknown field (did you mean project?)"
    )


async def test_json_content_and_a_space_for_a_file_without_one(
    client: Client, service: TasksService
) -> None:
    tasks = {"tasks": demo(service)["tasks"]}
    result = ok(
        await client.call_tool("plan_tasks", {"content": json.dumps(tasks), "space": "demo"})
    )
    assert result["changes"] == []
    assert result["summary"]["unchanged"] == 2


async def test_long_values_are_cut_with_a_marker(client: Client, service: TasksService) -> None:
    document = demo(service)
    document["tasks"][0]["query_filter"] = "attributes.x = '" + "y" * 1000 + "'"
    result = ok(await client.call_tool("plan_tasks", {"content": yaml.safe_dump(document)}))
    old, new = result["changes"][0]["fields"]["query_filter"]
    assert len(new) == 300
    assert new.endswith(CUT)
    assert old == "attributes.openinference.span.kind = 'LLM'"


async def test_a_file_over_the_bound_is_refused_before_anything(client: Client) -> None:
    content = "# " + "x" * MAX_CONTENT
    message = error(await client.call_tool("plan_tasks", {"content": content}))
    assert "content" in message
    assert "Nothing was done" in message


async def test_it_is_offered_read_only_and_costs_little(
    connect: Connect, service: TasksService
) -> None:
    async with connect(build_server(service, read_only=True)) as client:
        names = {t.name for t in (await client.list_tools()).tools}
    assert "plan_tasks" in names
    [tool] = [t for t in await listed_tools(connect) if t.name == "plan_tasks"]
    assert tool.annotations is not None
    assert tool.annotations.read_only_hint is True
    assert tokens(tool.model_dump(mode="json", by_alias=True, exclude_none=True)) <= TOOL_BUDGET

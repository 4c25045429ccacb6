"""Answers sized for a model: list tools return summaries, 20 by default,
with the cursor; ``full`` gives whole objects; get_* the whole object; the text block is the
same data as compact JSON.  Measured in a space of 60 tasks, in o200k tokens.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp_types import CallToolResult

from ax_tasks_mcp import EvaluationTaskSpec
from ax_tasks_mcp.service.connect import TasksService
from tests.server.mcp_helpers import SPACE, START, copy_sandbox, make_service, ok, text, tokens
from tests.support.clock import FakeTime

pytestmark = pytest.mark.anyio

TASKS_IN_SPACE = 60
LIST_BUDGET = 3_000  # tokens of a default list_tasks, text and structured content each
ANSWER_BUDGET = 10_000  # tokens of any default tool result
TWO_EVALUATORS = [
    {"evaluator": "hallucination", "column_mappings": {"input": "attributes.input.value"}},
    {"evaluator": "relevance", "column_mappings": {"input": "attributes.input.value"}},
]


@pytest.fixture(scope="module")
def crowded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo space with 60 tasks, each with two evaluators and a filter: built once per
    module, since its 55 creates cost a third of a second, and copied for each test."""
    db = tmp_path_factory.mktemp("crowded") / "sandbox.db"
    with make_service(db, FakeTime(START)) as service:
        have = len(service.list_tasks(space=SPACE, limit=100).items)
        for number in range(TASKS_IN_SPACE - have):
            service.create_task(
                EvaluationTaskSpec(
                    name=f"nightly-{number:02d}",
                    task_type="TEMPLATE_EVALUATION",
                    space=SPACE,
                    project="chatbot",
                    evaluators=TWO_EVALUATORS,
                    sampling_rate=0.5,
                    query_filter="attributes.openinference.span.kind = 'LLM'",
                )
            )
    return db


@pytest.fixture
def sandbox_db(sandbox_db: Path, request: pytest.FixtureRequest) -> Path:
    """A test that asks for ``crowded`` starts from a copy of the crowded space."""
    if "crowded" in request.fixturenames:
        copy_sandbox(request.getfixturevalue("crowded_template"), sandbox_db)
    return sandbox_db


@pytest.fixture
def crowded(service: TasksService) -> TasksService:
    """The service over the crowded space (see ``crowded_template``)."""
    return service


async def test_a_default_list_tasks_in_a_60_task_space_fits_the_budget(
    crowded: TasksService, client: Client
) -> None:
    result = await client.call_tool("list_tasks", {"space": SPACE})
    data = ok(result)
    assert len(data["tasks"]) == 20
    assert data["next_cursor"]
    assert tokens(text(result)) <= LIST_BUDGET
    assert tokens(data) <= LIST_BUDGET


async def test_the_text_block_is_the_structured_content_as_compact_json(
    crowded: TasksService, client: Client
) -> None:
    result = await client.call_tool("list_tasks", {"space": SPACE, "limit": 2})
    assert text(result) == json.dumps(
        result.structured_content, ensure_ascii=False, separators=(",", ":")
    )


async def test_task_summaries_carry_what_a_model_picks_by(
    crowded: TasksService, client: Client
) -> None:
    data = ok(await client.call_tool("list_tasks", {"space": SPACE, "limit": 100}))
    by_name = {t["name"]: t for t in data["tasks"]}
    project = crowded.list_lookup("projects", space=SPACE, name="chatbot").items[0]
    assert by_name["nightly-00"] == {
        "id": by_name["nightly-00"]["id"],
        "name": "nightly-00",
        "type": "TEMPLATE_EVALUATION",
        "is_continuous": False,
        "project": "chatbot",
        "project_id": project["id"],
        "evaluator_names": ["hallucination", "relevance"],
    }
    dataset_task = by_name["qa-golden-json-check"]
    assert dataset_task["dataset"] == "qa-golden"
    assert dataset_task["dataset_id"]
    assert dataset_task["last_run_at"]
    for summary in data["tasks"]:
        assert not {"created_by_user_id", "evaluators", "query_filter", "created_at"} & set(summary)


async def test_the_cursor_pages_through_every_task_once(
    crowded: TasksService, client: Client
) -> None:
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(5):
        page = ok(await client.call_tool("list_tasks", {"space": SPACE, "cursor": cursor}))
        seen += [t["id"] for t in page["tasks"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == TASKS_IN_SPACE


async def test_full_gives_the_whole_tasks(crowded: TasksService, client: Client) -> None:
    data = ok(await client.call_tool("list_tasks", {"space": SPACE, "limit": 5, "full": True}))
    assert data["tasks"] == crowded.list_tasks(space=SPACE, limit=5).items


async def test_get_task_gives_the_whole_task(crowded: TasksService, client: Client) -> None:
    task = ok(await client.call_tool("get_task", {"space": SPACE, "task": "nightly-07"}))
    assert task == crowded.get_task("nightly-07", space=SPACE)
    assert task["evaluators"][0]["column_mappings"]


async def test_run_summaries_and_full_runs(crowded: TasksService, client: Client) -> None:
    task = "chatbot-hallucination"
    whole = crowded.list_runs(task, space=SPACE).items
    summaries = ok(await client.call_tool("list_task_runs", {"space": SPACE, "task": task}))
    assert [r["id"] for r in summaries["task_runs"]] == [r["id"] for r in whole]
    first = summaries["task_runs"][0]
    assert first["status"] == whole[0]["status"]
    assert first["num_successes"] == whole[0]["num_successes"]
    assert "created_by_user_id" not in first
    assert "failure_reason" not in first  # null fields are left out of summaries
    full = ok(
        await client.call_tool("list_task_runs", {"space": SPACE, "task": task, "full": True})
    )
    assert full["task_runs"] == whole


async def test_lookup_summaries_keep_what_tells_items_apart(client: Client) -> None:
    evaluators = ok(await client.call_tool("list_evaluators", {"space": SPACE}))["evaluators"]
    assert evaluators
    assert {"id", "name", "type", "description"} >= set(evaluators[0]) >= {"id", "name", "type"}
    integrations = ok(await client.call_tool("list_ai_integrations", {"space": SPACE}))
    openai = next(i for i in integrations["ai_integrations"] if i["name"] == "openai-prod")
    assert set(openai) == {"id", "name", "provider", "model_names"}


DEFAULT_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("list_tasks", {}),
    ("list_tasks", {"space": SPACE}),
    ("list_task_runs", {"space": SPACE, "task": "chatbot-hallucination"}),
    ("get_task", {"space": SPACE, "task": "chatbot-hallucination"}),
    ("list_spaces", {}),
    ("list_projects", {"space": SPACE}),
    ("list_datasets", {"space": SPACE}),
    ("list_evaluators", {"space": SPACE}),
    ("list_ai_integrations", {"space": SPACE}),
    ("list_experiments", {"space": SPACE}),
]


@pytest.mark.parametrize(("tool", "arguments"), DEFAULT_CALLS)
async def test_no_default_answer_exceeds_the_budget(
    crowded: TasksService, client: Client, tool: str, arguments: dict[str, Any]
) -> None:
    result: CallToolResult = await client.call_tool(tool, arguments)
    ok(result)
    assert tokens(text(result)) <= ANSWER_BUDGET


async def test_targets_keep_their_ids_when_names_cannot_be_listed(
    service: TasksService, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ax_tasks_mcp.service.errors import ServerError

    real_lookup = service.list_lookup

    def projects_down(kind: str, **filters: Any) -> Any:
        if kind == "projects":
            raise ServerError("projects are unavailable")
        return real_lookup(kind, **filters)

    monkeypatch.setattr(service, "list_lookup", projects_down)
    data = ok(await client.call_tool("list_tasks", {"space": SPACE, "limit": 100}))
    chatbot = next(t for t in data["tasks"] if t["name"] == "chatbot-hallucination")
    assert chatbot["project_id"]
    assert "project" not in chatbot
    qa = next(t for t in data["tasks"] if t["name"] == "qa-golden-json-check")
    assert qa["dataset"] == "qa-golden"


async def test_a_list_across_spaces_names_each_tasks_target_and_space(client: Client) -> None:
    data = ok(await client.call_tool("list_tasks", {"limit": 100}))
    spaces = {t["space"] for t in data["tasks"]}
    assert {SPACE, "production-llm"} <= spaces
    assert all(t.get("project") or t.get("dataset") for t in data["tasks"])


async def test_a_list_in_one_space_does_not_repeat_the_space(client: Client) -> None:
    data = ok(await client.call_tool("list_tasks", {"space": SPACE}))
    assert data["tasks"]
    assert all("space" not in t for t in data["tasks"])


@pytest.mark.parametrize("tool", ["list_evaluators", "list_projects", "list_datasets"])
async def test_a_lookup_across_spaces_tells_same_named_items_apart(
    client: Client, tool: str
) -> None:
    key = tool.removeprefix("list_")
    items = ok(await client.call_tool(tool, {"limit": 100}))[key]
    assert items
    assert all(item.get("space") for item in items)
    by_name: dict[str, set[str]] = {}
    for item in items:
        by_name.setdefault(item["name"], set()).add(item["space"])
    assert all(len(spaces) == sum(i["name"] == n for i in items) for n, spaces in by_name.items())

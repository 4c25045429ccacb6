"""The list tools do a model's common jobs in one call each.

Filters the API lacks (the tasks running an evaluator; the runs of a time window, with its
totals), a failure reason several runs share said once, one cursor whatever the filter, and a
filter value newer than this version passed on with a note.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest
from mcp import Client

from ax_tasks_mcp import RunRequest
from ax_tasks_mcp.service.connect import TasksService
from tests.server.mcp_helpers import SPACE, error, ok
from tests.support.clock import FakeTime

pytestmark = pytest.mark.anyio

CONTINUOUS = {"space": "research", "task": "agent-goal-completion"}


async def _every(client: Client, tool: str, arguments: dict[str, Any], key: str) -> list[Any]:
    items: list[Any] = []
    while True:
        page = ok(await client.call_tool(tool, arguments))
        items += page[key]
        if page["next_cursor"] is None:
            return items
        arguments = {**arguments, "cursor": page["next_cursor"]}


@pytest.mark.parametrize("by", ["name", "id"])
async def test_list_tasks_finds_every_task_running_an_evaluator(
    client: Client, service: TasksService, by: str
) -> None:
    everything = await _every(client, "list_tasks", {"space": SPACE, "full": True}, "tasks")
    evaluator = service.list_lookup("evaluators", space=SPACE, name="relevance").items[0]
    wanted = {
        task["id"]
        for task in everything
        if any(e["evaluator_id"] == evaluator["id"] for e in task["evaluators"])
    }
    assert wanted
    assert len(wanted) < len(everything)
    value = evaluator["name"] if by == "name" else evaluator["id"]
    found = await _every(
        client, "list_tasks", {"space": SPACE, "evaluator": value, "limit": 1}, "tasks"
    )
    assert {task["id"] for task in found} == wanted


async def test_an_evaluator_that_does_not_exist_is_not_an_empty_answer(client: Client) -> None:
    message = error(
        await client.call_tool("list_tasks", {"space": SPACE, "evaluator": "relevence"})
    )
    assert "No evaluator named 'relevence'" in message
    assert "'relevance'" in message


async def test_runs_in_a_window_come_with_the_windows_totals(
    client: Client, service: TasksService, fake_time: FakeTime
) -> None:
    for _ in range(80):  # a day and more of a continuous task: a run every ten minutes
        fake_time.advance(1_200)
        service.get_task(CONTINUOUS["task"], space="research")  # the sandbox catches up
    since = fake_time.now() - timedelta(days=1)
    every = [r for r in service.iter_runs(CONTINUOUS["task"], space="research")]
    in_window = [r for r in every if datetime.fromisoformat(r["created_at"]) >= since]
    assert len(in_window) >= 140

    page = ok(await client.call_tool("list_task_runs", {**CONTINUOUS, "since": "24h", "limit": 5}))
    assert len(page["task_runs"]) == 5
    totals = page["totals"]
    assert totals["runs"] == len(in_window)
    statuses = Counter(r["status"] for r in in_window)
    assert {status: totals[status] for status in statuses} == statuses
    assert totals["num_successes"] == sum(r["num_successes"] for r in in_window)
    window = await _every(
        client,
        "list_task_runs",
        {**CONTINUOUS, "since": since.isoformat(), "limit": 100},
        "task_runs",
    )
    assert [r["id"] for r in window] == [r["id"] for r in in_window]


@pytest.mark.parametrize("value", ["yesterday", "24 hours", "2026-13-01"])
async def test_a_window_that_is_not_a_time_is_refused_plainly(client: Client, value: str) -> None:
    message = error(await client.call_tool("list_task_runs", {**CONTINUOUS, "since": value}))
    assert message.startswith("since: not a time: give RFC 3339")


async def test_a_failure_reason_several_runs_share_is_said_once(
    client: Client, service: TasksService, fake_time: FakeTime
) -> None:
    task = "chatbot-hallucination"
    window = RunRequest(data_start_time="2026-03-07T00:00:00Z")
    for _ in range(3):  # nothing new since the first: the later ones end with the same reason
        service.trigger_run(task, window, space=SPACE)
    fake_time.advance(3_600)
    page = ok(await client.call_tool("list_task_runs", {"space": SPACE, "task": task}))
    shared = page["failure_reasons"]
    assert len(shared) == 1
    key, reason = next(iter(shared.items()))
    marked = [run for run in page["task_runs"] if run.get("failure_reason") == key]
    assert len(marked) >= 2
    assert reason not in str(page["task_runs"])


async def test_a_cursor_this_server_did_not_give_is_refused_in_the_tools_words(
    client: Client,
) -> None:
    for cursor in ("ax+999:x", "ax+zz:", "forged"):
        message = error(await client.call_tool("list_tasks", {"space": SPACE, "cursor": cursor}))
        assert message.startswith("cursor: not a next_cursor from list_tasks"), message
        assert "pagination" not in message
        assert message.endswith("Nothing was done.")

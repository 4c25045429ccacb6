"""Strict inputs: an unknown argument is an error naming the valid ones,
fixed values are accepted in any case, and every refusal is one plain line per argument in
the tool's own words - no pydantic wording or links, no module paths, no CLI flags.
"""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from ax_tasks_mcp.service.connect import TasksService
from tests.server.mcp_helpers import SPACE, error, ok

pytestmark = pytest.mark.anyio

NOT_FOR_A_MODEL = ("pydantic", "https://", "validation error", "Arguments", "ax_tasks_mcp", "--")


def plain(message: str) -> None:
    for phrase in NOT_FOR_A_MODEL:
        assert phrase not in message, (phrase, message)


async def test_an_unknown_argument_is_refused_naming_the_valid_ones(
    client: Client, service: TasksService
) -> None:
    message = error(await client.call_tool("list_tasks", {"projet": "chatbot", "space": SPACE}))
    assert message.splitlines() == [
        "projet: list_tasks has no such argument (did you mean 'project'?); valid arguments:"
        " space, project, dataset, name, evaluator, task_type, limit, cursor, full.",
        "Nothing was done.",
    ]
    plain(message)


async def test_an_unknown_argument_stops_a_write_before_it_is_sent(
    client: Client, service: TasksService
) -> None:
    before = service.get_task("chatbot-hallucination", space=SPACE)
    message = error(
        await client.call_tool(
            "update_task",
            {"task": before["id"], "name": "renamed", "sampling": 0.1},
        )
    )
    assert "sampling: update_task has no such argument (did you mean 'sampling_rate'?)" in message
    assert service.get_task(before["id"]) == before


@pytest.mark.parametrize(
    "given", ["template_evaluation", "Template_Evaluation", "TEMPLATE_EVALUATION"]
)
async def test_fixed_values_are_accepted_in_any_case(client: Client, given: str) -> None:
    data = ok(await client.call_tool("list_tasks", {"space": SPACE, "task_type": given}))
    assert {t["type"] for t in data["tasks"]} == {"TEMPLATE_EVALUATION"}


async def test_a_run_status_in_lower_case_filters(client: Client) -> None:
    data = ok(
        await client.call_tool(
            "list_task_runs",
            {"space": SPACE, "task": "chatbot-hallucination", "status": "completed"},
        )
    )
    assert data["task_runs"]
    assert {r["status"] for r in data["task_runs"]} == {"COMPLETED"}


async def test_an_array_of_fixed_values_takes_any_case_too(
    client: Client, service: TasksService
) -> None:
    task = ok(await client.call_tool("get_task", {"space": SPACE, "task": "chatbot-hallucination"}))
    assert task["query_filter"]
    updated = ok(
        await client.call_tool("update_task", {"task": task["id"], "clear": ["QUERY_FILTER"]})
    )
    assert updated["changed"]["query_filter"]["to"] is None


async def test_a_value_outside_the_enum_is_one_line_listing_the_choices(client: Client) -> None:
    message = error(
        await client.call_tool(
            "create_evaluation_task",
            {"name": "n", "task_type": "agent", "project": "p", "evaluators": [{"evaluator": "e"}]},
        )
    )
    assert message.splitlines() == [
        "task_type: must be one of TEMPLATE_EVALUATION, CODE_EVALUATION (any case), not"
        " 'agent'. RUN_EXPERIMENT tasks are created with create_run_experiment_task.",
        "Nothing was done.",
    ]


async def test_a_filter_value_that_is_not_one_word_is_refused_in_one_line(
    client: Client,
) -> None:
    message = error(await client.call_tool("list_tasks", {"task_type": "agent?"}))
    assert message.startswith("Unknown task type 'agent?': use one of TEMPLATE_EVALUATION,")
    assert len(message.splitlines()) == 1


async def test_each_bad_argument_gets_one_plain_line(client: Client) -> None:
    message = error(
        await client.call_tool("list_tasks", {"limit": 500, "cursor": 7, "space": SPACE})
    )
    lines = message.splitlines()
    assert lines == [
        "limit: must be less than or equal to 100. Got 500.",
        "cursor: must be a valid string. Got 7.",
        "Nothing was done.",
    ]
    plain(message)


async def test_a_missing_argument_is_named(client: Client) -> None:
    message = error(await client.call_tool("get_task_run", {}))
    assert message.splitlines() == ["run_id: required.", "Nothing was done."]


@pytest.mark.parametrize(
    ("tool", "arguments", "first"),
    [
        ("trigger_task_run", {"task": "t", "data_start_time": "last tuesday"}, "data_start_time: "),
        (
            "create_evaluation_task",
            {"name": "x", "task_type": "CODE_EVALUATION", "evaluators": []},
            "evaluators: ",
        ),
        ("wait_for_task_run", {"run_id": "r", "timeout_seconds": "soon"}, "timeout_seconds: "),
        ("update_task", {"task": "t", "clear": ["everything"]}, "clear: must be one of"),
        ("trigger_task_run", {"task": "t", "wait": "yes"}, "wait: must be true or false"),
    ],
)
async def test_refusals_speak_the_tools_words(
    client: Client, tool: str, arguments: dict[str, Any], first: str
) -> None:
    message = error(await client.call_tool(tool, arguments))
    assert message.startswith(first), message
    assert len(message.splitlines()) == 2
    plain(message)


async def test_a_refused_value_carries_the_tools_hint_of_what_to_do_instead(
    client: Client,
) -> None:
    arguments = {
        "name": "x",
        "task_type": "run_experiment",
        "space": SPACE,
        "project": "chatbot",
        "evaluators": [{"evaluator": "relevance"}],
    }
    message = error(await client.call_tool("create_evaluation_task", arguments))
    assert message.splitlines() == [
        "task_type: must be one of TEMPLATE_EVALUATION, CODE_EVALUATION (any case), not"
        " 'run_experiment'. RUN_EXPERIMENT tasks are created with create_run_experiment_task.",
        "Nothing was done.",
    ]

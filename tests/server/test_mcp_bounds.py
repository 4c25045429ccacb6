"""Bounded inputs: every string a tool takes has a bound, checked before anything is sent.

The spec's bounds where it gives one (name filters and experiment names 255, a trace filter
2,000), ours where it does not (a task's name 255, a name or ID to look up 255); names are one
line.  A refusal quotes a short prefix of what it was given, never the whole of it, and
numbers must be JSON numbers, as booleans must be JSON booleans.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from typing import Any

import pytest
from mcp import Client

from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.server.calls import ServiceHandle
from ax_tasks_mcp.server.tools import TasksMCPServer
from tests.server.conftest import Connect
from tests.server.mcp_helpers import SPACE, error, ok

pytestmark = pytest.mark.anyio

MEGABYTE = "a" * 1_048_576
EVALUATOR = {"evaluator": "relevance"}


def _untouchable() -> Any:
    raise AssertionError("a refused call must not even build the service")


@functools.cache
def _server_without_a_service() -> TasksMCPServer:
    return build_server(ServiceHandle(_untouchable))


@pytest.fixture
async def refusing(connect: Connect) -> AsyncIterator[Client]:
    """A client of a server whose service may not be used: whatever it refuses was refused
    before anything could be read or sent."""
    async with connect(_server_without_a_service()) as client:
        yield client


def _create(**changes: Any) -> dict[str, Any]:
    arguments = {
        "space": SPACE,
        "name": "bounded",
        "task_type": "TEMPLATE_EVALUATION",
        "project": "chatbot",
        "evaluators": [EVALUATOR],
    }
    return {**arguments, **changes}


REFUSED = [
    ("get_task", {"space": SPACE, "task": MEGABYTE}, "task may be at most 255"),
    ("list_tasks", {"space": SPACE, "name": MEGABYTE}, "name may be at most 255"),
    ("list_evaluators", {"space": SPACE, "name": "b" * 256}, "name may be at most 255"),
    ("get_task_run", {"run_id": MEGABYTE}, "run_id may be at most 255"),
    ("list_task_runs", {"task": "x", "space": "s" * 300}, "space may be at most 255"),
    ("list_tasks", {"space": SPACE, "cursor": "c" * 2000}, "cursor may be at most 1,024"),
    ("create_evaluation_task", _create(name=MEGABYTE), "name may be at most 255"),
    ("create_evaluation_task", _create(name="nightly\x00check"), "'\\x00' at position 7"),
    ("create_evaluation_task", _create(name="two\nlines"), "without control characters"),
    ("create_evaluation_task", _create(query_filter="q" * 2001), "query_filter may be at most"),
    (
        "create_evaluation_task",
        _create(evaluators=[{**EVALUATOR, "column_mappings": {"input": "p" * 1025}}]),
        "evaluators[0].column_mappings.input may be at most 1,024",
    ),
    (
        "create_evaluation_task",
        _create(project=None, dataset="qa-golden", experiment_ids=["e" * 300]),
        "experiment_ids[0] may be at most 255",
    ),
    ("update_task", {"space": SPACE, "task": "chatbot-hallucination", "name": "a\tb"}, "tab"),
    # a name or ID to look up is one line too
    ("list_tasks", {"space": "demo\nx"}, "space must be one line"),
    ("get_task", {"space": SPACE, "task": "a\tb"}, "task must be one line"),
    ("list_tasks", {"space": SPACE, "name": "a\x00b"}, "name must be one line"),
    # bytes that were not UTF-8, as a client may pass them on: never an internal error
    ("get_task", {"space": SPACE, "task": "a\udcffb"}, "task must be Unicode text"),
    ("list_tasks", {"space": SPACE, "name": "x\udce9"}, "name must be Unicode text"),
    (
        "create_evaluation_task",
        _create(evaluators=[{"evaluator": "rele\u2028vance"}]),
        "evaluators[0].evaluator must be one line",
    ),
    (
        "trigger_task_run",
        {"space": SPACE, "task": "qa-generation", "experiment_name": "e" * 256},
        "experiment_name may be at most 255",
    ),
]


@pytest.mark.parametrize(("tool", "arguments", "expected"), REFUSED)
async def test_an_oversized_or_broken_string_is_refused_before_anything_is_sent(
    refusing: Client, tool: str, arguments: dict[str, Any], expected: str
) -> None:
    arguments = {key: value for key, value in arguments.items() if value is not None}
    message = error(await refusing.call_tool(tool, arguments))
    assert expected.replace("tab", "'\\t'") in message
    assert message.endswith("Nothing was done.")
    assert len(message) < 400  # a short prefix of the value, never all of it


async def test_a_refused_name_is_not_stored(client: Client) -> None:
    error(await client.call_tool("create_evaluation_task", _create(name="x" * 256)))
    listed = ok(await client.call_tool("list_tasks", {"space": SPACE, "limit": 100}))
    assert all(len(task["name"]) <= 255 for task in listed["tasks"])


@pytest.mark.parametrize(
    ("tool", "arguments", "expected"),
    [
        ("list_tasks", {"space": SPACE, "limit": "5"}, "limit: must be a whole JSON number"),
        ("list_tasks", {"space": SPACE, "limit": 5.0}, "limit: must be a whole JSON number"),
        (
            "update_task",
            {"space": SPACE, "task": "chatbot-hallucination", "sampling_rate": "0.3"},
            "sampling_rate: must be a JSON number, not the text '0.3'",
        ),
        (
            "wait_for_task_run",
            {"run_id": "VGFza1J1bjoxOkxsbWk=", "timeout_seconds": "10"},
            "timeout_seconds: must be a JSON number",
        ),
        ("list_task_runs", {"task": "t", "limit": True}, "limit: must be a whole JSON number"),
    ],
)
async def test_numbers_must_be_json_numbers(
    refusing: Client, tool: str, arguments: dict[str, Any], expected: str
) -> None:
    assert expected in error(await refusing.call_tool(tool, arguments))


async def test_a_rate_given_as_text_changes_nothing(client: Client) -> None:
    task = {"space": SPACE, "task": "chatbot-hallucination"}
    before = ok(await client.call_tool("get_task", task))["sampling_rate"]
    error(await client.call_tool("update_task", {**task, "sampling_rate": "0.3"}))
    assert ok(await client.call_tool("get_task", task))["sampling_rate"] == before

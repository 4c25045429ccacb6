"""A tool call is an OpenInference TOOL span, the service's spans inside it (in-process; the
SDK's own request span and a client's trace context are checked end to end in
tests/telemetry/test_traces_e2e.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from mcp import Client
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from ax_tasks_mcp.server.tool_spans import MAX_VALUE, _value
from tests.server.mcp_helpers import SPACE, error, ok
from tests.support.spans import recorded, recording

pytestmark = pytest.mark.anyio


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    with recording() as spans:
        yield spans


async def test_a_tool_call_is_a_tool_span_with_its_input_and_output(
    client: Client, exporter: InMemorySpanExporter
) -> None:
    arguments = {"space": SPACE, "name": "chatbot"}
    answer = ok(await client.call_tool("list_tasks", arguments))
    trace = recorded(exporter)
    tool = trace.one("list_tasks")
    assert tool.attributes["openinference.span.kind"] == "TOOL"
    assert tool.attributes["tool.name"] == "list_tasks"
    assert json.loads(tool.attributes["input.value"]) == arguments
    assert tool.attributes["input.mime_type"] == "application/json"
    assert json.loads(tool.attributes["output.value"]) == answer
    assert tool.attributes["output.mime_type"] == "application/json"
    assert tool.status == "UNSET"
    tree = trace.tree(tool)
    assert tree[:4] == ["list_tasks", "  resolve space", "    GET /v2/spaces", "  GET /v2/tasks"]
    assert len(tree) == len(trace.spans)  # everything the call did is inside its span


async def test_a_refused_call_is_an_error_span_in_the_model_s_words(
    client: Client, exporter: InMemorySpanExporter
) -> None:
    message = error(await client.call_tool("get_task", {"task": "no-such-task", "space": SPACE}))
    tool = recorded(exporter).one("get_task")
    assert tool.status == "ERROR"
    assert tool.attributes["error.type"] == "ShownError"
    assert tool.status_message == message
    assert "output.value" not in tool.attributes


async def test_a_wait_is_a_wait_span_inside_the_tool_span(
    client: Client, exporter: InMemorySpanExporter
) -> None:
    run = ok(
        await client.call_tool(
            "trigger_task_run", {"task": "chatbot-hallucination", "space": SPACE}
        )
    )
    ok(await client.call_tool("wait_for_task_run", {"run_id": run["id"], "timeout_seconds": 600}))
    trace = recorded(exporter)
    tool = trace.one("wait_for_task_run")
    wait = trace.one("wait task_run")
    assert trace.parent(wait) == tool
    assert wait.attributes["ax_tasks.run.status"] == "COMPLETED"
    polls = [name for name, _ in wait.events]
    assert len(polls) >= 2
    assert set(polls) == {"poll"}
    gets = trace.named("GET /v2/task-runs/{run_id}")
    assert gets
    assert all(trace.parent(get) == wait for get in gets)


def test_a_long_value_is_cut_with_a_marker_and_secrets_are_masked() -> None:
    text = _value(
        {"key": "sk-live-0123456789abcdef", "big": "x" * (2 * MAX_VALUE)},
        ["sk-live-0123456789abcdef"],
    )
    assert "sk-live-0123456789abcdef" not in text
    assert len(text) < MAX_VALUE + 40
    assert text.endswith("more characters]")

"""Traces end to end: both faces export to a local OTLP/HTTP receiver, as they would to Phoenix
or a collector.

A served sandbox that accepts one API key; ``ax-tasks trigger-run --wait`` against it, and an
``ax-tasks-mcp`` process called by a client that sends its own trace context.  Both processes
are configured only by OpenTelemetry's variables.  The receiver decodes what arrives; the tests
check the trees, the parent links, the OpenInference and HTTP attributes, and that the key is
in no span (nor anywhere in the exported bytes).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import anyio
import pytest
from mcp import Client, StdioServerParameters

from tests.support.otlp_receiver import OtlpReceiver
from tests.support.served_sandbox import ServedSandbox, ax_tasks, cli_env
from tests.support.spans import Span, Trace

pytestmark = pytest.mark.e2e

KEY = "ak-otel-e2e-7c1f0a9d3b52"
CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CLIENT_SPAN = "00f067aa0ba902b7"
TRIGGER = ["trigger-run", "chatbot-hallucination", "--space", "demo", "--wait", "-o", "json"]


@dataclass
class Exported:
    receiver: OtlpReceiver
    run: dict[str, object]
    tool_answer: str

    def of(self, service: str) -> Trace:
        return self.receiver.trace(lambda span: span.resource.get("service.name") == service)


def _tracing_env(receiver: OtlpReceiver, tmp: Path) -> dict[str, str]:
    return cli_env(
        tmp,
        ARIZE_API_KEY=KEY,
        OTEL_EXPORTER_OTLP_ENDPOINT=receiver.endpoint,
        OTEL_BSP_SCHEDULE_DELAY="50",
    )


async def _call_tool(sandbox: ServedSandbox, env: dict[str, str], tmp: Path) -> str:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "ax_tasks_mcp", "--base-url", sandbox.url, "--space", "demo"],
        env=env,
        cwd=tmp,
    )
    meta = {"traceparent": f"00-{CLIENT_TRACE}-{CLIENT_SPAN}-01"}
    with anyio.fail_after(60):
        async with Client(params) as client:
            result = await client.call_tool(
                "get_task", {"task": "chatbot-hallucination"}, meta=meta
            )
    assert not result.is_error, result
    return json.dumps(result.structured_content)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Exported]:
    tmp = tmp_path_factory.mktemp("traces")
    with (
        OtlpReceiver() as receiver,
        ServedSandbox(tmp / "sandbox.db", tmp).start(
            "--api-key", KEY, "--speed", "100000"
        ) as sandbox,
    ):
        env = _tracing_env(receiver, tmp)
        done = subprocess.run(
            [*ax_tasks(), "--base-url", sandbox.url, *TRIGGER],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""  # tracing says nothing when it works
        answer = anyio.run(_call_tool, sandbox, env, tmp)
        yield Exported(receiver, json.loads(done.stdout), answer)


def _path(trace: Trace, span: Span) -> list[str]:
    """The names from the root down to ``span``."""
    names = [span.name]
    while (parent := trace.parent(span)) is not None:
        names.insert(0, parent.name)
        span = parent
    return names


# -- the CLI -------------------------------------------------------------------------------


def test_a_waited_trigger_is_one_trace_rooted_in_its_command(exported: Exported) -> None:
    trace = exported.of("ax-tasks")
    command = trace.one("ax-tasks trigger-run")
    assert trace.parent(command) is None
    assert {span.trace_id for span in trace.spans} == {command.trace_id}
    assert command.attributes["process.exit.code"] == 0
    assert trace.tree() == [
        "ax-tasks trigger-run",
        "  write trigger_task_run",
        "    resolve space",
        "      GET /v2/spaces",
        "    resolve task",
        "      GET /v2/tasks",
        "    POST /v2/tasks/{task_id}/trigger",
        "  wait task_run",
        "    GET /v2/task-runs/{run_id}",
    ]


def test_the_cli_s_http_spans_follow_the_http_conventions(exported: Exported) -> None:
    trace = exported.of("ax-tasks")
    post = trace.one("POST /v2/tasks/{task_id}/trigger")
    port = int(str(post.attributes["url.full"]).split(":")[2].split("/")[0])
    assert post.kind == "CLIENT"
    assert post.attributes == {
        "http.request.method": "POST",
        "url.full": post.attributes["url.full"],
        "url.template": "/v2/tasks/{task_id}/trigger",
        "server.address": "127.0.0.1",
        "server.port": port,
        "http.response.status_code": 201,
        "network.protocol.version": "1.1",
    }
    assert str(post.attributes["url.full"]).endswith("/trigger")


def test_the_wait_records_each_poll_and_the_run_it_waited_for(exported: Exported) -> None:
    wait = exported.of("ax-tasks").one("wait task_run")
    assert wait.attributes["ax_tasks.run.id"] == exported.run["id"]
    assert wait.attributes["ax_tasks.run.status"] == "COMPLETED"
    polls = [attrs["ax_tasks.run.status"] for name, attrs in wait.events if name == "poll"]
    assert polls[-1] == "COMPLETED"
    assert len(polls) == wait.attributes["ax_tasks.wait.polls"]


# -- the MCP server --------------------------------------------------------------------------


def test_a_tool_call_continues_the_client_s_trace(exported: Exported) -> None:
    trace = exported.of("ax-tasks-mcp")
    request = trace.one("tools/call get_task")  # the SDK's own span
    assert request.kind == "SERVER"
    assert (request.trace_id, request.parent_id) == (CLIENT_TRACE, CLIENT_SPAN)
    tool = trace.one("get_task")
    assert trace.parent(tool) == request
    get = trace.one("GET /v2/tasks")
    assert _path(trace, get) == ["tools/call get_task", "get_task", "resolve task", "GET /v2/tasks"]
    # The call, and only the call, is in the client's trace (tools/list has a trace of its own).
    inside = {span.span_id for span in trace.subtree(request)}
    assert {span.span_id for span in trace.spans if span.trace_id == CLIENT_TRACE} == inside


def test_the_tool_span_is_an_openinference_tool(exported: Exported) -> None:
    tool = exported.of("ax-tasks-mcp").one("get_task")
    assert tool.attributes["openinference.span.kind"] == "TOOL"
    assert tool.attributes["tool.name"] == "get_task"
    assert json.loads(str(tool.attributes["input.value"])) == {"task": "chatbot-hallucination"}
    assert tool.attributes["input.mime_type"] == "application/json"
    assert json.loads(str(tool.attributes["output.value"])) == json.loads(exported.tool_answer)
    assert tool.attributes["output.mime_type"] == "application/json"


# -- secrets -----------------------------------------------------------------------------------


def test_the_key_is_in_no_span_and_nowhere_in_what_was_exported(exported: Exported) -> None:
    trace = exported.receiver.trace()
    assert len(trace.spans) >= 12
    assert trace.holding(KEY) == []
    assert trace.holding("Bearer") == []
    assert [
        span.name for span in trace.spans if "authorization" in str(span.attributes).lower()
    ] == []
    for body in exported.receiver.bodies:
        assert KEY.encode() not in body
        assert b"Bearer" not in body

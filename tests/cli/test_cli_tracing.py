"""A command is one span, ``ax-tasks <command>``, with its exit code and the service's spans
inside it; it continues a trace handed down in TRACEPARENT.  Spans are kept in memory."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import typer
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from ax_tasks_cli.main import app
from ax_tasks_cli.tracing import command_name, traced_command
from ax_tasks_mcp import telemetry
from tests.support.spans import recorded, recording

SB = "--sandbox"
GROUP = typer.main.get_group(app)
ASK = {"OTEL_TRACES_EXPORTER": "console"}  # asks for traces; the test's recorder takes them


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    with recording() as spans:
        yield spans


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["--sandbox", "trigger-run", "x", "--wait"], "trigger-run"),
        (["--profile", "work", "list", "-s", "demo"], "list"),
        (["--base-url=http://127.0.0.1:1", "get", "x"], "get"),
        (["sandbox", "info"], "sandbox info"),
        (["sandbox", "--help"], "sandbox"),
        (["--help"], ""),
        (["lisst"], ""),
    ],
)
def test_the_command_is_found_among_the_global_options(args: list[str], name: str) -> None:
    assert command_name(GROUP, args) == name


def test_a_waited_trigger_is_one_command_span_over_the_service_s(
    ax, exporter: InMemorySpanExporter
) -> None:
    result = ax(SB, "trigger-run", "chatbot-hallucination", "-s", "demo", "--wait", env=ASK)
    assert result.exit_code == 0, result.stderr
    trace = recorded(exporter)
    command = trace.one("ax-tasks trigger-run")
    assert trace.parent(command) is None
    assert [span.name for span in trace.children(command)] == [
        "write trigger_task_run",
        "wait task_run",
    ]
    assert command.attributes["process.exit.code"] == 0
    assert command.attributes["process.executable.name"] == "ax-tasks"
    assert command.attributes["ax_tasks.command"] == "trigger-run"
    assert isinstance(command.attributes["process.pid"], int)
    assert "error.type" not in command.attributes
    assert not telemetry.active()  # the command stopped tracing when it ended


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([SB, "get", "no-such-task", "-s", "demo"], 4),
        ([SB, "get", "chatbot-hallucination", "--colour"], 2),
    ],
)
def test_a_failed_command_carries_its_exit_code_as_the_error(
    ax, exporter: InMemorySpanExporter, args: list[str], code: int
) -> None:
    result = ax(*args, env=ASK)
    assert result.exit_code == code
    command = recorded(exporter).one("ax-tasks get")
    assert command.attributes["process.exit.code"] == code
    assert command.attributes["error.type"] == str(code)
    assert command.status == "ERROR"


def test_a_trace_handed_down_in_traceparent_is_continued(
    ax, exporter: InMemorySpanExporter
) -> None:
    trace_id, parent_id = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
    env = {**ASK, "TRACEPARENT": f"00-{trace_id}-{parent_id}-01"}
    assert ax(SB, "spaces", env=env).exit_code == 0
    command = recorded(exporter).one("ax-tasks spaces")
    assert (command.trace_id, command.parent_id) == (trace_id, parent_id)


def test_a_malformed_traceparent_starts_a_trace_of_its_own(
    ax, exporter: InMemorySpanExporter
) -> None:
    assert ax(SB, "spaces", env={**ASK, "TRACEPARENT": "not-a-trace"}).exit_code == 0
    assert recorded(exporter).one("ax-tasks spaces").parent_id is None


@pytest.mark.parametrize(
    "args",
    [["--sandbox", "mcp"], ["sandbox", "serve"], ["--help"], ["list", "-h"], ["--version"], []],
)
def test_serving_and_help_get_no_command_span(
    exporter: InMemorySpanExporter, args: list[str]
) -> None:
    assert traced_command(GROUP, args, lambda: 0) == 0
    assert recorded(exporter).spans == []

"""Logging: notifications/message at the level the client chose (logging/setLevel on
2025-11-25, the request's logLevel opt-in on 2026-07-28), secrets redacted; stderr lines plain,
one per record, when stderr is not a terminal."""

from __future__ import annotations

import io
import logging
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp_types import LoggingMessageNotificationParams

from ax_tasks_mcp import TasksService
from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.server.calls import ServiceHandle
from ax_tasks_mcp.server.logs import CLIENT_LOGGERS, PlainFormatter, configure_stderr

pytestmark = pytest.mark.anyio
SERVER = [sys.executable, "-m", "ax_tasks_mcp"]

# The client warns that logging is deprecated from 2026-07-28 on.
deprecated_logging = pytest.mark.filterwarnings("ignore:.*logging.*deprecated")


@pytest.fixture(autouse=True)
def debug_loggers() -> Iterator[None]:
    """What ax-tasks-mcp does at start: our loggers pass debug records on (stderr filters)."""
    before = {name: logging.getLogger(name).level for name in CLIENT_LOGGERS}
    for name in CLIENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield
    for name, level in before.items():
        logging.getLogger(name).setLevel(level)


class Logs:
    def __init__(self) -> None:
        self.received: list[LoggingMessageNotificationParams] = []

    async def __call__(self, params: LoggingMessageNotificationParams) -> None:
        self.received.append(params)

    def levels(self) -> set[str]:
        return {p.level for p in self.received}

    def text(self) -> str:
        return "\n".join(str(p.data) for p in self.received)


@deprecated_logging
async def test_legacy_sends_what_the_level_set_allows(service: TasksService) -> None:
    logs = Logs()
    async with Client(build_server(service), mode="legacy", logging_callback=logs) as client:
        await client.call_tool("list_spaces", {})
        assert logs.received == []  # warnings and worse until a level is set
        await client.set_logging_level("debug")
        await client.call_tool("list_spaces", {})
        assert logs.levels() == {"debug"}
        assert "GET /v2/spaces" in logs.text()
        assert "tools/call list_spaces served in" in logs.text()
        assert {p.logger for p in logs.received} == {"ax_tasks", "ax_tasks_mcp.mcp"}
        logs.received.clear()
        await client.set_logging_level("warning")
        await client.call_tool("list_spaces", {})
        assert logs.received == []


@deprecated_logging
async def test_modern_sends_only_to_requests_that_opt_in(service: TasksService) -> None:
    server = build_server(service)
    quiet = Logs()
    async with Client(server, mode="2026-07-28", logging_callback=quiet) as client:
        await client.call_tool("list_spaces", {})
    assert quiet.received == []
    chatty = Logs()
    async with Client(
        server, mode="2026-07-28", logging_callback=chatty, log_level="debug"
    ) as client:
        await client.read_resource("arize-task://demo/chatbot-hallucination")
    assert "GET /v2/tasks" in chatty.text()
    assert "resources/read arize-task://demo/chatbot-hallucination served in" in chatty.text()


@deprecated_logging
async def test_secrets_are_redacted_before_they_leave(
    service: TasksService, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "ak-0123456789abcdef0123"
    original = service.list_lookup

    def leaky(kind: str, **kwargs: Any) -> Any:
        logging.getLogger("ax_tasks").warning("calling with key %s", secret)
        return original(kind, **kwargs)

    monkeypatch.setattr(service, "list_lookup", leaky)
    logs = Logs()
    server = build_server(ServiceHandle.of(service, secrets=[secret]))
    async with Client(server, mode="legacy", logging_callback=logs) as client:
        await client.call_tool("list_spaces", {})
    assert "calling with key" in logs.text()
    assert secret not in logs.text()


def record(message: str, exc: bool = False) -> logging.LogRecord:
    info = None
    if exc:
        try:
            raise ValueError("first line\nsecond line")
        except ValueError:
            info = sys.exc_info()
    return logging.LogRecord("ax_tasks", logging.ERROR, __file__, 1, message, None, info)


def test_one_line_per_record_even_with_a_traceback() -> None:
    line = PlainFormatter("%(levelname)s %(message)s").format(record("a\nb", exc=True))
    assert "\n" not in line
    assert line.startswith("ERROR a\\nb\\nTraceback")
    assert "first line\\nsecond line" in line


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("stream_type", "lines"), [(io.StringIO, 1), (Terminal, 2)])
def test_stderr_is_plain_and_keeps_its_level(
    stream_type: type[io.StringIO], lines: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", root.level)
    stream = stream_type()
    handler = configure_stderr("WARNING", stream)
    try:
        logging.getLogger("ax_tasks").debug("not on stderr")
        logging.getLogger("ax_tasks").warning("on stderr\nstill the same record")
    finally:
        root.removeHandler(handler)
    written = stream.getvalue()
    assert "not on stderr" not in written
    assert "WARNING ax_tasks: on stderr" in written
    assert "\x1b[" not in written  # no colours
    assert written.count("\n") == lines


def test_stderr_redacts_the_secrets_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    monkeypatch.setattr(root, "level", root.level)
    stream = io.StringIO()
    secret = "axk-0123456789-abcdef"
    handler = configure_stderr("DEBUG", stream, secrets=[secret, None])
    try:
        logging.getLogger("httpx").debug("GET /v2/tasks?name=%s 200", secret)
        logging.getLogger("ax_tasks").warning("Authorization: Bearer tok-0123456789")
    finally:
        root.removeHandler(handler)
    written = stream.getvalue()
    assert "GET /v2/tasks?name=*** 200" in written
    assert secret not in written
    assert "tok-0123456789" not in written


@pytest.mark.e2e
async def test_the_server_process_writes_one_plain_line_per_record(tmp_path: Path) -> None:
    log = tmp_path / "stderr.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARIZE_", "AX_TASKS_"))}
    env.update(
        AX_TASKS_SANDBOX_DB=str(tmp_path / "sandbox.db"),
        AX_TASKS_CONFIG_DIR=str(tmp_path / "config"),
        HOME=str(tmp_path),
        STDERR_LOG=str(log),
    )
    params = StdioServerParameters(
        command="/bin/sh",
        args=["-c", 'exec "$0" "$@" 2>"$STDERR_LOG"', *SERVER, "--sandbox", "--log-level", "DEBUG"],
        env=env,
        cwd=tmp_path,
    )
    with anyio.fail_after(60):
        async with Client(params, mode="legacy") as client:
            await client.call_tool("get_task", {"space": "demo", "task": "chatbot-hallucination"})
    lines = log.read_text().splitlines()
    assert any("GET /v2/tasks" in line for line in lines)
    record = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR) \S+: ")
    assert [line for line in lines if not record.match(line)] == []  # nothing wrapped
    assert not any("\x1b[" in line for line in lines)

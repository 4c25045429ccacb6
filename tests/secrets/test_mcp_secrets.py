"""The API key never reaches the model: MCP tool results, tool errors and server logs.

In-process, the server is wired the way ``ax-tasks-mcp`` wires it (settings from the
environment, the key registered as a secret); one test also runs the real ``ax-tasks-mcp``
over stdio with DEBUG logging and reads its stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters

from ax_tasks_mcp.server import app as mcp_server
from tests.secrets.conftest import SECRET, Served

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def key_in_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("ARIZE_", "AX_TASKS_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ARIZE_API_KEY", SECRET)
    monkeypatch.setenv("AX_TASKS_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path))


@pytest.fixture
def records(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


@contextmanager
def _server_for(base_url: str) -> Iterator[Any]:
    """What ``ax-tasks-mcp --base-url URL`` builds, with the key from ARIZE_API_KEY."""
    args = argparse.Namespace(sandbox=False, profile=None, base_url=base_url, space=None)
    handle = mcp_server._handle(args)
    try:
        yield mcp_server.build_server(handle)
    finally:
        handle.close()


def _text(result: Any) -> str:
    parts = [getattr(item, "text", "") for item in result.content]
    if result.structured_content is not None:
        parts.append(json.dumps(result.structured_content, default=str))
    return "\n".join(parts)


def _calls(served: Served) -> list[tuple[str, dict[str, Any], bool]]:
    """(tool, arguments, expected to fail)."""
    task = served.fresh_task()
    running = served.running_run(served.fresh_task()["id"])
    finished_task = served.api("GET", "/v2/tasks?name=chatbot-hallucination")["tasks"][0]
    finished = served.api("GET", f"/v2/tasks/{finished_task['id']}/runs?status=COMPLETED")
    finished_run = finished["task_runs"][0]["id"]
    evaluators = [{"evaluator": "hallucination"}]
    return [
        ("list_tasks", {"space": "demo"}, False),
        ("get_task", {"task": task["id"]}, False),
        ("list_spaces", {}, False),
        ("list_task_runs", {"task": "chatbot-hallucination", "space": "demo"}, False),
        (
            "create_evaluation_task",
            {
                "name": served.unique("mcp-created"),
                "task_type": "template_evaluation",
                "space": "demo",
                "project": "chatbot",
                "evaluators": evaluators,
            },
            False,
        ),
        (
            "trigger_task_run",
            {
                "task": task["id"],
                "data_start_time": "2026-01-01T00:00:00Z",
                "data_end_time": "2026-01-02T00:00:00Z",
            },
            False,
        ),
        ("get_task", {"task": "no-such-task", "space": "demo"}, True),
        ("get_task", {"task": SECRET, "space": "demo"}, True),
        ("list_tasks", {"space": "nowhere"}, True),
        ("list_task_runs", {"task": task["id"], "status": "sleeping"}, True),
        (
            "create_evaluation_task",
            {
                "name": served.unique("mcp-bad"),
                "task_type": "template_evaluation",
                "space": "demo",
                "project": "chatbot",
                "evaluators": [{"nonsense": 1}],
            },
            True,
        ),
        ("update_task", {"task": task["id"], "run_configuration": {"x": 1}}, True),
        ("trigger_task_run", {"task": served.fresh_task()["id"]}, True),
        ("get_task_run", {"run_id": "not-a-run"}, True),
        ("get_task_run", {"run_id": "VGFza1J1bjo5OTk5OTpxUndY"}, True),
        (
            "cancel_task_run",
            {"run_id": finished_run, "confirm": True},
            True,
        ),
        ("delete_task", {"task": task["id"]}, True),
        # a wait that runs out of time is an answer (the run, timed_out: true), not an error
        ("wait_for_task_run", {"run_id": running, "timeout_seconds": 0.2}, False),
    ]


async def test_tool_results_and_errors_never_contain_the_key(
    served: Served, key_in_environment: None, records: pytest.LogCaptureFixture
) -> None:
    seen = len(served.proxy.authorizations)
    with _server_for(served.url) as server:
        async with Client(server) as client:
            for tool, arguments, fails in _calls(served):
                result = await client.call_tool(tool, arguments)
                text = _text(result)
                assert result.is_error == fails, f"{tool}({arguments}): {text[:500]}"
                assert text.strip()
                assert SECRET not in text, f"{tool}({arguments}) shows the key"
    assert f"Bearer {SECRET}" in served.proxy.authorizations[seen:]
    for record in records.records:
        message = record.getMessage() + (record.exc_text or "")
        if SECRET in message:
            # Only a lookup URL carrying a name the caller typed may hold it (httpx's own log).
            assert record.name == "httpx", message
            assert f"name={SECRET}" in message, message


async def test_an_unreachable_server_gives_an_error_without_the_key(
    key_in_environment: None,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with _server_for(f"http://127.0.0.1:{port}") as server:
        async with Client(server) as client:
            result = await client.call_tool("list_tasks", {"space": "demo"})
    assert result.is_error
    assert "Could not connect" in _text(result)
    assert SECRET not in _text(result)


@pytest.mark.e2e
async def test_the_real_server_over_stdio_keeps_the_key_out_of_results_and_logs(
    served: Served, tmp_path: Path
) -> None:
    log = tmp_path / "mcp-stderr.log"
    executable = Path(sys.executable).parent / "ax-tasks-mcp"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARIZE_", "AX_TASKS_"))}
    env.update(
        ARIZE_API_KEY=SECRET,
        AX_TASKS_CONFIG_DIR=str(tmp_path / "config"),
        HOME=str(tmp_path),
        MCP_STDERR_LOG=str(log),
    )
    parameters = StdioServerParameters(
        command="/bin/sh",
        args=[
            "-c",
            'exec "$0" "$@" 2>"$MCP_STDERR_LOG"',
            str(executable),
            "--base-url",
            served.url,
            "--log-level",
            "DEBUG",
        ],
        env=env,
    )
    texts = []
    calls: list[tuple[str, dict[str, Any]]] = [
        ("list_tasks", {"space": "demo", "limit": 2}),
        ("get_task", {"task": "no-such-task", "space": "demo"}),
        ("get_task", {"task": SECRET, "space": "demo"}),
        ("get_task_run", {"run_id": "VGFza1J1bjo5OTk5OTpxUndY"}),
    ]
    async with Client(parameters) as client:
        for tool, arguments in calls:
            texts.append(_text(await client.call_tool(tool, arguments)))
    assert all(texts)
    assert not any(SECRET in text for text in texts)
    logged = log.read_text(errors="replace")
    assert logged.strip(), "DEBUG logging wrote nothing"
    assert SECRET not in logged

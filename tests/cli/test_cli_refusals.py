"""Issue 13, defects 1 and 2: a refused command sends nothing and changes nothing; a failure
after a write says what landed, with its ID, and exits 8.

Each test counts the requests that reached the sandbox and the rows in its tables.
"""

from __future__ import annotations

import errno
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from ax_tasks_mcp.sandbox.embedded import embedded_transport
from ax_tasks_mcp.service.connect import SANDBOX_BASE_URL, TasksService
from ax_tasks_mcp.service.settings import Settings
from cli import exitcodes

SB = "--sandbox"
RUN_TASK = "checkout-nightly-generation"
EVAL_TASK = "chatbot-hallucination"


class Counting(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.requests: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def counted(ax, isolated_env: Path) -> tuple[Callable[..., Any], Counting]:
    """(factory for ax(service_factory=...), the counting transport) over the test's sandbox."""
    ax(SB, "sandbox", "info", "-o", "json")  # seed the database first
    transport = Counting(embedded_transport(isolated_env / "sandbox.db", clock=ax.time.now))
    settings = Settings(api_key="sandbox", base_url=SANDBOX_BASE_URL)

    def factory(runtime: Any) -> TasksService:
        return TasksService(
            settings, transport=transport, clock=ax.time.monotonic, sleep=ax.time.sleep
        )

    return factory, transport


def rows(isolated_env: Path) -> dict[str, int]:
    with sqlite3.connect(isolated_env / "sandbox.db") as conn:
        return {
            "tasks": conn.execute("SELECT COUNT(*) FROM tasks").fetchone()[0],
            "task_runs": conn.execute("SELECT COUNT(*) FROM task_runs").fetchone()[0],
            "experiments": conn.execute("SELECT COUNT(*) FROM experiments").fetchone()[0],
        }


def _writes(transport: Counting) -> list[str]:
    return [r for r in transport.requests if not r.startswith("GET")]


@pytest.mark.parametrize(
    "bad",
    [
        ["--timeout", "0"],
        ["--timeout", "-5"],
        ["--poll-interval", "0"],
        ["--poll-interval", "-1"],
        ["--timeout", "nan"],
    ],
)
def test_a_bad_wait_setting_refuses_the_trigger_before_it_is_sent(
    ax, counted, isolated_env: Path, bad: list[str]
) -> None:
    factory, transport = counted
    before = rows(isolated_env)
    args = [RUN_TASK, "-s", "production-llm", "--experiment-name", "to-2", "--wait", *bad]
    result = ax("trigger-run", *args, service_factory=factory)
    assert result.exit_code == exitcodes.USAGE, result.stderr
    assert bad[0] in result.stderr
    assert transport.requests == []
    assert rows(isolated_env) == before


@pytest.mark.parametrize(
    "command",
    [
        [
            "create-evaluation",
            "-n",
            "x",
            "--task-type",
            "template_evaluation",
            "-s",
            "demo",
            "--project",
            "chatbot",
            "--evaluators",
            '[{"evaluator": "relevance"}]',
        ],
        ["trigger-run", EVAL_TASK, "-s", "demo"],
        ["delete", EVAL_TASK, "-s", "demo", "--force"],
    ],
    ids=["create-evaluation", "trigger-run", "delete"],
)
def test_an_output_file_that_cannot_be_written_refuses_the_write(
    ax, counted, isolated_env: Path, command: list[str]
) -> None:
    factory, transport = counted
    before = rows(isolated_env)
    result = ax(*command, "-o", "/nonexistent/dir/out.json", service_factory=factory)
    assert result.exit_code == exitcodes.USAGE
    assert "does not exist" in result.stderr
    assert transport.requests == []
    assert rows(isolated_env) == before


def test_a_failure_after_the_write_names_what_landed_and_exits_8(
    ax, counted, isolated_env: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    factory, transport = counted
    target = tmp_path / "run.json"
    real_open = Path.open

    def full_disk(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == target:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", full_disk)
    result = ax("trigger-run", EVAL_TASK, "-s", "demo", "-o", str(target), service_factory=factory)
    assert result.exit_code == exitcodes.LANDED
    run = json.loads(result.stdout)  # the result, where it could go
    assert f"Triggered run {run['id']}" in result.stderr
    assert "No space left on device" in result.stderr
    assert _writes(transport) == [f"POST /v2/tasks/{run['task_id']}/trigger"]


def test_a_wait_that_fails_after_the_trigger_names_the_run(ax, counted) -> None:
    factory, _ = counted

    def broken(runtime: Any) -> TasksService:
        service = factory(runtime)

        def fail(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("the polling broke")

        service.wait_for_run = fail  # type: ignore[method-assign]
        return service

    result = ax("trigger-run", EVAL_TASK, "-s", "demo", "--wait", service_factory=broken)
    assert result.exit_code == exitcodes.LANDED
    assert "Triggered run " in result.stderr
    assert "the polling broke" in result.stderr

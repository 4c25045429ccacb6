"""The wait line fits the terminal, retries say what they do
within a total bound, and --verbose logs each retry once.  Time is fake throughout."""

from __future__ import annotations

from typing import Any

import httpx

from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.settings import load_settings
from ax_tasks_mcp.service.transport import build_http_client
from tests.support.terminal import drawn

SB = "--sandbox"
KEY = "sk-test-0123456789abcdef"
URL = "http://127.0.0.1:9"


def test_the_wait_line_never_reaches_the_last_column(ax) -> None:
    ax.width = 80
    result = ax(SB, "trigger-run", "chatbot-hallucination", "-s", "demo", "--wait", tty=True)
    assert result.exit_code == 0, result.stderr
    lines = drawn(result.stderr)
    assert len(lines) >= 3
    assert max(len(line.rstrip()) for line in lines) <= 79


def test_the_wait_line_fits_stderr_s_terminal_when_stdout_goes_to_a_file(ax) -> None:
    ax.widths = {"stdout": 100, "stderr": 80}  # stdout redirected: its "width" is a fallback
    result = ax(
        SB,
        "trigger-run",
        "chatbot-hallucination",
        "-s",
        "demo",
        "--wait",
        "-o",
        "json",
        tty={"stderr"},
    )
    assert result.exit_code == 0, result.stderr
    lines = drawn(result.stderr)
    assert lines
    assert max(len(line.rstrip()) for line in lines) <= 79


def test_each_stream_is_measured_on_its_own_terminal(monkeypatch) -> None:
    """stdout in a file, stderr on an 80-column terminal: stderr's width is 80, not the
    fallback a redirected stdout gives."""
    import os
    import sys

    from ax_tasks_cli.runtime import terminal_width

    def size(fd: int) -> os.terminal_size:
        if fd == sys.__stderr__.fileno():
            return os.terminal_size((80, 24))
        raise OSError("not a terminal")

    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(os, "get_terminal_size", size)
    assert terminal_width("stderr") == 80
    assert terminal_width("stdout") == 100
    monkeypatch.setenv("COLUMNS", "132")  # an explicit COLUMNS wins, as for shutil
    assert terminal_width("stderr") == 132


def test_a_wide_terminal_gets_the_whole_line_a_narrow_one_a_shorter_then_a_cut(ax) -> None:
    for width, expected in ((200, "succeeded"), (50, " ok, "), (20, "…")):
        ax.width = width
        result = ax(SB, "trigger-run", "chatbot-hallucination", "-s", "demo", "--wait", tty=True)
        lines = drawn(result.stderr)
        assert lines
        assert max(len(line.rstrip()) for line in lines) <= width - 1
        assert any(expected in line for line in lines), lines


def _silent_server(ax, env: dict[str, str] | None = None) -> tuple[Any, list[float]]:
    """A server that accepts and never answers: each attempt costs its read timeout."""
    attempts: list[float] = []

    def hang(request: httpx.Request) -> httpx.Response:
        read = request.extensions["timeout"]["read"]
        attempts.append(read)
        ax.time.sleep(read)
        raise httpx.ReadTimeout("timed out", request=request)

    def factory(runtime: Any) -> TasksService:
        settings = load_settings(base_url=URL, env={"ARIZE_API_KEY": KEY, **(env or {})})
        client = build_http_client(
            settings,
            transport=httpx.MockTransport(hang),
            sleep=ax.time.sleep,
            clock=ax.time.monotonic,
        )
        return TasksService(settings, http_client=client)

    return factory, attempts


def test_a_server_that_never_answers_costs_well_under_a_minute_and_says_so(ax) -> None:
    factory, attempts = _silent_server(ax)
    start = ax.time.monotonic()
    result = ax("spaces", service_factory=factory, tty=True)
    assert result.exit_code == 1
    assert ax.time.monotonic() - start <= 41  # the default budget of 40 s, not 5 x 30 s
    lines = result.stderr.splitlines()
    assert lines[0].startswith("ax-tasks: GET /v2/spaces: no answer in 30 s; retrying (2/5)")
    assert "the retry budget of 40 s is spent (AX_TASKS_RETRY_BUDGET)" in lines[1]
    assert lines[-1].startswith("ax-tasks: error: ")
    assert attempts[0] == 30
    assert attempts[1] < 10  # the retry got what was left


def test_the_retry_budget_is_configurable(ax) -> None:
    factory, attempts = _silent_server(
        ax, {"AX_TASKS_RETRY_BUDGET": "5", "AX_TASKS_READ_TIMEOUT": "2"}
    )
    start = ax.time.monotonic()
    result = ax("spaces", service_factory=factory, tty=True)
    assert result.exit_code == 1
    assert ax.time.monotonic() - start <= 5.01
    assert "retry budget of 5 s" in result.stderr
    assert len(attempts) >= 3


def test_verbose_logs_each_retry_once(ax) -> None:
    answers = iter(
        [
            httpx.Response(503),
            httpx.Response(200, json={"spaces": [], "pagination": {"has_more": False}}),
        ]
    )

    def factory(runtime: Any) -> TasksService:
        settings = load_settings(base_url=URL, env={"ARIZE_API_KEY": KEY})
        return TasksService.from_settings(
            settings,
            transport=httpx.MockTransport(lambda request: next(answers)),
            sleep=ax.time.sleep,
        )

    result = ax("-v", "spaces", service_factory=factory)
    assert result.exit_code == 0, result.stderr
    retries = [line for line in result.stderr.splitlines() if "503" in line]
    assert len(retries) == 1, result.stderr
    assert "retrying (2/5)" in retries[0]

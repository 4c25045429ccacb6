"""What an operator sets for a deployment: session limits, a shared request-state key, and the
sandbox from the environment; each checked at start, each refusal one line naming its source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client
from mcp_types import ElicitRequestParams, ElicitResult

from ax_tasks_mcp.server import app as entry
from ax_tasks_mcp.server.calls import ServiceHandle
from ax_tasks_mcp.server.sessions import (
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_SESSIONS,
    IDLE_TIMEOUT_ENV,
    MAX_SESSIONS_ENV,
    RETRY_AFTER_SECONDS,
    STATE_KEY_ENV,
)
from ax_tasks_mcp.service.connect import TasksService
from tests.server.mcp_helpers import SPACE, error
from tests.server.test_mcp_e2e import MCP_HEADERS, initialize_body
from tests.support.asgi import lifespan

KEY = "0123456789abcdef" * 3

INITIALIZE = initialize_body()
HEADERS = MCP_HEADERS


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (MAX_SESSIONS_ENV, IDLE_TIMEOUT_ENV, STATE_KEY_ENV, "AX_TASKS_SANDBOX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AX_TASKS_SANDBOX_DB", str(tmp_path / "sandbox.db"))


# -- session limits ----------------------------------------------------------------------------


def test_sessions_are_limited_by_default(would_serve: dict[str, Any]) -> None:
    assert entry.main(["--transport", "http", "--sandbox"]) == 0
    assert would_serve["limits"] == (DEFAULT_MAX_SESSIONS, DEFAULT_IDLE_TIMEOUT)


def test_a_flag_wins_over_the_environment_which_wins_over_the_default(
    would_serve: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MAX_SESSIONS_ENV, "50")
    monkeypatch.setenv(IDLE_TIMEOUT_ENV, "90")
    assert entry.main(["--transport", "http", "--sandbox"]) == 0
    assert would_serve["limits"] == (50, 90.0)
    argv = ["--transport", "http", "--sandbox", "--max-sessions", "7"]
    assert entry.main([*argv, "--session-idle-timeout", "30"]) == 0
    assert would_serve["limits"] == (7, 30.0)


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["--max-sessions", "0"], {}, "--max-sessions must be at least 1, not 0."),
        ([], {MAX_SESSIONS_ENV: "many"}, f"{MAX_SESSIONS_ENV} must be a number, not 'many'."),
        ([], {IDLE_TIMEOUT_ENV: "-5"}, f"{IDLE_TIMEOUT_ENV} must be a positive number"),
        (["--session-idle-timeout", "inf"], {}, "--session-idle-timeout must be a positive"),
        ([], {STATE_KEY_ENV: "short"}, f"{STATE_KEY_ENV} needs keys of at least 32"),
        ([], {"AX_TASKS_SANDBOX": "maybe"}, "AX_TASKS_SANDBOX must be 1, true, yes or on"),
    ],
)
def test_a_setting_that_cannot_be_used_is_refused_at_start(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    env: dict[str, str],
    expected: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert entry.main(["--transport", "http", "--sandbox", *argv]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert "short" not in err or STATE_KEY_ENV not in env  # a key is never shown


def _served_over_http(**options: Any) -> Any:
    server = entry.build_server(ServiceHandle(_unused))
    return entry.http_app(server, **options)


def _unused() -> Any:
    raise AssertionError("the service is not needed here")


@pytest.mark.anyio
async def test_a_full_server_answers_503_with_retry_after(anyio_backend: str) -> None:
    app = _served_over_http(limits=(2, 600.0))
    transport = httpx.ASGITransport(app=app)
    async with (
        lifespan(app),
        httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http,
    ):
        answers = [await http.post("/mcp", json=INITIALIZE, headers=HEADERS) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 503]
    assert int(answers[2].headers["retry-after"]) == RETRY_AFTER_SECONDS
    assert "retry-after" not in answers[0].headers


@pytest.mark.anyio
@pytest.mark.parametrize("version", ["2025-11-25", "2026-07-28"])
@pytest.mark.parametrize(
    "body",
    [
        [INITIALIZE, INITIALIZE],
        {"jsonrpc": "2.0", "id": 3},
        {"jsonrpc": "2.0", "id": 4, "method": "tools/list", "params": "all"},
    ],
)
async def test_a_body_that_is_not_one_message_gets_one_plain_line(
    anyio_backend: str, version: str, body: Any
) -> None:
    app = _served_over_http()
    transport = httpx.ASGITransport(app=app)
    headers = {**HEADERS, "mcp-protocol-version": version}
    async with (
        lifespan(app),
        httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as http,
    ):
        answer = await http.post("/mcp", json=body, headers=headers)
    assert answer.status_code == 400
    message = answer.json()["error"]["message"]
    assert "\n" not in message
    for machinery in ("pydantic", "validation error", "input_value", "https://", "union["):
        assert machinery not in message.lower()


# -- confirmations and the request-state key ---------------------------------------------------


def test_a_shared_state_key_lets_stateless_processes_ask(
    would_serve: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert entry.main(["--transport", "http", "--sandbox", "--stateless"]) == 0
    assert would_serve["server"].asks_users is False
    monkeypatch.setenv(STATE_KEY_ENV, f"{KEY}, {KEY[::-1]}")
    assert entry.main(["--transport", "http", "--sandbox", "--stateless"]) == 0
    assert would_serve["server"].asks_users is True
    assert entry.main(["--transport", "http", "--sandbox"]) == 0
    assert would_serve["server"].asks_users is True


@pytest.mark.anyio
async def test_without_a_shared_key_a_stateless_server_takes_confirm_not_a_question(
    service: TasksService, connect: Any
) -> None:
    asked: list[str] = []

    async def user(context: Any, params: ElicitRequestParams) -> ElicitResult:
        asked.append(params.message)
        return ElicitResult(action="accept", content={"confirm": True})

    server = entry.build_server(service, stateless=True)
    async with connect(server, elicitation_callback=user) as client:
        assert isinstance(client, Client)
        message = error(
            await client.call_tool("delete_task", {"space": SPACE, "task": "chatbot-hallucination"})
        )
    assert "needs confirm=true" in message
    assert asked == []
    assert service.get_task("chatbot-hallucination", space=SPACE)


# -- the sandbox from the environment ------------------------------------------------------------


class _Stop(Exception):
    pass


@pytest.mark.parametrize("value", ["1", "true", "YES", "on"])
def test_ax_tasks_sandbox_serves_the_sandbox_with_no_key(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("AX_TASKS_SANDBOX", value)
    monkeypatch.delenv("ARIZE_API_KEY", raising=False)
    monkeypatch.setenv("AX_TASKS_CONFIG_DIR", "/nonexistent-ax-tasks-config")
    handle = _handle_it_would_serve(monkeypatch)
    try:
        assert handle.get().list_lookup("spaces").items  # no "No Arize API key is configured"
    finally:
        handle.close()


def _handle_it_would_serve(monkeypatch: pytest.MonkeyPatch) -> ServiceHandle:
    """Run the entry point up to serving: the service handle it would serve with."""
    handles: list[ServiceHandle] = []

    def build(handle: ServiceHandle, **options: Any) -> Any:
        handles.append(handle)
        raise _Stop

    monkeypatch.setattr(entry, "build_server", build)
    with pytest.raises(_Stop):
        entry.main([])
    return handles[0]


def test_ax_tasks_sandbox_and_a_base_url_do_not_mix(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AX_TASKS_SANDBOX", "1")
    assert entry.main(["--base-url", "https://api.arize.com"]) == 2
    assert "unset AX_TASKS_SANDBOX" in capsys.readouterr().err


@pytest.mark.parametrize("speed", ["abc", "inf", "nan", "0", "-5", "1000001"])
@pytest.mark.parametrize("selected_by", ["env", "flag"])
def test_a_sandbox_speed_that_cannot_work_is_refused_before_serving(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    speed: str,
    selected_by: str,
) -> None:
    monkeypatch.setenv("AX_TASKS_SANDBOX_SPEED", speed)
    if selected_by == "env":
        monkeypatch.setenv("AX_TASKS_SANDBOX", "1")

    def serve(handle: ServiceHandle, **options: Any) -> Any:
        raise _Stop  # reached only when the speed was let through

    monkeypatch.setattr(entry, "build_server", serve)
    assert entry.main([] if selected_by == "env" else ["--sandbox"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ax-tasks-mcp: error: AX_TASKS_SANDBOX_SPEED must be a number from")
    assert f"not {speed!r}." in err
    assert len(err.strip().splitlines()) == 1


def test_the_sandbox_speed_checked_at_start_is_the_one_the_service_uses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AX_TASKS_SANDBOX", "1")
    monkeypatch.setenv("AX_TASKS_SANDBOX_SPEED", " 250 ")
    handle = _handle_it_would_serve(monkeypatch)
    # a later change cannot reach the lazily built service: the speed was taken at start
    monkeypatch.setenv("AX_TASKS_SANDBOX_SPEED", "abc")
    try:
        assert handle.get().list_lookup("spaces").items
    finally:
        handle.close()

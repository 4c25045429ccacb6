"""The entry point: arguments, refusals, the cheap import, and the HTTP bearer-token guard."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from ax_tasks_mcp.server import app as entry
from ax_tasks_mcp.server.auth import BearerTokenMiddleware, is_loopback
from tests.support.full_disk import FullDisk


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("ARIZE_", "AX_TASKS_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("AX_TASKS_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("AX_TASKS_SANDBOX_DB", str(tmp_path / "sandbox.db"))


@pytest.mark.e2e  # a fresh interpreter
def test_importing_the_entry_point_does_not_import_the_mcp_sdk() -> None:
    code = (
        "import sys, ax_tasks_mcp.server.app; print('mcp' in sys.modules, 'httpx' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.split() == ["False", "False"]


@pytest.mark.e2e  # a fresh interpreter
def test_a_server_answers_its_first_tools_list_without_the_http_client(tmp_path: Path) -> None:
    """What the first answer does not need, start-up does not import: the service, httpx (and
    the click, rich and pygments its own command line loads) wait for the first tool call."""
    code = (
        "import sys, anyio\n"
        "from ax_tasks_mcp.server import app, tools\n"
        "def answer(server, transport):\n"
        "    anyio.run(server.list_tools)\n"
        "    loaded = ('httpx', 'ax_tasks_mcp.service.connect')\n"
        "    print(sorted(m for m in loaded if m in sys.modules))\n"
        "tools.TasksMCPServer.run = answer\n"
        "app.main(['--sandbox'])\n"
    )
    env = {**os.environ, "AX_TASKS_SANDBOX_DB": str(tmp_path / "sandbox.db")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_help_describes_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        entry.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for option in (
        "--transport",
        "--host",
        "--port",
        "--auth-token",
        "--read-only",
        "--toolsets",
        "--no-destructive",
        "--sandbox",
        "--profile",
        "--base-url",
        "AX_TASKS_MCP_TOKEN",
    ):
        assert option in out


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.com"])  # noqa: S104
def test_http_on_a_non_loopback_host_needs_a_token(
    capsys: pytest.CaptureFixture[str], host: str
) -> None:
    assert entry.main(["--transport", "http", "--host", host, "--sandbox"]) == 2
    err = capsys.readouterr().err
    assert "refusing" in err
    assert "AX_TASKS_MCP_TOKEN" in err


STRONG = "0123456789abcdef-strong"


@pytest.mark.parametrize("token", [" " + STRONG, STRONG + "\n", "\t", " "])
@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])  # noqa: S104
def test_a_token_with_surrounding_whitespace_is_refused_at_start(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    would_serve: dict[str, Any],
    token: str,
    host: str,
) -> None:
    monkeypatch.setenv("AX_TASKS_MCP_TOKEN", token)
    assert entry.main(["--transport", "http", "--host", host, "--sandbox"]) == 2
    assert "spaces or line breaks" in capsys.readouterr().err
    assert would_serve == {}


def test_a_short_token_is_refused_beyond_loopback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, would_serve: dict[str, Any]
) -> None:
    monkeypatch.setenv("AX_TASKS_MCP_TOKEN", "x" * 15)
    assert entry.main(["--transport", "http", "--host", "0.0.0.0", "--sandbox"]) == 2  # noqa: S104
    err = capsys.readouterr().err
    assert "15 characters" in err
    assert "at least 16" in err
    assert "x" * 15 not in err
    assert would_serve == {}


def test_a_token_of_16_characters_from_the_environment_serves_beyond_loopback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, would_serve: dict[str, Any]
) -> None:
    monkeypatch.setenv("AX_TASKS_MCP_TOKEN", "y" * 16)
    assert entry.main(["--transport", "http", "--host", "0.0.0.0", "--sandbox"]) == 0  # noqa: S104
    assert would_serve["token"] == "y" * 16
    assert "warning" not in capsys.readouterr().err


def test_a_short_token_is_accepted_on_loopback(
    monkeypatch: pytest.MonkeyPatch, would_serve: dict[str, Any]
) -> None:
    monkeypatch.setenv("AX_TASKS_MCP_TOKEN", "short")
    assert entry.main(["--transport", "http", "--sandbox"]) == 0
    assert would_serve["token"] == "short"


def test_the_token_flag_warns_that_other_users_can_see_it(
    capsys: pytest.CaptureFixture[str], would_serve: dict[str, Any]
) -> None:
    assert entry.main(["--transport", "http", "--sandbox", "--auth-token", STRONG]) == 0
    err = capsys.readouterr().err
    assert "warning: --auth-token is visible to other users" in err
    assert "AX_TASKS_MCP_TOKEN" in err
    assert STRONG not in err
    assert would_serve["token"] == STRONG


def test_toolsets_and_no_destructive_choose_the_tools(would_serve: dict[str, Any]) -> None:
    argv = ["--transport", "http", "--sandbox", "--toolsets", "Runs, lookups", "--no-destructive"]
    assert entry.main(argv) == 0
    assert would_serve["options"]["toolsets"] == ["runs", "lookups"]
    assert would_serve["options"]["destructive"] is False
    assert "cancel_task_run" not in would_serve["tools"]
    assert "list_tasks" not in would_serve["tools"]
    assert {"wait_for_task_run", "list_spaces", "trigger_task_run"} <= set(would_serve["tools"])


@pytest.mark.parametrize("value", ["tasks,bogus", "", ","])
def test_an_unknown_toolset_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        entry.main(["--toolsets", value, "--sandbox"])
    assert exit_info.value.code == 2
    assert "tasks,runs,lookups" in capsys.readouterr().err


def test_sandbox_and_base_url_do_not_mix(capsys: pytest.CaptureFixture[str]) -> None:
    assert entry.main(["--sandbox", "--base-url", "https://api.arize.com"]) == 2
    assert "--sandbox" in capsys.readouterr().err


def test_an_unknown_profile_is_reported_before_serving(capsys: pytest.CaptureFixture[str]) -> None:
    assert entry.main(["--profile", "nope"]) == 2
    err = capsys.readouterr().err
    assert "nope" in err
    assert err.startswith("ax-tasks-mcp: error:")


def test_a_port_out_of_range_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert entry.main(["--transport", "http", "--port", "70000", "--sandbox"]) == 2
    assert "--port" in capsys.readouterr().err


def test_a_busy_port_is_one_line_naming_port_and_exit_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        code = entry.main(["--transport", "http", "--port", str(port), "--sandbox"])
    assert code == 1
    err = capsys.readouterr().err
    assert err == (
        f"ax-tasks-mcp: error: cannot listen on 127.0.0.1:{port}: Address already in use. Stop"
        " what holds the port, or choose another with --port (--port 0 picks a free one).\n"
    )


def test_an_unknown_transport_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exit_info:
        entry.main(["--transport", "sse"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),  # noqa: S104
        ("::", False),
        ("10.0.0.5", False),
        ("my-laptop.local", False),
    ],
)
def test_loopback_hosts(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


def _guarded() -> BearerTokenMiddleware:
    async def hello(request: object) -> PlainTextResponse:
        return PlainTextResponse("hello")

    app = Starlette(routes=[Route("/mcp", hello, methods=["GET", "POST"])])
    return BearerTokenMiddleware(app, "s3cret-token")


@pytest.mark.anyio
@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong", "Basic czNjcmV0LXRva2Vu", "bearer s3cret-token-x"],
)
async def test_the_token_guard_refuses_requests_without_the_token(
    anyio_backend: str, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    transport = httpx.ASGITransport(app=_guarded())
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
        response = await http.post("/mcp", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["error"] == "invalid_token"


@pytest.mark.anyio
@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "BEARER"])
async def test_the_token_guard_lets_the_token_through(anyio_backend: str, scheme: str) -> None:
    transport = httpx.ASGITransport(app=_guarded())
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
        response = await http.post("/mcp", headers={"Authorization": f"{scheme} s3cret-token"})
    assert response.status_code == 200
    assert response.text == "hello"


@pytest.mark.anyio
@pytest.mark.parametrize(
    "path",
    [
        "/.well-known/oauth-protected-resource",
        "/.well-known/oauth-protected-resource/mcp",
        "/.well-known/oauth-authorization-server",
        "/.well-known/openid-configuration",
    ],
)
@pytest.mark.parametrize("authorization", [None, "Bearer s3cret-token"])
async def test_discovery_paths_answer_404_so_clients_start_no_oauth(
    anyio_backend: str, path: str, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    transport = httpx.ASGITransport(app=_guarded())
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
        response = await http.get(path, headers=headers)
    assert response.status_code == 404
    assert "www-authenticate" not in response.headers


def test_an_empty_token_is_never_accepted() -> None:
    with pytest.raises(ValueError, match="empty"):
        BearerTokenMiddleware(_guarded(), "")


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_to_a_full_disk_are_one_line_and_exit_1(
    flag: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """argparse drops what it cannot write and exits 0; the server says so and exits 1."""
    monkeypatch.setattr(sys, "stdout", FullDisk())
    assert entry.main([flag]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "ax-tasks-mcp: error: could not write the output to stdout: No space left on device."
    ]


def test_a_usage_error_stderr_cannot_take_keeps_exit_code_2(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stderr", FullDisk())
    assert entry.main(["--stateless"]) == 2
    with pytest.raises(SystemExit) as exited:
        entry.main(["--no-such-option"])
    assert exited.value.code == 2

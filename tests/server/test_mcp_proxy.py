"""Behind a company proxy: the MCP server reaches the API through the proxy the environment
names, trusts the company CA bundle, goes direct for NO_PROXY, and tells the model in one plain
line when the proxy is in the way.

The proxy is a real process on loopback (tests/support/loopback_proxy.py) in front of a sandbox
served on loopback; the https case runs ``ax-tasks-mcp`` itself over stdio.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from mcp import Client, StdioServerParameters

from ax_tasks_mcp import connect, load_settings
from ax_tasks_mcp.sandbox.serve import BackgroundServer
from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.server.calls import ServiceHandle
from tests.server.mcp_helpers import error, ok
from tests.support.loopback_proxy import LoopbackProxy
from tests.support.tls import CompanyCa

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

KEY = "mcp-proxy-key-0123456789"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_the_server_process_reaches_https_through_the_proxy_tunnel(
    proxy: LoopbackProxy, company: CompanyCa, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARIZE_", "AX_TASKS_"))}
    env.update(
        ARIZE_API_KEY=KEY,
        HTTPS_PROXY=proxy.url,
        SSL_CERT_FILE=str(company.ca_file),
        AX_TASKS_CONFIG_DIR=str(tmp_path / "config"),
        HOME=str(tmp_path),
    )
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "ax_tasks_mcp", "--base-url", "https://api.arize.com"],
        env=env,
        cwd=tmp_path,
    )
    before = len(proxy.lines())
    with anyio.fail_after(60):
        async with Client(params, mode="legacy") as client:
            spaces = ok(await client.call_tool("list_spaces", {}))["spaces"]
    assert "demo" in [space["name"] for space in spaces]
    assert proxy.lines()[before:] == ["CONNECT api.arize.com:443"]


@pytest.fixture
def over(served: BackgroundServer) -> Iterator[ServiceHandle]:
    """The service the server builds from its settings (base URL: the served sandbox)."""
    settings = load_settings(base_url=served.url, env={"ARIZE_API_KEY": KEY})
    handle = ServiceHandle(lambda: connect(settings), secrets=[KEY])
    yield handle
    handle.close()


async def _list_spaces(handle: ServiceHandle) -> object:
    async with Client(build_server(handle), mode="legacy") as client:
        return await client.call_tool("list_spaces", {})


async def test_plain_http_goes_to_the_proxy_in_absolute_form(
    proxy: LoopbackProxy,
    served: BackgroundServer,
    over: ServiceHandle,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("http_proxy", proxy.url)
    before = len(proxy.lines())
    assert ok(await _list_spaces(over))["spaces"]
    assert proxy.lines()[before:] == [f"GET {served.url}/v2/spaces?limit=20"]


async def test_no_proxy_goes_direct(
    proxy: LoopbackProxy, over: ServiceHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    before = len(proxy.lines())
    assert ok(await _list_spaces(over))["spaces"]
    assert proxy.lines()[before:] == []


async def test_a_proxy_asking_for_credentials_is_one_plain_line_for_the_model(
    guarded_proxy: LoopbackProxy, over: ServiceHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", guarded_proxy.url)
    message = error(await _list_spaces(over))
    assert guarded_proxy.url in message
    assert "407" in message
    assert "--" not in message  # no CLI flag reaches the model
    assert "\n" not in message.strip()

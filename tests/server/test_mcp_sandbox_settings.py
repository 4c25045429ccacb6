"""A sandbox setting that cannot work reaches the model as one plain line naming it, never as
"Error executing tool" or a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client

from ax_tasks_mcp import connect
from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.server.calls import ServiceHandle
from tests.server.mcp_helpers import error

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("variable", "value", "wanted"),
    [
        ("AX_TASKS_SANDBOX_SPEED", "abc", "AX_TASKS_SANDBOX_SPEED must be a number from 0.000001"),
        ("AX_TASKS_SANDBOX_DB", "{tmp}", "is a folder. Set AX_TASKS_SANDBOX_DB"),
    ],
)
async def test_a_bad_sandbox_setting_is_one_line_for_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, wanted: str
) -> None:
    monkeypatch.setenv("AX_TASKS_SANDBOX_DB", str(tmp_path / "sandbox.db"))
    monkeypatch.setenv(variable, value.format(tmp=tmp_path))
    handle = ServiceHandle(lambda: connect(sandbox=True))
    async with Client(build_server(handle), mode="legacy") as client:
        message = error(await client.call_tool("list_tasks", {"space": "demo"}))
    assert wanted in message
    assert "Traceback" not in message
    assert "\n" not in message.strip()

"""Helpers shared by the MCP server tests (imported by name: tests have no packages)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio.lowlevel
from mcp_types import CallToolResult, TextContent

from ax_tasks_mcp.service.connect import TasksService

#: protocol version -> Client(mode=...)
PROTOCOLS = {"2025-11-25": "legacy", "2026-07-28": "2026-07-28"}

SPACE = "demo"


class FakeTime:
    """Monotonic and wall clocks that move only when the service sleeps."""

    def __init__(self, start: datetime = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)) -> None:
        self._lock = threading.Lock()
        self.start = start
        self.elapsed = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return 1000.0 + self.elapsed

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.elapsed += seconds

    async def pause(self, seconds: float) -> None:
        """The server's async sleep between polls: moves time, yields, never waits."""
        self.sleep(seconds)
        await anyio.lowlevel.checkpoint()


def make_service(db: Path, time: FakeTime, **options: Any) -> TasksService:
    """A sandbox service on ``db`` whose clocks and sleep are ``time``'s."""
    return TasksService.sandbox(
        str(db),
        sandbox_clock=time.now,
        now=time.now,
        clock=time.monotonic,
        sleep=time.sleep,
        **options,
    )


def text(result: CallToolResult) -> str:
    """The text of a tool result's single text block."""
    assert len(result.content) == 1
    block = result.content[0]
    assert isinstance(block, TextContent)
    return block.text


def ok(result: CallToolResult) -> Any:
    """The structured content of a successful result (its text block holds the same JSON)."""
    assert not result.is_error, text(result)
    assert result.structured_content is not None
    assert json.loads(text(result)) == result.structured_content
    return result.structured_content


def error(result: CallToolResult) -> str:
    """The message of a failed result."""
    assert result.is_error, result
    message = text(result)
    assert not message.startswith("Error executing tool"), message
    return message

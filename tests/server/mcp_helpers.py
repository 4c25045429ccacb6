"""Helpers shared by the MCP server tests (imported as tests.server.mcp_helpers)."""

from __future__ import annotations

import json
import sqlite3
import warnings
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mcp_types import CallToolResult, TextContent

from ax_tasks_mcp.service.connect import TasksService
from tests.support.clock import FakeTime

#: protocol version -> Client(mode=...)
PROTOCOLS = {"2025-11-25": "legacy", "2026-07-28": "2026-07-28"}

SPACE = "demo"
#: Where fake time starts for the MCP tests: their data windows begin the day before.
START = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)


def copy_sandbox(source: Path, target: Path) -> None:
    """Copy the sandbox database ``source`` to ``target`` (SQLite's backup: whole, even while
    its journal holds pages): a space costly to build is built once per module, then copied."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def make_service(db: Path, time: FakeTime, **options: Any) -> TasksService:
    """A sandbox service on ``db`` whose clocks and sleep are ``time``'s."""
    return TasksService.sandbox(str(db), **time.options(), **options)


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


def tokens(value: Any) -> int:
    """o200k tokens of a text, or of a value as compact JSON."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import bpe_openai  # type: ignore[import-untyped]

        encoding = bpe_openai.get_encoding("o200k_base")
    shown = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return len(encoding.encode(shown))

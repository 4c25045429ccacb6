"""``sandbox serve --api-key KEY --read-only-key KEY2`` says no over loopback:
401 for another key, 403 for a write with the read-only key - exit 3 in the CLI, and nothing
changed on the server."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ax_tasks_cli import exitcodes
from ax_tasks_mcp.sandbox.keys import Keys
from ax_tasks_mcp.sandbox.serve import BackgroundServer

GOOD = "sandbox-writer-key-1"
READER = "sandbox-reader-key-2"

pytestmark = pytest.mark.e2e


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    db = tmp_path / "served.db"
    with BackgroundServer(db_path=db, keys=Keys(GOOD, READER)) as server:
        yield server.url, db


def _runs(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        count: int = conn.execute("SELECT COUNT(*) FROM task_runs").fetchone()[0]
        return count


def _as(ax, url: str, key: str, *args: str) -> Any:
    return ax("--base-url", url, *args, env={"ARIZE_API_KEY": key}, tty=True)


def test_another_key_gets_401_and_exit_3(ax, served) -> None:
    url, _ = served
    result = _as(ax, url, "some-other-key", "spaces")
    assert result.exit_code == exitcodes.AUTH
    assert "some-other-key" not in result.stderr


def test_the_read_only_key_reads_and_its_writes_get_403(ax, served) -> None:
    url, db = served
    assert _as(ax, url, READER, "list", "-s", "demo").exit_code == 0
    before = _runs(db)
    result = _as(ax, url, READER, "trigger-run", "chatbot-hallucination", "-s", "demo")
    assert result.exit_code == exitcodes.AUTH
    assert "permission" in result.stderr.lower() or "403" in result.stderr
    assert _runs(db) == before


def test_the_given_key_may_write(ax, served) -> None:
    url, db = served
    result = _as(ax, url, GOOD, "trigger-run", "chatbot-hallucination", "-s", "demo", "-o", "json")
    assert result.exit_code == 0, result.stderr
    run_id = json.loads(result.stdout)["id"]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM task_runs").fetchone()[0] >= 1
    assert _as(ax, url, GOOD, "get-run", run_id).exit_code == 0


def test_the_cli_passes_its_key_flags_to_the_server(ax, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr("ax_tasks_mcp.sandbox.serve.serve", lambda **kw: seen.update(kw))
    result = ax("sandbox", "serve", "--port", "0", "--api-key", GOOD, "--read-only-key", READER)
    assert result.exit_code == 0, result.stderr
    assert (seen["api_key"], seen["read_only_key"]) == (GOOD, READER)

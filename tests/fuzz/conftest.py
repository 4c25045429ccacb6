"""Shared pieces of the fuzz suite: a seeded sandbox, virtual time, a count of cases tried."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ax_tasks_mcp.sandbox.admin import info
from tests.support import worker_report
from tests.support.clock import FakeTime

#: Cases tried per test, printed at the end of the run.
CASES: Counter[str] = worker_report.counts("fuzz cases tried")
#: How the cases ended: CLI exit codes, MCP results and tool errors.
OUTCOMES: Counter[str] = worker_report.counts("fuzz outcomes")


@pytest.fixture
def fuzz_cases() -> Counter[str]:
    return CASES


@pytest.fixture
def fuzz_outcomes() -> Counter[str]:
    return OUTCOMES


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class VirtualTime(FakeTime):
    """Fake time for the service in which waiting costs nothing, whatever the wait.

    Every sleep jumps further than the last (by a factor of a million), so any finite wait
    deadline passes within a few dozen polls, whatever --timeout a fuzzer comes up with.  Only
    the service's monotonic clock follows it: the sandbox keeps the real date.
    """

    def __init__(self) -> None:
        super().__init__()
        self._jump = 1.0

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.elapsed += max(float(seconds), self._jump)
            self._jump = min(self._jump * 1e6, 1e300)

    def options(self) -> dict[str, Any]:
        return {"clock": self.monotonic, "sleep": self.sleep}


@pytest.fixture(scope="module")
def sandbox_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-sandbox") / "sandbox.db"


@pytest.fixture(scope="module")
def vocabulary(sandbox_db: Path) -> list[str]:
    """Names and IDs that exist in the seeded sandbox, so fuzzed calls reach deep code."""
    summary = info(str(sandbox_db))
    words: list[str] = []
    for space in summary["spaces"]:
        words += [space["name"], space["id"]]
        for kind in ("projects", "evaluators", "tasks"):
            for item in space[kind]:
                words += [item["name"], item["id"]]
        for dataset in space["datasets"]:
            words += [dataset["name"], dataset["id"]]
            words += [v["id"] for v in dataset["versions"]]
            words += [e["name"] for e in dataset["experiments"]]
            words += [e["id"] for e in dataset["experiments"]]
    for integration in summary["ai_integrations"]:
        words += [integration["name"], integration["id"]]
    return sorted(set(words))


@pytest.fixture(scope="module")
def run_ids(sandbox_db: Path) -> list[str]:
    """IDs of runs the seeded sandbox holds (runs have no names)."""
    import sqlite3

    from ax_tasks_mcp.sandbox import ids

    info(str(sandbox_db))  # seeds it if needed
    with sqlite3.connect(sandbox_db) as conn:
        rows = conn.execute("SELECT id FROM task_runs ORDER BY id LIMIT 5").fetchall()
    conn.close()
    return [ids.encode(ids.TASK_RUN, row[0]) for row in rows]


@pytest.fixture
def workdir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current directory for commands that write files (-o out.json)."""
    path = tmp_path_factory.mktemp("fuzz-cwd")
    monkeypatch.chdir(path)
    return path

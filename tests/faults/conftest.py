"""Fixtures for the fault-injection suite: served sandboxes, and a report of what was injected."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import worker_report
from tests.support.served_sandbox import ServedSandbox

#: Lines for the terminal summary (operations run, faults seen), filled by the tests.
REPORT: list[str] = worker_report.lines("fault injection")


@pytest.fixture
def fault_report() -> list[str]:
    return REPORT


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServedSandbox]:
    """A sandbox server over a fresh database; the test starts it with the flags it needs."""
    server = ServedSandbox(tmp_path / "sandbox.db", tmp_path)
    try:
        yield server
    finally:
        server.stop()

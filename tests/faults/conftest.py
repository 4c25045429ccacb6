"""Fixtures for the fault-injection suite: served sandboxes, and a report of what was injected."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.served_sandbox import ServedSandbox
from tests.support.worker_report import received, send

#: Lines for the terminal summary (operations run, faults seen), filled by the tests.
REPORT: list[str] = []


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


def pytest_sessionfinish(session: pytest.Session) -> None:
    send(session.config, "fault_report", REPORT)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    REPORT.extend(received(node, "fault_report") or [])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if REPORT:
        terminalreporter.section("fault injection")
        for line in REPORT:
            terminalreporter.write_line(line)

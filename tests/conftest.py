"""The end-of-run summary of what the fault and fuzz suites did, whole under pytest-xdist."""

from __future__ import annotations

import pytest

from tests.support import worker_report


def pytest_sessionfinish(session: pytest.Session) -> None:
    worker_report.send(session.config)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    worker_report.merge(node)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    worker_report.write(terminalreporter)

"""What every test shares: no OpenTelemetry configuration from outside, and the end-of-run
summary of what the fault and fuzz suites did, whole under pytest-xdist."""

from __future__ import annotations

import os

import pytest

from tests.support import worker_report


@pytest.fixture(autouse=True)
def no_tracing_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's OTEL_* variables (or a CI job's TRACEPARENT) never reach a test: the tests
    that trace set their own."""
    for name in list(os.environ):
        if name.startswith("OTEL_") or name in ("TRACEPARENT", "TRACESTATE"):
            monkeypatch.delenv(name, raising=False)


def pytest_sessionfinish(session: pytest.Session) -> None:
    worker_report.send(session.config)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    worker_report.merge(node)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    worker_report.write(terminalreporter)

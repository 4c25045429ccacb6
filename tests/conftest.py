"""What every test shares: no proxy and no OpenTelemetry configuration from outside, the
end-of-run summary of what the fault and fuzz suites did, whole under pytest-xdist, and the
hypothesis profile mutation runs use."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.support import worker_report

# scripts/mutation.sh traces every test (--hypothesis-profile=mutation): generating inputs is
# slow there, which says nothing about the code under test.
settings.register_profile("mutation", deadline=None, suppress_health_check=[HealthCheck.too_slow])

pytest_plugins = ["tests.support.proxied"]

_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture(autouse=True)
def no_machine_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests talk to 127.0.0.1 directly unless a test sets a proxy itself (both faces honour
    the environment's proxy, as httpx does)."""
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture(autouse=True)
def no_tracing_from_outside(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's OTEL_* variables (or a CI job's TRACEPARENT) never reach a test: the tests
    that trace set their own."""
    for name in list(os.environ):
        if name.startswith("OTEL_") or name in ("TRACEPARENT", "TRACESTATE"):
            monkeypatch.delenv(name, raising=False)


#: What the fast loop (``pytest --fast``) leaves out: real processes, fault injection, fuzzing,
#: and the repeat of each in-process MCP test under the older protocol version.
FAST_LOOP_LEAVES_OUT = ("e2e", "faults", "fuzz", "older_protocol")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fast",
        action="store_true",
        help="the fast loop: leave out the tests marked " + ", ".join(FAST_LOOP_LEAVES_OUT),
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("fast"):
        return
    kept: list[pytest.Item] = []
    left_out: list[pytest.Item] = []
    for item in items:
        slow = any(item.get_closest_marker(name) for name in FAST_LOOP_LEAVES_OUT)
        (left_out if slow else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def pytest_sessionfinish(session: pytest.Session) -> None:
    worker_report.send(session.config)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    worker_report.merge(node)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    worker_report.write(terminalreporter)

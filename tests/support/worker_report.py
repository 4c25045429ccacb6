"""Figures for the end-of-run summary, gathered across pytest-xdist workers.

A suite records lines (``lines("fault injection")``) or counts (``counts("fuzz cases tried")``)
in sections; under xdist each worker sends its sections to the controller when it finishes, and
tests/conftest.py merges them and writes every section once at the end of the run.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

_LINES: dict[str, list[str]] = {}
_COUNTS: dict[str, Counter[str]] = {}
_KEY = "ax_tasks_summary"


def lines(section: str) -> list[str]:
    """The list of lines of ``section`` (append to it)."""
    return _LINES.setdefault(section, [])


def counts(section: str) -> Counter[str]:
    """The counter of ``section`` (add to it); the summary shows each count and the total."""
    return _COUNTS.setdefault(section, Counter())


def send(config: pytest.Config) -> None:
    """On a worker: hand every section to the controller (no-op without xdist)."""
    output = getattr(config, "workeroutput", None)
    if output is not None:
        output[_KEY] = {"lines": _LINES, "counts": {k: dict(v) for k, v in _COUNTS.items()}}


def merge(node: Any) -> None:
    """On the controller: add what a finished worker sent."""
    sent = getattr(node, "workeroutput", {}).get(_KEY) or {}
    for section, found in sent.get("lines", {}).items():
        lines(section).extend(found)
    for section, found in sent.get("counts", {}).items():
        counts(section).update(found)


def write(reporter: pytest.TerminalReporter) -> None:
    """Write every section that has something in it."""
    for section, found in _LINES.items():
        if found:
            reporter.section(section)
            for line in found:
                reporter.write_line(line)
    for section, counter in _COUNTS.items():
        if counter:
            reporter.section(section)
            for name, count in sorted(counter.items()):
                reporter.write_line(f"{name}: {count}")
            reporter.write_line(f"total: {sum(counter.values())}")

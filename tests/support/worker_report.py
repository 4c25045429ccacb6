"""Terminal-summary figures that survive pytest-xdist.

Under xdist each worker fills its own copy of a module-level report; the summary is written by
the controller. ``send`` hands a worker's figures over when its session ends, ``received``
reads them on the controller as each worker goes down (both do nothing without xdist).
"""

from __future__ import annotations

from typing import Any

import pytest


def send(config: pytest.Config, key: str, value: Any) -> None:
    """On a worker: pass ``value`` (lists, dicts, strings, numbers) to the controller."""
    output = getattr(config, "workeroutput", None)
    if output is not None:
        output[key] = value


def received(node: Any, key: str) -> Any:
    """On the controller: what a finished worker sent under ``key``, or None."""
    return getattr(node, "workeroutput", {}).get(key)

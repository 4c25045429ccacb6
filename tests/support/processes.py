"""Processes a test starts itself: what its ``finally`` does with them."""

from __future__ import annotations

import subprocess
from typing import Any


def reap(process: subprocess.Popen[Any]) -> None:
    """Kill ``process`` if the test left it running (an assertion failed first), wait for it,
    and close its stderr pipe, so no process or descriptor outlives the test."""
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)
    if process.stderr is not None:
        process.stderr.close()

"""The one fake clock of the suite: time moves only when the code sleeps or a test advances it.

``FakeTime`` gives every clock the code under test takes: ``monotonic`` (the service's deadlines
and caches), ``now`` (wall-clock datetimes, for the service and the sandbox) and ``sleep``,
which records the wait and moves both clocks instead of waiting.  It is thread-safe, because
the MCP server waits on a worker thread.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio.lowlevel

__all__ = ["START", "FakeTime"]

#: The wall-clock moment fake time starts at, unless a test picks another.
START = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


class FakeTime:
    """Monotonic seconds (from ``origin``) and datetimes (from ``start``) moved only by
    :meth:`sleep` and :meth:`advance`; ``sleeps`` lists every wait asked for."""

    def __init__(self, start: datetime = START, *, origin: float = 1000.0) -> None:
        self.start = start
        self.origin = origin
        self.elapsed = 0.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        return self.origin + self.elapsed

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def sleep(self, seconds: float) -> None:
        if seconds < 0:  # as time.sleep would refuse it
            raise ValueError(f"sleep length must be non-negative, not {seconds!r}")
        with self._lock:
            self.sleeps.append(seconds)
            self.elapsed += seconds

    async def pause(self, seconds: float) -> None:
        """An async sleep (the MCP server's pause between polls): moves time, yields, never
        waits."""
        self.sleep(seconds)
        await anyio.lowlevel.checkpoint()

    def advance(self, seconds: float) -> None:
        """Move both clocks without a sleep (negative moves a wall clock that was wrong)."""
        with self._lock:
            self.elapsed += seconds

    def options(self) -> dict[str, Any]:
        """The service options that put a TasksService (and its sandbox) on this clock."""
        return {
            "clock": self.monotonic,
            "sleep": self.sleep,
            "now": self.now,
            "sandbox_clock": self.now,
        }

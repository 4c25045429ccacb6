"""Many agents at once: long waits hold no worker thread, so 50 open
wait_for_task_run calls leave every other tool answering.

The pause between polls is the server's async sleep; here it parks until the test lets go, so
the 50 waits stay open for as long as the test needs, and nothing sleeps on the wall clock.
(The latency over HTTP is measured in scripts/mcp_budget.py, not asserted.)
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import pytest

from ax_tasks_mcp import RunRequest
from ax_tasks_mcp.server.app import build_server
from ax_tasks_mcp.service.connect import TasksService
from tests.server.conftest import Connect
from tests.server.mcp_helpers import SPACE, make_service, ok
from tests.support.clock import FakeTime

pytestmark = pytest.mark.anyio

WAITERS = 50  # more than anyio's 40 worker threads


class ParkedPauses:
    """The server's pause between polls: counts the waits parked in it, holds them all."""

    def __init__(self, expected: int, time: FakeTime) -> None:
        self.expected = expected
        self.time = time
        self.parked = 0
        self.all_parked = anyio.Event()
        self.release = anyio.Event()

    async def __call__(self, seconds: float) -> None:
        self.parked += 1
        if self.parked == self.expected:
            self.all_parked.set()
        await self.release.wait()
        self.time.sleep(seconds)  # then time moves on, and the run with it


@pytest.fixture
def slow_service(sandbox_db: Path, fake_time: FakeTime) -> Any:
    service = make_service(sandbox_db, fake_time)
    yield service
    service.close()


async def test_fifty_open_waits_hold_no_thread_and_do_not_starve_list_tasks(
    slow_service: TasksService, connect: Connect, fake_time: FakeTime
) -> None:
    task = slow_service.get_task("chatbot-hallucination", space=SPACE)
    start = datetime(2026, 3, 6, tzinfo=UTC)
    run = slow_service.trigger_run(task["id"], RunRequest(data_start_time=start))
    assert isinstance(run, dict)
    pauses = ParkedPauses(WAITERS, fake_time)
    limiter = anyio.to_thread.current_default_thread_limiter()
    finished: list[dict[str, Any]] = []

    async with connect(build_server(slow_service, sleep=pauses)) as client:

        async def wait() -> None:
            finished.append(ok(await client.call_tool("wait_for_task_run", {"run_id": run["id"]})))

        with anyio.fail_after(60):  # a bound against a hang, not a measurement
            async with anyio.create_task_group() as group:
                for _ in range(WAITERS):
                    group.start_soon(wait)
                await pauses.all_parked.wait()
                assert limiter.borrowed_tokens == 0  # no wait holds a worker thread
                for _ in range(3):
                    listed = ok(await client.call_tool("list_tasks", {"space": SPACE}))
                    assert listed["tasks"]
                assert finished == []  # every wait was still open while the lists answered
                pauses.release.set()
    assert len(finished) == WAITERS
    assert all(f["id"] == run["id"] for f in finished)

"""Fixtures for tasks as code: the seeded sandbox in process behind a counting transport, and
the fake Arize API (for names two things share, and answers that get lost)."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ax_tasks_mcp import Plan, load_tasks, plan_tasks
from ax_tasks_mcp.sandbox.embedded import embedded_transport
from ax_tasks_mcp.service.connect import SANDBOX_BASE_URL, TasksService
from ax_tasks_mcp.service.settings import Settings
from tests.service.ops import conftest as ops
from tests.support.clock import FakeTime
from tests.support.counting import Counting

SCRIPTS = Path(__file__).resolve().parents[3] / "scripts"

# The fake Arize API at the respx seam, as the other service tests have it.
fake, fake_time, make_service, router, world = (
    ops.fake,
    ops.fake_time,
    ops.make_service,
    ops.router,
    ops.world,
)


@dataclass
class Sandboxed:
    """A service over an in-process sandbox, the requests it sent, and its database."""

    service: TasksService
    transport: Counting
    db: Path

    def plan(self, text: str, name: str = "tasks.yaml", **options: Any) -> Plan:
        return plan_tasks(self.service, load_tasks(texts=[(name, text)]), **options)

    def sql(self, statement: str, *args: Any) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(self.db)) as conn, conn:
            return list(conn.execute(statement, args).fetchall())


@pytest.fixture
def sandboxed(tmp_path: Path, fake_time: FakeTime) -> Iterator[Sandboxed]:
    db = tmp_path / "sandbox.db"
    transport = Counting(embedded_transport(db, clock=fake_time.now))
    service = TasksService(
        Settings(api_key="sandbox", base_url=SANDBOX_BASE_URL, space="demo"),
        transport=transport,
        clock=fake_time.monotonic,
        sleep=fake_time.sleep,
        now=fake_time.now,
    )
    with service:
        service.list_lookup("spaces")  # seeds the database
        transport.requests.clear()
        yield Sandboxed(service, transport, db)


@pytest.fixture
def bulk_tasks() -> Callable[[Path, int], None]:
    """The benchmark's bulk insert: ``count`` copies of a seeded task, named bulk-task-NNNNNN."""
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    from bench_runs import bulk_tasks as insert

    return insert  # type: ignore[no-any-return]

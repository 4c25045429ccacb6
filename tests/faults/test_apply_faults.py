"""Applying a tasks file against a sandbox that fails one request in five: no task is made
twice, and a second apply finishes whatever the first could not, leaving an empty plan."""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import closing
from typing import Any

import httpx
import pytest
import yaml

from ax_tasks_mcp import apply_plan, export_tasks, load_tasks, plan_tasks
from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.settings import Settings
from tests.support.served_sandbox import ServedSandbox

pytestmark = pytest.mark.faults

KEY = "apply-faults-key"
FAULT_RATE = "0.2"
FAULT_SEED = "20261207"
CREATES = 48


class Statuses(httpx.BaseTransport):
    """Under the retrying transport: every raw answer, faults included."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.seen: Counter[int] = Counter()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.seen[response.status_code] += 1
        return response

    def close(self) -> None:
        self.inner.close()


def test_fifty_changes_at_20_percent_faults_make_nothing_twice_and_converge(
    served: ServedSandbox, fault_report: list[str]
) -> None:
    served.start("--fault-rate", FAULT_RATE, "--fault-seed", FAULT_SEED)
    statuses = Statuses()
    waits: list[float] = []
    service = TasksService.from_settings(
        Settings(api_key=KEY, base_url=served.url, max_retries=12, read_timeout=10, space="demo"),
        transport=statuses,
        sleep=waits.append,  # retry waits are asked for, never slept
        max_resends=10,
    )
    with service:
        document: dict[str, Any] = export_tasks(service, ["demo"]).document
        first, second = document["tasks"]
        first["sampling_rate"] = 0.9  # two updates and 48 creates: 50 changes
        second["name"] = "qa-golden-json-check-renamed"
        document["tasks"] += [
            {
                "name": f"fault-task-{n:02d}",
                "type": "template_evaluation",
                "project": "chatbot",
                "sampling_rate": 0.5,
                "evaluators": [{"evaluator": "hallucination"}],
            }
            for n in range(CREATES)
        ]
        text = yaml.safe_dump(document, sort_keys=False)

        def plan() -> Any:
            return plan_tasks(service, load_tasks(texts=[("demo.yaml", text)]))

        first_plan = plan()
        assert first_plan.counts["create"] + first_plan.counts["update"] == 50
        first = apply_plan(service, plan())
        second = apply_plan(service, plan())  # finishes what the first could not, if anything
        rounds = [(len(r.landed), r.failed is not None) for r in (first, second)]
        final = plan()
    assert second.complete
    if first.complete:
        assert second.landed == []
    assert not final.has_changes
    with closing(sqlite3.connect(served.db)) as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM tasks")]
    made = Counter(name for name in names if name.startswith("fault-task-"))
    assert made == dict.fromkeys((f"fault-task-{n:02d}" for n in range(CREATES)), 1)
    faults = statuses.seen[503] + statuses.seen[429]
    assert faults > 0
    fault_report.append(
        f"apply of 50 changes at fault rate {FAULT_RATE}: rounds (writes landed, stopped) "
        f"{rounds}; {sum(statuses.seen.values())} HTTP requests, {faults} faults injected, "
        f"{len(waits)} retry waits asked for (not slept); 0 duplicated, final plan empty"
    )

"""Fault injection: the service and the CLI against a sandbox that fails, hangs or dies.

Every server here is ``python -m ax_tasks_mcp.sandbox serve`` on 127.0.0.1, started and stopped
by pid (see tests/support/served_sandbox.py).  The service gets a sleep that only records its
waits, so Retry-After and backoff cost no wall-clock time.
"""

from __future__ import annotations

import json
import queue
import random
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from ax_tasks_mcp import RunRequest, TaskChanges, task_spec
from ax_tasks_mcp.sandbox.admin import info
from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import AxTasksError
from ax_tasks_mcp.service.settings import Settings
from tests.support.served_sandbox import ServedSandbox, ax_tasks, cli_env

pytestmark = pytest.mark.faults

KEY = "faults-test-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
OPERATIONS = 200
FAULT_RATE = "0.3"
FAULT_SEED = "20251125"


class CountingTransport(httpx.BaseTransport):
    """Sits under the retrying transport and sees every raw answer, faults included."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.statuses: Counter[int] = Counter()
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        response = self.inner.handle_request(request)
        self.statuses[response.status_code] += 1
        return response

    def close(self) -> None:
        self.inner.close()


@dataclass
class Ledger:
    """What the operations did, to check against the database afterwards."""

    created: dict[str, str] = field(default_factory=dict)  # name -> task ID
    triggers: Counter[str] = field(default_factory=Counter)  # task ID -> runs triggered
    run_ids: list[str] = field(default_factory=list)
    sampling: dict[str, float] = field(default_factory=dict)  # task ID -> last value set
    kinds: Counter[str] = field(default_factory=Counter)


def _db_rows(db: Path, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db, timeout=30)) as conn:
        return list(conn.execute(sql, args).fetchall())


def _number(global_id: str) -> int:
    import base64

    return int(base64.b64decode(global_id).decode().split(":")[1])


def _space_ids(db: Path, space: str) -> dict[str, str]:
    summary = info(str(db))
    found = next(s for s in summary["spaces"] if s["name"] == space)
    return {
        "space": found["id"],
        "project": next(p["id"] for p in found["projects"] if p["name"] == "chatbot"),
        "evaluator": next(e["id"] for e in found["evaluators"] if e["name"] == "hallucination"),
    }


def test_200_mixed_operations_at_30_percent_faults_lose_and_repeat_nothing(
    served: ServedSandbox, fault_report: list[str]
) -> None:
    served.start("--fault-rate", FAULT_RATE, "--fault-seed", FAULT_SEED)
    ids = _space_ids(served.db, "demo")
    counting = CountingTransport()
    waits: list[float] = []
    settings = Settings(api_key=KEY, base_url=served.url, max_retries=12, read_timeout=10)
    # Writes answered 503 are reconciled and resent; allow more resends than the default 2, as
    # a 15% chance of 503 per attempt would otherwise exhaust them within 70 writes.
    service = TasksService.from_settings(
        settings, transport=counting, sleep=waits.append, max_resends=10
    )
    rng = random.Random(7)
    ledger = Ledger()
    base = datetime.now(UTC) - timedelta(days=2)

    def create() -> None:
        name = f"fault-task-{len(ledger.created):03d}"
        by_name = rng.random() < 0.5
        task = service.create_task(
            task_spec(
                name=name,
                task_type=rng.choice(["template_evaluation", "TEMPLATE_EVALUATION"]),
                space="demo" if by_name else ids["space"],
                project="chatbot" if by_name else ids["project"],
                evaluators=[
                    {"evaluator": "hallucination"}
                    if by_name
                    else {"evaluator_id": ids["evaluator"]}
                ],
                sampling_rate=0.5,
            )
        )
        assert isinstance(task, dict)
        assert task["name"] == name
        ledger.created[name] = task["id"]

    def some_task() -> str:
        return rng.choice(list(ledger.created.values()))

    def trigger() -> None:
        task_id = some_task()
        k = sum(ledger.triggers.values())
        start = base + timedelta(minutes=10 * k)  # a distinct window for every trigger
        run = service.trigger_run(
            task_id,
            RunRequest(
                data_start_time=start,
                data_end_time=start + timedelta(minutes=5),
                override_evaluations=True,
            ),
        )
        assert isinstance(run, dict)
        assert run["task_id"] == task_id
        ledger.triggers[task_id] += 1
        ledger.run_ids.append(run["id"])

    def update() -> None:
        task_id = some_task()
        rate = round(rng.random(), 3)
        task = service.update_task(task_id, TaskChanges(sampling_rate=rate))
        assert isinstance(task, dict)
        assert task["sampling_rate"] == pytest.approx(rate)
        ledger.sampling[task_id] = rate

    def read() -> None:
        kind = rng.choice(
            ["list", "get_id", "get_name", "runs", "run", "all", "projects", "spaces", "evaluators"]
        )
        ledger.kinds[kind] += 1
        if kind == "list":
            page = service.list_tasks(space="demo", limit=rng.randint(1, 50))
            assert page.items
        elif kind == "get_id":
            task_id = some_task()
            assert service.get_task(task_id)["id"] == task_id
        elif kind == "get_name":
            name = rng.choice(list(ledger.created))
            assert service.get_task(name, space="demo")["id"] == ledger.created[name]
        elif kind == "runs":
            service.list_runs(some_task(), limit=10)
        elif kind == "run" and ledger.run_ids:
            run_id = rng.choice(ledger.run_ids)
            assert service.get_run(run_id)["id"] == run_id
        elif kind == "all":
            names = {t["name"] for t in service.iter_tasks(space="demo", page_size=7)}
            assert set(ledger.created) <= names
        elif kind == "projects":
            assert service.list_lookup("projects", space="demo").items
        elif kind == "spaces":
            assert service.list_lookup("spaces").items
        else:
            assert service.list_lookup("evaluators", space=ids["space"]).items

    plan: list[Callable[[], None]] = [create] * 5
    rest: list[Callable[[], None]] = [create] * 35 + [trigger] * 30 + [update] * 10 + [read] * 120
    rng.shuffle(rest)
    plan += rest
    assert len(plan) == OPERATIONS
    done: Counter[str] = Counter()
    try:
        for operation in plan:
            operation()
            done[operation.__name__] += 1
    finally:
        service.close()

    # Every create happened exactly once, under the ID it reported.
    for name, task_id in ledger.created.items():
        rows = _db_rows(served.db, "SELECT id FROM tasks WHERE name = ?", (name,))
        assert rows == [(_number(task_id),)], name
    # Every trigger made exactly one run, and each reported run exists.
    assert len(set(ledger.run_ids)) == len(ledger.run_ids)
    for task_id, count in ledger.triggers.items():
        rows = _db_rows(
            served.db, "SELECT COUNT(*) FROM task_runs WHERE task_id = ?", (_number(task_id),)
        )
        assert rows == [(count,)], task_id
    # The last update of each task stuck.
    for task_id, rate in ledger.sampling.items():
        (config,) = _db_rows(
            served.db, "SELECT config FROM tasks WHERE id = ?", (_number(task_id),)
        )[0]
        assert json.loads(config)["sampling_rate"] == pytest.approx(rate)

    faults = counting.statuses[503] + counting.statuses[429]
    assert faults > 0
    assert done == {"create": 40, "trigger": 30, "update": 10, "read": 120}
    fault_report.append(
        f"{OPERATIONS} operations through TasksService ({done['create']} creates, "
        f"{done['trigger']} triggers, {done['update']} updates, {done['read']} reads) at fault "
        f"rate {FAULT_RATE}: {counting.requests} HTTP requests, {faults} faults injected "
        f"({counting.statuses[503]} x 503, {counting.statuses[429]} x 429), "
        f"{len(waits)} retry waits asked for ({sum(waits):.1f}s, not slept); "
        f"0 lost, 0 duplicated"
    )


def _run_cli(
    args: list[str], env: dict[str, str], timeout: float = 90
) -> tuple[int, str, str, float]:
    start = time.monotonic()
    done = subprocess.run(
        [*ax_tasks(), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr, time.monotonic() - start


def _one_clear_line(stderr: str) -> str:
    """The one error line (``ax-tasks: error: ...``, or the JSON error object that the CLI
    writes when nobody watches a terminal); its message."""
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    # Retries announce themselves first ("ax-tasks: GET ...: no answer in 1 s; retrying ...").
    lines = [line for line in lines if not line.startswith("ax-tasks: GET ")]
    assert len(lines) == 1, stderr
    if lines[0].startswith("{"):
        error = json.loads(lines[0])["error"]
        assert isinstance(error["exit_code"], int)
        assert error["kind"] != "internal_error", error
        message: str = error["message"]
        return message
    assert lines[0].startswith("ax-tasks: error: "), stderr
    return lines[0]


#: A hung server is given up on after 0.5 s per attempt and 1 s of retry waits in all, so each
#: test below takes seconds, not the ~8 s of the defaults' shape at a 1 s timeout.
_SHORT_PATIENCE = {"AX_TASKS_READ_TIMEOUT": "0.5", "AX_TASKS_RETRY_BUDGET": "1"}


def test_hung_server_makes_a_read_fail_within_its_timeout_with_a_clear_message(
    served: ServedSandbox, tmp_path: Path, fault_report: list[str]
) -> None:
    served.start("--hang")
    env = cli_env(tmp_path, ARIZE_API_KEY=KEY, **_SHORT_PATIENCE)
    code, out, err, elapsed = _run_cli(
        ["--base-url", served.url, "get-run", "VGFza1J1bjo5OTpxUndY"], env
    )
    assert code == 1
    assert out == ""
    line = _one_clear_line(err)
    assert "did not answer in time" in line
    assert "AX_TASKS_READ_TIMEOUT" in line
    # Attempts of 0.5 s within a 1 s retry budget, never the 30 s default or forever.
    assert 0.5 <= elapsed < 10.0
    fault_report.append(f"hung server, read (get-run): exit {code} after {elapsed:.1f}s")


def test_hung_server_makes_a_create_fail_saying_the_outcome_is_unknown(
    served: ServedSandbox, tmp_path: Path, fault_report: list[str]
) -> None:
    served.start("--hang")
    ids = _space_ids(served.db, "demo")
    env = cli_env(tmp_path, ARIZE_API_KEY=KEY, **_SHORT_PATIENCE)
    evaluators = json.dumps([{"evaluator_id": ids["evaluator"]}])
    args = ["--base-url", served.url, "create", "--name", "hung-create"]
    args += ["--task-type", "template_evaluation", "--project", ids["project"]]
    args += ["--evaluators", evaluators]
    code, out, err, elapsed = _run_cli(args, env)
    assert code == 1
    assert out == ""
    line = _one_clear_line(err)
    assert "may or may not have taken effect" in line
    assert "hung-create" in line
    assert elapsed < 30.0
    fault_report.append(f"hung server, write (create): exit {code} after {elapsed:.1f}s")


def _stream_lines(stream: IO[str], sink: queue.Queue[str]) -> None:
    for line in stream:
        sink.put(line)


def _wait_for_line(lines: queue.Queue[str], needle: str, timeout: float) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.1)
        except queue.Empty:
            continue
        seen.append(line)
        if needle in line:
            return seen
    raise AssertionError(f"no line with {needle!r} within {timeout:g}s: {seen}")


def _make_run(url: str, db: Path, seconds_from_now: float) -> str:
    """A task and a run of it that ends COMPLETED ``seconds_from_now`` from now."""
    with httpx.Client(base_url=url, headers=AUTH, timeout=30) as client:
        spaces = client.get("/v2/spaces", params={"name": "demo"}).json()["spaces"]
        space_id = next(s["id"] for s in spaces if s["name"] == "demo")
        projects = client.get("/v2/projects", params={"space_id": space_id, "name": "chatbot"})
        evaluators = client.get(
            "/v2/evaluators", params={"space_id": space_id, "name": "hallucination"}
        )
        task = client.post(
            "/v2/tasks",
            json={
                "name": "killed-wait",
                "type": "TEMPLATE_EVALUATION",
                "project_id": projects.json()["projects"][0]["id"],
                "evaluators": [{"evaluator_id": evaluators.json()["evaluators"][0]["id"]}],
            },
        )
        task.raise_for_status()
        now = datetime.now(UTC)
        run = client.post(
            f"/v2/tasks/{task.json()['id']}/trigger",
            json={
                "data_start_time": (now - timedelta(hours=1)).isoformat(),
                "data_end_time": now.isoformat(),
            },
        )
        run.raise_for_status()
    run_id: str = run.json()["id"]
    with closing(sqlite3.connect(db, timeout=30)) as conn, conn:
        plan_text, created = conn.execute(
            "SELECT plan, created_at FROM task_runs WHERE id = ?", (_number(run_id),)
        ).fetchone()
        plan = json.loads(plan_text)
        length = time.time() + seconds_from_now - created
        plan.update(pending=0.5, duration=length - 0.5, outcome="COMPLETED", failure_reason=None)
        conn.execute(
            "UPDATE task_runs SET plan = ? WHERE id = ?", (json.dumps(plan), _number(run_id))
        )
    return run_id


def test_server_killed_during_a_wait_gives_a_clear_error_and_the_wait_finishes_after_restart(
    served: ServedSandbox, tmp_path: Path, fault_report: list[str]
) -> None:
    served.start()
    run_id = _make_run(served.url, served.db, seconds_from_now=6.0)
    env = cli_env(tmp_path, ARIZE_API_KEY=KEY)
    waiter = subprocess.Popen(
        [*ax_tasks(), "-v", "--base-url", served.url, "wait-for-run", run_id, "--timeout", "120"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert waiter.stderr is not None
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=_stream_lines, args=(waiter.stderr, lines), daemon=True).start()
        _wait_for_line(lines, "/v2/task-runs/", timeout=60)  # it has polled at least once

        served.kill()
        code, out, err, _ = _run_cli(["--base-url", served.url, "get-run", run_id], env)
        assert code == 1
        assert out == ""
        assert "Could not connect" in _one_clear_line(err)
        code, out, err, _ = _run_cli(
            ["--base-url", served.url, "wait-for-run", run_id, "--timeout", "1"], env
        )
        assert code in (1, 7)
        assert out == ""
        assert "Could not connect" in _one_clear_line(err)
        assert waiter.poll() is None  # the first wait rides the outage out

        served.restart()
        out_text, _ = waiter.communicate(timeout=90)
        assert waiter.returncode == 0
        assert json.loads(out_text)["status"] == "COMPLETED"
        assert KEY not in out_text
    finally:
        if waiter.poll() is None:
            waiter.kill()
            waiter.wait(timeout=10)
    code, out, err, _ = _run_cli(["--base-url", served.url, "wait-for-run", run_id], env)
    assert code == 0, err
    assert json.loads(out)["id"] == run_id
    fault_report.append(
        "server killed during wait-for-run: get-run and a short wait failed with "
        "'Could not connect'; the running wait finished COMPLETED after the restart"
    )


def test_the_service_layer_raises_only_its_own_errors_when_the_server_is_gone(
    served: ServedSandbox,
) -> None:
    served.start()
    url = served.url
    served.stop()
    settings = Settings(api_key=KEY, base_url=url, max_retries=1)
    with (
        TasksService.from_settings(settings, sleep=lambda _: None) as service,
        pytest.raises(AxTasksError, match="Could not connect"),
    ):
        service.list_tasks(space="demo")

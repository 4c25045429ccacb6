"""Runs that live: planned once when created, then read as a function of time.

When a run is created its whole future is decided and stored as a plan: how long it stays
PENDING, how long it runs, how many items it processes, skips and fails, and how it ends. Its
status and counters at any moment are computed from the plan and the clock, so no daemon is
needed and separate processes see the same run progress. A cancel only records when it happened.

Continuous tasks and the evaluation tasks chained after an experiment get their runs lazily: a
request first materialises whatever became due since the last one (see ``materialise``).
"""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass
from typing import Any

from .problems import bad_request
from .run_plans import (
    RUN_EXPERIMENT,
    TriggerParams,
    plan_dataset,
    plan_experiment,
    plan_project,
    provision_experiment,
)
from .store import next_id
from .workload import DAY

__all__ = [
    "CONTINUOUS_INTERVAL",
    "MAX_WINDOW",
    "RunState",
    "TriggerParams",
    "cancel",
    "create_run",
    "materialise",
    "resolve_window",
    "state",
    "status_at",
]

PENDING_SECONDS = 1.0
CONTINUOUS_INTERVAL = 600.0
MAX_WINDOW = 30 * DAY
TERMINAL = frozenset({"COMPLETED", "FAILED", "CANCELLED"})


@dataclass(frozen=True)
class RunState:
    """A run as it is at one moment (times in epoch seconds)."""

    status: str
    run_started_at: float | None
    run_finished_at: float | None
    data_start: float | None
    data_end: float | None
    num_successes: int
    num_errors: int
    num_skipped: int
    experiment_id: int | None
    failure_reason: str | None


# ------------------------------------------------------------------ reading a run


def state(row: sqlite3.Row, now: float) -> RunState:
    return state_of(row["plan"], row["created_at"], row["cancelled_at"], now)


def status_at(plan_json: str, created_at: float, cancelled_at: float | None, now: float) -> str:
    """The status of a run at `now`, from its task_runs columns: the SQL function run_status,
    so a list filters by status in its WHERE clause exactly as `state` reports it."""
    return state_of(plan_json, created_at, cancelled_at, now).status


def state_of(plan_json: str, created_at: float, cancelled_at: float | None, now: float) -> RunState:
    """A run at `now`, from the plan, created_at and cancelled_at columns of its row."""
    plan: dict[str, Any] = json.loads(plan_json)
    start = created_at + plan["pending"]
    end = start + plan["duration"]
    cancelled = cancelled_at
    reason: str | None = None
    started: float | None = start
    finished: float | None = None
    if cancelled is not None and cancelled < end:
        status = "CANCELLED"
        finished = cancelled
        started = start if cancelled >= start else None
        progress = _clamp((cancelled - start) / plan["duration"]) if started is not None else 0.0
        reason = "Cancelled by user."
    elif now < start:
        status, started, progress = "PENDING", None, 0.0
    elif now < end:
        status, progress = "RUNNING", _clamp((now - start) / plan["duration"])
    else:
        status, finished, progress = plan["outcome"], end, 1.0
        reason = plan["failure_reason"]
    reach = plan["reach"] * progress
    done = math.floor(plan["total"] * reach)
    errors = min(done, math.floor(plan["errors"] * reach))
    began = started is not None
    experiment = plan.get("experiment_id") if began else None
    return RunState(
        status=status,
        run_started_at=started,
        run_finished_at=finished,
        data_start=plan["data_start"],
        data_end=plan["data_end"],
        num_successes=done - errors,
        num_errors=errors,
        num_skipped=plan["skipped"] if began else 0,
        experiment_id=experiment,
        failure_reason=reason,
    )


def _clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


def end_time(row: sqlite3.Row) -> float:
    plan = json.loads(row["plan"])
    return float(row["created_at"] + plan["pending"] + plan["duration"])


def cancel(conn: sqlite3.Connection, row: sqlite3.Row, now: float) -> None:
    """Record a cancel; 400 when the run already finished."""
    current = state(row, now)
    if current.status in TERMINAL:
        raise bad_request(
            f"The run is already {current.status}; only PENDING or RUNNING runs can be cancelled."
        )
    conn.execute("UPDATE task_runs SET cancelled_at = ? WHERE id = ?", (now, row["id"]))
    plan = json.loads(row["plan"])
    if plan.get("experiment_id") is not None and current.status == "PENDING":
        # Never provisioned: the experiment disappears and its name is free again.
        conn.execute("DELETE FROM experiments WHERE id = ?", (plan["experiment_id"],))


# ------------------------------------------------------------------ creating a run


def resolve_window(
    conn: sqlite3.Connection, task_id: int, params: TriggerParams, now: float
) -> tuple[float, float]:
    """The data window of a project task's run, with the service's defaults and limits."""
    end = params.data_end if params.data_end is not None else now
    start = params.data_start
    if start is None:
        last = conn.execute(
            "SELECT plan FROM task_runs WHERE task_id = ? "
            "ORDER BY created_at DESC, id DESC LIMIT 1",
            (task_id,),
        ).fetchone()
        if last is not None:
            start = json.loads(last["plan"])["data_end"]
        if start is None:
            raise bad_request(
                "data_start_time is required on the first run of a project task "
                "(later runs default to the end of the previous run's window)."
            )
    if start >= end:
        raise bad_request("data_start_time must be before data_end_time.")
    if end - start > MAX_WINDOW:
        days = (end - start) / DAY
        raise bad_request(
            f"The data window spans {days:.1f} days; it may span at most 30 days. "
            "Narrow it with data_start_time and data_end_time."
        )
    return start, end


def create_run(
    conn: sqlite3.Connection,
    task_id: int,
    params: TriggerParams,
    *,
    created_at: float,
    created_by: int | None,
    speed: float,
    slot: int | None = None,
) -> int:
    """Plan and store a run of the task; returns its number. Raises ApiError (400/409)."""
    task = conn.execute("SELECT * FROM tasks WHERE id = ?", (task_id,)).fetchone()
    assert task is not None
    config: dict[str, Any] = json.loads(task["config"])
    if task["type"] == RUN_EXPERIMENT:
        plan = plan_experiment(conn, task, config, params, created_at)
    elif task["project_id"] is not None:
        plan = plan_project(conn, task, config, params, created_at)
    else:
        plan = plan_dataset(conn, task, config, params, created_at)
    plan["pending"] = PENDING_SECONDS / speed
    plan["duration"] = plan.pop("work_seconds") / speed
    run_id = next_id(conn, "task_runs")
    conn.execute(
        "INSERT INTO task_runs (id, task_id, plan, slot, cancelled_at, created_by, created_at) "
        "VALUES (?, ?, ?, ?, NULL, ?, ?)",
        (run_id, task_id, json.dumps(plan), slot, created_by, created_at),
    )
    if task["type"] == RUN_EXPERIMENT and params.experiment_name is not None:
        experiment_id = provision_experiment(conn, task, config, plan, params, run_id, created_at)
        plan["experiment_id"] = experiment_id
        conn.execute("UPDATE task_runs SET plan = ? WHERE id = ?", (json.dumps(plan), run_id))
    conn.execute(
        "UPDATE tasks SET last_run_at = MAX(COALESCE(last_run_at, 0), ?) WHERE id = ?",
        (created_at, task_id),
    )
    return run_id


# ------------------------------------------------------------------ runs nobody triggered


def materialise(conn: sqlite3.Connection, now: float, speed: float, *, apply: bool) -> bool:
    """Create the runs that became due: continuous slots and chained evaluation runs.

    With apply=False only report whether anything is due (a cheap read), so a request can take
    the write lock only when needed. Idempotent: slots are unique per task, chained runs are
    flagged done in the same transaction.
    """
    due = False
    interval = CONTINUOUS_INTERVAL / speed
    for task in conn.execute(
        "SELECT id, continuous_since AS since FROM tasks "
        "WHERE continuous_since IS NOT NULL AND project_id IS NOT NULL"
    ).fetchall():
        since = task["since"]
        base = _slot_key(since, 0)
        k_now = math.floor((now - since) / interval)
        last = conn.execute(
            "SELECT MAX(slot) FROM task_runs WHERE task_id = ? AND slot BETWEEN ? AND ?",
            (task["id"], base, base + _SLOTS_PER_EPOCH - 1),
        ).fetchone()[0]
        k_last = 0 if last is None else last - base
        if k_now < 1 or k_last >= k_now:
            continue
        due = True
        if not apply:
            return True
        for k in range(max(k_last + 1, k_now - 2, 1), k_now + 1):
            slot_time = since + k * interval
            create_run(
                conn,
                task["id"],
                TriggerParams(data_start=slot_time - interval, data_end=slot_time),
                created_at=slot_time,
                created_by=None,
                speed=speed,
                slot=_slot_key(since, k),
            )
    for row in conn.execute(
        "SELECT * FROM task_runs WHERE json_extract(plan, '$.followups_pending') = 1"
    ).fetchall():
        finished = end_time(row)
        if finished > now:
            continue
        due = True
        if not apply:
            return True
        plan = json.loads(row["plan"])
        plan["followups_pending"] = 0
        conn.execute("UPDATE task_runs SET plan = ? WHERE id = ?", (json.dumps(plan), row["id"]))
        if state(row, now).status != "COMPLETED":
            continue
        for task_id in plan["followups"]:
            exists = conn.execute("SELECT 1 FROM tasks WHERE id = ?", (task_id,)).fetchone()
            if exists is not None:
                create_run(
                    conn,
                    task_id,
                    TriggerParams(experiment_ids=(plan["experiment_id"],)),
                    created_at=finished,
                    created_by=row["created_by"],
                    speed=speed,
                )
    return due


_SLOTS_PER_EPOCH = 10**9


def _slot_key(since: float, k: int) -> int:
    """A continuous run's slot: the k-th interval since continuity was (last) switched on."""
    return math.floor(since) * _SLOTS_PER_EPOCH + k

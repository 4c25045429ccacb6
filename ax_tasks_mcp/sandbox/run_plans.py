"""What a triggered run will do, decided once when it is created: its plan, per kind of task.

A project task labels the spans of its window (skipping those it already labelled unless told to
override), a dataset task the examples of its experiments, a run-experiment task runs a dataset's
examples through its model and provisions the experiment it creates.  ``runs.py`` stores the plan
and reads the run from it as time passes.
"""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass
from typing import Any

from . import ids, workload
from .problems import bad_request, conflict
from .store import next_id

DEFAULT_MAX_SPANS = 10_000
RUN_EXPERIMENT = "RUN_EXPERIMENT"


@dataclass(frozen=True)
class TriggerParams:
    """A trigger's body with IDs decoded to row numbers; None means not given."""

    data_start: float | None = None
    data_end: float | None = None
    max_spans: int | None = None
    override: bool = False
    experiment_ids: tuple[int, ...] | None = None
    experiment_name: str | None = None
    dataset_version_id: int | None = None
    example_ids: tuple[str, ...] | None = None
    max_examples: int | None = None
    query_filter: str | None = None
    evaluation_task_ids: tuple[int, ...] = ()


def _plan(
    *,
    total: int,
    errors: int = 0,
    skipped: int = 0,
    work_seconds: float,
    outcome: str = "COMPLETED",
    failure_reason: str | None = None,
    reach: float = 1.0,
    data_start: float | None = None,
    data_end: float | None = None,
) -> dict[str, Any]:
    return {
        "total": total,
        "errors": errors,
        "skipped": skipped,
        "work_seconds": work_seconds,
        "outcome": outcome,
        "failure_reason": failure_reason,
        "reach": reach,
        "data_start": data_start,
        "data_end": data_end,
        "experiment_id": None,
        "experiment_ids": [],
        "followups": [],
        "followups_pending": 0,
    }


def _nothing_new(noun: str, already: int, where: str) -> str:
    return (
        f"All {already} {noun} {where} already have evaluations from this task, so there is "
        "nothing new to label. Re-trigger with override_evaluations=true to evaluate them again."
    )


def _broken_evaluator(conn: sqlite3.Connection, config: dict[str, Any]) -> str | None:
    """The failure of the first evaluator that fails when run at the configured version."""
    for entry in config.get("evaluators", []):
        number = ids.number_of(entry["evaluator_id"], ids.EVALUATOR)
        row = conn.execute(
            "SELECT failure, (SELECT MAX(id) FROM evaluator_versions v WHERE v.evaluator_id = e.id)"
            " AS latest FROM evaluators e WHERE id = ?",
            (number,),
        ).fetchone()
        if row is None or row["failure"] is None:
            continue
        pin = entry.get("evaluator_version_id")
        pinned = ids.number_of(pin, ids.EVALUATOR_VERSION) if pin else None
        if pinned is None or pinned == row["latest"]:
            return str(row["failure"])
    return None


def _labelled_runs(conn: sqlite3.Connection, task_id: int) -> list[dict[str, Any]]:
    """Plans of the task's runs that labelled (or are labelling) their items."""
    plans = []
    for row in conn.execute(
        "SELECT plan, created_at, cancelled_at FROM task_runs WHERE task_id = ?", (task_id,)
    ):
        plan = json.loads(row["plan"])
        if plan["outcome"] != "COMPLETED":
            continue
        end = row["created_at"] + plan["pending"] + plan["duration"]
        if row["cancelled_at"] is not None and row["cancelled_at"] < end:
            continue
        plans.append(plan)
    return plans


def _filter_text(config: dict[str, Any]) -> str | None:
    if config.get("query_filter"):
        return str(config["query_filter"])
    filters = config.get("query_filters")
    if filters:
        return " ".join(f["filter"] for f in filters["filters"]) + str(filters.get("expression"))
    return None


def plan_project(
    conn: sqlite3.Connection,
    task: sqlite3.Row,
    config: dict[str, Any],
    params: TriggerParams,
    now: float,
) -> dict[str, Any]:
    start, end = params.data_start, params.data_end
    assert start is not None
    assert end is not None
    project = conn.execute("SELECT * FROM projects WHERE id = ?", (task["project_id"],)).fetchone()
    pid, rate, born = project["id"], project["spans_per_hour"], project["created_at"]
    spans = workload.span_count(pid, rate, born, start, end, now)
    sampling = config.get("sampling_rate")
    share = (1.0 if sampling is None else float(sampling)) * workload.filter_share(
        _filter_text(config)
    )
    covered = workload.merge_windows(
        (p["data_start"], p["data_end"]) for p in _labelled_runs(conn, task["id"])
    )
    already = sum(
        workload.span_count(pid, rate, born, lo, hi, now)
        for lo, hi in workload.overlap((start, end), covered)
    )
    sampled = round(spans * share)
    sampled_already = min(sampled, round(already * share))
    new, skipped = (sampled, 0) if params.override else (sampled - sampled_already, sampled_already)
    todo = min(new, params.max_spans or DEFAULT_MAX_SPANS)
    window: dict[str, Any] = {"data_start": start, "data_end": end}
    where = f"in project '{project['name']}' between the window's start and end"
    if spans == 0:
        return _plan(
            total=0,
            work_seconds=1.0,
            outcome="CANCELLED",
            failure_reason=f"No spans {where}; nothing to evaluate. Pick a window with data.",
            **window,
        )
    if sampled == 0:
        return _plan(
            total=0,
            work_seconds=1.0,
            outcome="CANCELLED",
            failure_reason=f"No spans {where} matched the task's filter and sampling rate.",
            **window,
        )
    if todo == 0:
        return _plan(
            total=0,
            work_seconds=1.0,
            outcome="CANCELLED",
            failure_reason=_nothing_new("spans", sampled_already, "in the window"),
            **window,
        )
    work = min(60.0, 3.0 + todo / 200)
    return _finish_eval_plan(conn, task, config, todo, skipped, now, window, work)


def _finish_eval_plan(
    conn: sqlite3.Connection,
    task: sqlite3.Row,
    config: dict[str, Any],
    todo: int,
    skipped: int,
    now: float,
    window: dict[str, Any],
    work: float,
) -> dict[str, Any]:
    failure = _broken_evaluator(conn, config)
    if failure is not None:
        return _plan(
            total=todo,
            errors=round(todo * 0.4),
            skipped=skipped,
            work_seconds=work * 0.35,
            outcome="FAILED",
            failure_reason=failure,
            reach=0.35,
            **window,
        )
    errors = math.floor(todo * workload.error_share(task["id"], now))
    return _plan(total=todo, errors=errors, skipped=skipped, work_seconds=work, **window)


def plan_dataset(
    conn: sqlite3.Connection,
    task: sqlite3.Row,
    config: dict[str, Any],
    params: TriggerParams,
    now: float,
) -> dict[str, Any]:
    if params.experiment_ids is not None:
        wanted = list(dict.fromkeys(params.experiment_ids))
    else:
        wanted = [
            n
            for n in (ids.number_of(e, ids.EXPERIMENT) for e in config["experiment_ids"])
            if n is not None
        ]
    dataset = conn.execute(
        "SELECT name FROM datasets WHERE id = ?", (task["dataset_id"],)
    ).fetchone()
    marks = ",".join("?" * len(wanted))
    sql = (
        "SELECT e.id, e.name, e.dataset_id, e.example_count, d.name AS dataset_name "  # noqa: S608
        "FROM experiments e JOIN datasets d ON d.id = e.dataset_id "
        f"WHERE e.id IN ({marks})"  # only placeholders are interpolated
    )
    rows = {r["id"]: r for r in conn.execute(sql, wanted)}
    for number in wanted:
        row = rows.get(number)
        if row is None:
            plan = _plan(
                total=0,
                work_seconds=2.0,
                outcome="FAILED",
                failure_reason=f"Experiment {ids.encode(ids.EXPERIMENT, number)} no longer exists.",
            )
            plan["experiment_ids"] = wanted
            return plan
        if row["dataset_id"] != task["dataset_id"]:
            plan = _plan(
                total=0,
                work_seconds=2.0,
                outcome="FAILED",
                failure_reason=(
                    f"Experiment '{row['name']}' ({ids.encode(ids.EXPERIMENT, number)}) belongs "
                    f"to dataset '{row['dataset_name']}', not to '{dataset['name']}', the dataset "
                    "of this task. Trigger with experiment_ids of that dataset."
                ),
            )
            plan["experiment_ids"] = wanted
            return plan
    done_before: set[int] = set()
    for plan in _labelled_runs(conn, task["id"]):
        done_before.update(plan["experiment_ids"])
    new = sum(rows[n]["example_count"] for n in wanted if params.override or n not in done_before)
    skipped = (
        0 if params.override else sum(rows[n]["example_count"] for n in wanted if n in done_before)
    )
    todo = min(new, params.max_spans or DEFAULT_MAX_SPANS)
    if todo == 0:
        plan = _plan(
            total=0,
            work_seconds=1.0,
            outcome="CANCELLED",
            failure_reason=_nothing_new("experiment results", skipped, "of these experiments"),
        )
    else:
        work = min(60.0, 3.0 + todo / 20)
        plan = _finish_eval_plan(conn, task, config, todo, skipped, now, {}, work)
    plan["experiment_ids"] = wanted
    return plan


def plan_experiment(
    conn: sqlite3.Connection,
    task: sqlite3.Row,
    config: dict[str, Any],
    params: TriggerParams,
    now: float,
) -> dict[str, Any]:
    if params.experiment_name is None:
        raise bad_request("experiment_name is required to trigger a RUN_EXPERIMENT task.")
    taken = conn.execute(
        "SELECT 1 FROM experiments WHERE dataset_id = ? AND name = ?",
        (task["dataset_id"], params.experiment_name),
    ).fetchone()
    if taken is not None:
        raise conflict(
            f"An experiment named '{params.experiment_name}' already exists in this dataset; "
            "experiment names are unique within a dataset. Choose another experiment_name."
        )
    if params.dataset_version_id is not None:
        version = conn.execute(
            "SELECT * FROM dataset_versions WHERE id = ?", (params.dataset_version_id,)
        ).fetchone()
    else:
        version = conn.execute(
            "SELECT * FROM dataset_versions WHERE dataset_id = ? ORDER BY id DESC LIMIT 1",
            (task["dataset_id"],),
        ).fetchone()
    count = version["example_count"]
    skipped = 0
    reason = None
    if params.example_ids is not None:
        valid = set(workload.example_ids(task["dataset_id"], count))
        asked = list(dict.fromkeys(params.example_ids))
        chosen = [e for e in asked if e in valid]
        skipped = len(asked) - len(chosen)
        count = len(chosen)
        if count == 0:
            reason = (
                f"None of the {len(asked)} example_ids are in version '{version['name']}' of "
                "the dataset; nothing to run."
            )
    if params.query_filter and count:
        count = round(count * workload.filter_share(params.query_filter))
        if count == 0:
            reason = "No examples matched query_filter; nothing to run."
    if params.max_examples is not None:
        count = min(count, params.max_examples)
    plan = _plan(
        total=count,
        errors=math.floor(count * workload.error_share(task["id"], now, "experiment")),
        skipped=skipped,
        work_seconds=min(60.0, 3.0 + count / 4),
    )
    if reason is not None:
        plan.update(outcome="FAILED", failure_reason=reason, work_seconds=2.0)
    plan["dataset_version_id"] = version["id"]
    if params.evaluation_task_ids and reason is None:
        plan["followups"] = list(params.evaluation_task_ids)
        plan["followups_pending"] = 1
    return plan


def provision_experiment(
    conn: sqlite3.Connection,
    task: sqlite3.Row,
    config: dict[str, Any],
    plan: dict[str, Any],
    params: TriggerParams,
    run_id: int,
    created_at: float,
) -> int:
    run_config = config.get("run_configuration") or {}
    integration = run_config.get("ai_integration_id") or run_config.get("integration_id")
    integration_number = ids.number_of(integration, ids.INTEGRATION) if integration else None
    visible = created_at + plan["pending"]
    experiment_id = next_id(conn, "experiments")
    conn.execute(
        "INSERT INTO experiments (id, space_id, dataset_id, dataset_version_id, name,"
        " example_count, traces_project_id, integration_id, run_id, visible_from, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)",
        (
            experiment_id,
            task["space_id"],
            task["dataset_id"],
            plan["dataset_version_id"],
            params.experiment_name,
            plan["total"],
            integration_number,
            run_id,
            visible,
            visible,
            visible + plan["duration"],
        ),
    )
    return experiment_id

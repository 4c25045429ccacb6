"""Task runs: trigger, list, get, cancel."""

from __future__ import annotations

import sqlite3
from typing import Any

from . import ids, render, runs
from .clock import parse
from .context import Context, check_id, lookup
from .pagination import fetch_page
from .problems import bad_request, unprocessable
from .tasks_api import RUN_EXPERIMENT, Result, check_fit, task_row

TRIGGER_SCHEMAS = {
    RUN_EXPERIMENT: "TriggerRunExperimentTaskRunRequest",
    "TEMPLATE_EVALUATION": "TriggerEvaluationTaskRunRequest",
    "CODE_EVALUATION": "TriggerEvaluationTaskRunRequest",
}


def trigger_task_run(ctx: Context) -> Result:
    body: dict[str, Any] = ctx.body if ctx.body is not None else {}
    if not isinstance(body, dict):
        ctx.spec.check(ctx.op.body_pointer or "", body, "body")
    with ctx.store.write() as conn:
        task = task_row(conn, ctx)
        kind = task["type"]
        check_fit(ctx, kind, TRIGGER_SCHEMAS[kind], body)
        if kind == RUN_EXPERIMENT:
            params = _experiment_params(conn, task, body)
        elif task["project_id"] is not None:
            params = _project_params(conn, task, body, ctx.now)
        else:
            params = _dataset_params(conn, body)
        run_id = runs.create_run(
            conn, task["id"], params, created_at=ctx.now, created_by=ctx.user, speed=ctx.speed
        )
        row = conn.execute("SELECT * FROM task_runs WHERE id = ?", (run_id,)).fetchone()
        return 201, render.task_run(row, ctx.now)


def _project_params(
    conn: sqlite3.Connection, task: sqlite3.Row, body: dict[str, Any], now: float
) -> runs.TriggerParams:
    if "experiment_ids" in body:
        raise bad_request(
            "experiment_ids apply to dataset tasks; this task scores a project's spans. "
            "Use data_start_time and data_end_time."
        )
    asked = runs.TriggerParams(
        data_start=parse(body["data_start_time"]) if "data_start_time" in body else None,
        data_end=parse(body["data_end_time"]) if "data_end_time" in body else None,
    )
    start, end = runs.resolve_window(conn, task["id"], asked, now)
    return runs.TriggerParams(
        data_start=start,
        data_end=end,
        max_spans=body.get("max_spans"),
        override=bool(body.get("override_evaluations", False)),
    )


def _dataset_params(conn: sqlite3.Connection, body: dict[str, Any]) -> runs.TriggerParams:
    experiments: tuple[int, ...] | None = None
    if "experiment_ids" in body:
        values = body["experiment_ids"]
        if not values:
            raise bad_request("experiment_ids, when given, needs at least one experiment.")
        for i, value in enumerate(values):
            check_id(value, f"experiment_ids[{i}]")
        experiments = tuple(
            lookup(conn, v, ids.EXPERIMENT, f"experiment_ids[{i}]", status=422)["id"]
            for i, v in enumerate(values)
        )
    return runs.TriggerParams(
        experiment_ids=experiments,
        max_spans=body.get("max_spans"),
        override=bool(body.get("override_evaluations", False)),
    )


def _experiment_params(
    conn: sqlite3.Connection, task: sqlite3.Row, body: dict[str, Any]
) -> runs.TriggerParams:
    if "example_ids" in body and "max_examples" in body:
        raise bad_request("example_ids and max_examples are mutually exclusive; give one.")
    if "dataset_version_id" in body:
        check_id(body["dataset_version_id"], "dataset_version_id")
    for i, value in enumerate(body.get("evaluation_task_ids", [])):
        check_id(value, f"evaluation_task_ids[{i}]")
    version = None
    if "dataset_version_id" in body:
        row = lookup(
            conn, body["dataset_version_id"], ids.DATASET_VERSION, "dataset_version_id", status=422
        )
        if row["dataset_id"] != task["dataset_id"]:
            raise unprocessable(
                "dataset_version_id: that version belongs to another dataset than the task's."
            )
        version = row["id"]
    followups = []
    for i, value in enumerate(body.get("evaluation_task_ids", [])):
        where = f"evaluation_task_ids[{i}]"
        other = lookup(conn, value, ids.TASK, where, status=422)
        if other["type"] == RUN_EXPERIMENT or other["dataset_id"] != task["dataset_id"]:
            raise unprocessable(
                f"{where}: task '{other['name']}' is not an evaluation task over this dataset, "
                "so it cannot score the experiment."
            )
        followups.append(other["id"])
    return runs.TriggerParams(
        experiment_name=body["experiment_name"],
        dataset_version_id=version,
        example_ids=tuple(body["example_ids"]) if "example_ids" in body else None,
        max_examples=body.get("max_examples"),
        query_filter=body.get("query_filter"),
        evaluation_task_ids=tuple(followups),
    )


def list_task_runs(ctx: Context) -> Result:
    """Newest first. The status depends on the clock, so the status filter is the SQL function
    run_status (runs.status_at); the runs nobody triggered were materialised before the handler
    ran (Sandbox._materialise), so the page sees them."""
    p = ctx.params
    with ctx.store.read() as conn:
        task = task_row(conn, ctx)
        where = ["task_id = ?"]
        args: list[Any] = [task["id"]]
        if p.get("status") is not None:
            conn.create_function("run_status", 4, runs.status_at, deterministic=True)
            where.append("run_status(plan, created_at, cancelled_at, ?) = ?")
            args += [ctx.now, p["status"]]
        rows, pagination = fetch_page(
            conn,
            "SELECT * FROM task_runs",
            where,
            args,
            scope="task_runs",
            key="id",
            limit=p["limit"],
            cursor=p.get("cursor"),
            descending=True,
        )
        items = [render.task_run(r, ctx.now) for r in rows]
        return 200, {"task_runs": items, "pagination": pagination}


def _run_row(conn: sqlite3.Connection, ctx: Context) -> sqlite3.Row:
    return lookup(conn, ctx.params["run_id"], ids.TASK_RUN, "run_id")


def get_task_run(ctx: Context) -> Result:
    with ctx.store.read() as conn:
        return 200, render.task_run(_run_row(conn, ctx), ctx.now)


def cancel_task_run(ctx: Context) -> Result:
    with ctx.store.write() as conn:
        row = _run_row(conn, ctx)
        runs.cancel(conn, row, ctx.now)
        fresh = conn.execute("SELECT * FROM task_runs WHERE id = ?", (row["id"],)).fetchone()
        return 200, render.task_run(fresh, ctx.now)

"""Tasks: list, create, get, update, delete."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from . import ids, render, task_rules
from .context import Context, check_id, contains_filter, lookup, space_name_filter
from .pagination import fetch_page
from .problems import bad_request, unprocessable
from .store import next_id

Result = tuple[int, Any]

RUN_EXPERIMENT = task_rules.RUN_EXPERIMENT
UPDATE_SCHEMAS = {
    RUN_EXPERIMENT: "UpdateRunExperimentTaskRequest",
    "TEMPLATE_EVALUATION": "UpdateEvaluationTaskRequest",
    "CODE_EVALUATION": "UpdateEvaluationTaskRequest",
}


def task_row(conn: sqlite3.Connection, ctx: Context) -> sqlite3.Row:
    return lookup(conn, ctx.params["task_id"], ids.TASK, "task_id")


def check_fit(ctx: Context, task_type: str, component: str, body: dict[str, Any]) -> None:
    """400 naming the fields that do not fit the task's type, and listing those that do."""
    allowed = ctx.spec.properties_of(component)
    extra = [key for key in body if key not in allowed]
    if extra:
        raise bad_request(
            f"{', '.join(extra)} {'does' if len(extra) == 1 else 'do'} not fit a {task_type} "
            f"task; the fields that do are: {', '.join(allowed)}."
        )
    ctx.spec.check(ctx.op.body_pointer or "", body, "body")
    ctx.spec.check(ctx.spec.component_pointer(component), body, "body")


def list_tasks(ctx: Context) -> Result:
    """Newest first (by row number); every filter is in the SQL, so a page reads limit + 1 rows."""
    p = ctx.params
    with ctx.store.read() as conn:
        where: list[str] = []
        args: list[Any] = []
        for key, type_name, column in (
            ("space_id", ids.SPACE, "t.space_id"),
            ("project_id", ids.PROJECT, "t.project_id"),
            ("dataset_id", ids.DATASET, "t.dataset_id"),
        ):
            if key in p:
                where.append(f"{column} = ?")
                args.append(lookup(conn, p[key], type_name, key)["id"])
        if "type" in p:
            where.append("t.type = ?")
            args.append(p["type"])
        contains_filter("t.name", p.get("name"), where, args)
        space_name_filter("t.space_id", p.get("space_name"), where, args)
        rows, pagination = fetch_page(
            conn,
            "SELECT t.* FROM tasks t",
            where,
            args,
            scope="tasks",
            key="t.id",
            limit=p["limit"],
            cursor=p.get("cursor"),
            descending=True,
        )
        return 200, {"tasks": [render.task(conn, r) for r in rows], "pagination": pagination}


def get_task(ctx: Context) -> Result:
    with ctx.store.read() as conn:
        return 200, render.task(conn, task_row(conn, ctx))


def delete_task(ctx: Context) -> Result:
    with ctx.store.write() as conn:
        row = task_row(conn, ctx)
        conn.execute("DELETE FROM task_runs WHERE task_id = ?", (row["id"],))
        conn.execute("DELETE FROM tasks WHERE id = ?", (row["id"],))
    return 204, None


def create_task(ctx: Context) -> Result:
    body: dict[str, Any] = ctx.body
    kind = body["type"]
    config, project_ref, dataset_ref = _config_from_create(body)
    with ctx.store.write() as conn:
        project = dataset = None
        if project_ref is not None:
            project = lookup(conn, project_ref, ids.PROJECT, "project_id", status=422)
        if dataset_ref is not None:
            dataset = lookup(conn, dataset_ref, ids.DATASET, "dataset_id", status=422)
        owner = project if project is not None else dataset
        assert owner is not None
        space_id = owner["space_id"]
        if kind == RUN_EXPERIMENT:
            config["run_configuration"] = task_rules.resolve_run_configuration(
                conn, body["run_configuration"]
            )
        else:
            if dataset is not None:
                config["experiment_ids"] = task_rules.resolve_experiments(
                    conn, config["experiment_ids"], dataset["id"]
                )
            task_rules.resolve_evaluators(conn, config, space_id)
        _check_name_free(conn, space_id, body["name"], None)
        continuous = ctx.now if config.get("is_continuous") else None
        task_id = next_id(conn, "tasks")
        conn.execute(
            "INSERT INTO tasks (id, space_id, name, type, project_id, dataset_id, config, "
            "continuous_since, last_run_at, created_by, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
            (
                task_id,
                space_id,
                body["name"],
                kind,
                project["id"] if project is not None else None,
                dataset["id"] if dataset is not None else None,
                json.dumps(config),
                continuous,
                ctx.user,
                ctx.now,
                ctx.now,
            ),
        )
        row = conn.execute("SELECT * FROM tasks WHERE id = ?", (task_id,)).fetchone()
        return 201, render.task(conn, row)


def _blank_config() -> dict[str, Any]:
    return {
        "sampling_rate": None,
        "is_continuous": False,
        "query_filter": None,
        "query_filters": None,
        "experiment_ids": [],
        "evaluators": [],
        "run_configuration": None,
    }


def _config_from_create(body: dict[str, Any]) -> tuple[dict[str, Any], str | None, str | None]:
    """The stored configuration, and the project and dataset references; 400s only."""
    config = _blank_config()
    if body["type"] == RUN_EXPERIMENT:
        check_id(body["dataset_id"], "dataset_id")
        task_rules.check_run_configuration_ids(body["run_configuration"])
        return config, None, body["dataset_id"]
    project_ref, dataset_ref = body.get("project_id"), body.get("dataset_id")
    if (project_ref is None) == (dataset_ref is None):
        raise bad_request(
            "Give exactly one of project_id (score a project's spans) and dataset_id "
            "(score a dataset's experiments)."
        )
    if project_ref is not None:
        check_id(project_ref, "project_id")
        if body.get("experiment_ids"):
            raise bad_request(
                "experiment_ids apply to dataset tasks; leave them out with project_id."
            )
        config["sampling_rate"] = body.get("sampling_rate", 1.0)
        config["is_continuous"] = body.get("is_continuous", False)
    else:
        assert dataset_ref is not None
        check_id(dataset_ref, "dataset_id")
        if not body.get("experiment_ids"):
            raise bad_request("A dataset task needs at least one entry in experiment_ids.")
        for field in ("sampling_rate", "is_continuous"):
            if field in body and (field != "is_continuous" or body[field]):
                raise bad_request(f"{field} applies to project tasks only, not with dataset_id.")
        for i, value in enumerate(body["experiment_ids"]):
            check_id(value, f"experiment_ids[{i}]")
        config["experiment_ids"] = list(body["experiment_ids"])
    config["query_filter"] = body.get("query_filter")
    config["query_filters"] = task_rules.normalize_filters(body.get("query_filters"))
    config["evaluators"] = [task_rules.evaluator_entry(e) for e in body["evaluators"]]
    if config["query_filter"] is not None and config["query_filters"] is not None:
        raise bad_request("query_filter and query_filters are mutually exclusive; give one.")
    task_rules.check_evaluator_ids(config)
    task_rules.check_shape(config)
    return config, project_ref, dataset_ref


def _check_name_free(
    conn: sqlite3.Connection, space_id: int, name: str, task_id: int | None
) -> None:
    clash = conn.execute(
        "SELECT id FROM tasks WHERE space_id = ? AND name = ? AND id IS NOT ?",
        (space_id, name, task_id),
    ).fetchone()
    if clash is not None:
        raise unprocessable(
            f"A task named '{name}' already exists in this space "
            f"({ids.encode(ids.TASK, clash['id'])}); task names are unique within a space."
        )


def update_task(ctx: Context) -> Result:
    body = ctx.body
    with ctx.store.write() as conn:
        row = task_row(conn, ctx)
        kind = row["type"]
        component = UPDATE_SCHEMAS[kind]
        if not isinstance(body, dict) or not body:
            allowed = ", ".join(ctx.spec.properties_of(component))
            raise bad_request(f"An update needs at least one field; for a {kind} task: {allowed}.")
        check_fit(ctx, kind, component, body)
        config = json.loads(row["config"])
        continuous_since = row["continuous_since"]
        if kind == RUN_EXPERIMENT:
            if "run_configuration" in body:
                task_rules.check_run_configuration_ids(body["run_configuration"])
                config["run_configuration"] = task_rules.resolve_run_configuration(
                    conn, body["run_configuration"]
                )
        else:
            config = _merge_evaluation(row, config, body)
            task_rules.check_evaluator_ids(config)
            task_rules.check_shape(config)
            if "evaluators" in body:
                task_rules.resolve_evaluators(conn, config, row["space_id"])
            if "is_continuous" in body:
                if not body["is_continuous"]:
                    continuous_since = None
                elif continuous_since is None:
                    continuous_since = ctx.now
        name = body.get("name", row["name"])
        if "name" in body:
            _check_name_free(conn, row["space_id"], name, row["id"])
        conn.execute(
            "UPDATE tasks SET name = ?, config = ?, continuous_since = ?, updated_at = ? "
            "WHERE id = ?",
            (name, json.dumps(config), continuous_since, ctx.now, row["id"]),
        )
        updated = conn.execute("SELECT * FROM tasks WHERE id = ?", (row["id"],)).fetchone()
        return 200, render.task(conn, updated)


def _merge_evaluation(
    row: sqlite3.Row, config: dict[str, Any], body: dict[str, Any]
) -> dict[str, Any]:
    merged = dict(config)
    dataset_task = row["dataset_id"] is not None
    for field in ("sampling_rate", "is_continuous"):
        if field in body and dataset_task and (field != "is_continuous" or body[field]):
            raise bad_request(f"{field} applies to project tasks only; this is a dataset task.")
    if "sampling_rate" in body:
        merged["sampling_rate"] = body["sampling_rate"]
    if "is_continuous" in body:
        merged["is_continuous"] = body["is_continuous"]
    if "query_filter" in body:
        merged["query_filter"] = body["query_filter"]
    if "query_filters" in body:
        merged["query_filters"] = task_rules.normalize_filters(body["query_filters"])
    if merged.get("query_filter") is not None and merged.get("query_filters") is not None:
        raise bad_request(
            "query_filter and query_filters are mutually exclusive; the task would have both. "
            "Clear one with null in the same update."
        )
    if "evaluators" in body:
        merged["evaluators"] = [task_rules.evaluator_entry(e) for e in body["evaluators"]]
    return merged

"""Rows to wire objects, in the shapes of the spec's response schemas."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from . import ids, runs
from .clock import iso, iso_or_none
from .seed import ORGANIZATION_NUMBER


def _user(number: int | None) -> str | None:
    return None if number is None else ids.encode(ids.USER, number)


def _ref(type_name: str, number: int | None) -> str | None:
    return None if number is None else ids.encode(type_name, number)


def space(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": ids.encode(ids.SPACE, row["id"]),
        "organization_id": ids.encode(ids.ORGANIZATION, ORGANIZATION_NUMBER),
        "name": row["name"],
        "description": row["description"],
        "created_at": iso(row["created_at"]),
        "is_private": bool(row["is_private"]),
        "default_llm_integration": {
            "integration_id": ids.encode(ids.INTEGRATION, 1),
            "model_name": "gpt-4o",
        },
        "ml_models_enabled": False,
        "gradient_start_color": "#5B8DEF",
        "gradient_end_color": "#9B6BF2",
        "default_agent_runtime": None,
    }


def project(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": ids.encode(ids.PROJECT, row["id"]),
        "name": row["name"],
        "space_id": ids.encode(ids.SPACE, row["space_id"]),
        "created_at": iso(row["created_at"]),
        "project_type": row["project_type"],
    }


def dataset(row: sqlite3.Row, versions: list[sqlite3.Row] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": ids.encode(ids.DATASET, row["id"]),
        "name": row["name"],
        "space_id": ids.encode(ids.SPACE, row["space_id"]),
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
    }
    if versions is not None:
        out["versions"] = [
            {
                "id": ids.encode(ids.DATASET_VERSION, v["id"]),
                "name": v["name"],
                "dataset_id": out["id"],
                "created_at": iso(v["created_at"]),
                "updated_at": iso(v["created_at"]),
            }
            for v in versions
        ]
    return out


def evaluator(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": ids.encode(ids.EVALUATOR, row["id"]),
        "name": row["name"],
        "description": row["description"],
        "type": row["type"],
        "space_id": ids.encode(ids.SPACE, row["space_id"]),
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "created_by_user_id": _user(row["created_by"]),
    }


def experiment(row: sqlite3.Row) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": ids.encode(ids.EXPERIMENT, row["id"]),
        "name": row["name"],
        "space_id": ids.encode(ids.SPACE, row["space_id"]),
        "dataset_id": ids.encode(ids.DATASET, row["dataset_id"]),
        "dataset_version_id": ids.encode(ids.DATASET_VERSION, row["dataset_version_id"]),
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "integration_id": _ref(ids.INTEGRATION, row["integration_id"]),
    }
    if row["traces_project_id"] is not None:
        out["experiment_traces_project_id"] = ids.encode(ids.PROJECT, row["traces_project_id"])
    return out


def integration(row: sqlite3.Row) -> dict[str, Any]:
    doc = json.loads(row["doc"])
    return {
        "id": ids.encode(ids.INTEGRATION, row["id"]),
        "name": row["name"],
        "provider": row["provider"],
        "has_api_key": doc["has_api_key"],
        "enable_default_models": doc["enable_default_models"],
        "function_calling_enabled": doc["function_calling_enabled"],
        "auth_type": doc["auth_type"],
        "scopings": [
            {"organization_id": ids.encode(ids.ORGANIZATION, ORGANIZATION_NUMBER), "space_id": None}
        ],
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "created_by_user_id": _user(row["created_by"]),
        "base_url": doc["base_url"],
        "model_names": doc["model_names"],
        "headers": doc["headers"],
        "provider_metadata": doc["provider_metadata"],
    }


def task(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    config = json.loads(row["config"])
    evaluators = []
    for entry in config["evaluators"]:
        number = ids.number_of(entry["evaluator_id"], ids.EVALUATOR)
        found = conn.execute("SELECT name FROM evaluators WHERE id = ?", (number,)).fetchone()
        item = {
            "evaluator_id": entry["evaluator_id"],
            "evaluator_name": found["name"] if found else "",
            "evaluator_version_id": entry.get("evaluator_version_id"),
            "query_filter": entry.get("query_filter"),
            "column_mappings": entry.get("column_mappings"),
            "query_mappings": entry.get("query_mappings"),
        }
        evaluators.append(item)
    return {
        "id": ids.encode(ids.TASK, row["id"]),
        "name": row["name"],
        "type": row["type"],
        "project_id": _ref(ids.PROJECT, row["project_id"]),
        "dataset_id": _ref(ids.DATASET, row["dataset_id"]),
        "sampling_rate": config.get("sampling_rate"),
        "is_continuous": row["continuous_since"] is not None,
        "query_filter": config.get("query_filter"),
        "query_filters": config.get("query_filters"),
        "evaluators": evaluators,
        "experiment_ids": list(config.get("experiment_ids", [])),
        "run_configuration": config.get("run_configuration"),
        "last_run_at": iso_or_none(row["last_run_at"]),
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "created_by_user_id": _user(row["created_by"]),
    }


def task_run(row: sqlite3.Row, now: float) -> dict[str, Any]:
    current = runs.state(row, now)
    return {
        "id": ids.encode(ids.TASK_RUN, row["id"]),
        "task_id": ids.encode(ids.TASK, row["task_id"]),
        "experiment_id": _ref(ids.EXPERIMENT, current.experiment_id),
        "status": current.status,
        "run_started_at": iso_or_none(current.run_started_at),
        "run_finished_at": iso_or_none(current.run_finished_at),
        "data_start_time": iso_or_none(current.data_start),
        "data_end_time": iso_or_none(current.data_end),
        "num_successes": current.num_successes,
        "num_errors": current.num_errors,
        "num_skipped": current.num_skipped,
        "created_at": iso(row["created_at"]),
        "created_by_user_id": _user(row["created_by"]),
        "failure_reason": current.failure_reason,
    }

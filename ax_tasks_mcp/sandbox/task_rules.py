"""The service's rules for a task's configuration, beyond what the schema can say.

The body has already passed the spec. These checks work on the stored form of a configuration
(the result of a create, or of an update merged over the stored task), so create and update
share them. Problems with the body alone answer 400; references that do not resolve, or resolve
to something that does not fit, answer 422.
"""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

from . import ids
from .context import check_id, lookup
from .problems import bad_request, unprocessable

RUN_EXPERIMENT = "RUN_EXPERIMENT"
_PLACEHOLDER = re.compile(r"\{\{\s*dataset\.([^}\s]+)\s*\}\}")


def evaluator_entry(raw: dict[str, Any]) -> dict[str, Any]:
    """A request's evaluator entry in stored form."""
    entry = {
        "evaluator_id": raw["evaluator_id"],
        "evaluator_version_id": raw.get("evaluator_version_id"),
        "query_filter": raw.get("query_filter"),
        "column_mappings": raw.get("column_mappings"),
    }
    if "query_mappings" in raw:
        entry["query_mappings"] = raw["query_mappings"]
    return entry


def normalize_filters(query_filters: dict[str, Any] | None) -> dict[str, Any] | None:
    """Check the trace/session filters and fill the lone id in as the expression."""
    if query_filters is None:
        return None
    declared = [f["id"] for f in query_filters["filters"]]
    if len(set(declared)) != len(declared):
        raise bad_request("query_filters.filters: each filter id (A-E) may appear only once.")
    expression = query_filters.get("expression")
    if not expression:
        if len(declared) > 1:
            raise bad_request(
                "query_filters.expression is required with two or more filters, "
                f"for example '{' AND '.join(declared)}'."
            )
        expression = declared[0]
    used = set(re.findall(r"\b([A-Z])\b", expression))  # single letters; AND/OR are words
    unknown = sorted(used - set(declared))
    if unknown:
        raise bad_request(
            f"query_filters.expression uses {', '.join(unknown)}, which are not among the "
            f"declared filters ({', '.join(declared)})."
        )
    return {"filters": [dict(f) for f in query_filters["filters"]], "expression": expression}


def check_shape(config: dict[str, Any]) -> None:
    """400 when the span shape and the trace/session shape are mixed."""
    span, trace = [], []
    if config.get("query_filter") is not None:
        span.append("query_filter")
    if config.get("query_filters") is not None:
        trace.append("query_filters")
    for i, entry in enumerate(config["evaluators"]):
        if entry.get("query_mappings") is not None:
            trace.append(f"evaluators[{i}].query_mappings")
        else:
            span.append(f"evaluators[{i}] (no query_mappings)")
    if span and trace:
        raise bad_request(
            "A task uses either the span shape (query_filter, column_mappings) or the "
            "trace/session shape (query_filters, query_mappings), not both. Span shape here: "
            f"{', '.join(span)}; trace/session shape: {', '.join(trace)}."
        )
    declared = {f["id"] for f in (config.get("query_filters") or {}).get("filters", [])}
    for i, entry in enumerate(config["evaluators"]):
        for j, mapping in enumerate(entry.get("query_mappings") or []):
            unknown = sorted(set(mapping["query_ids"]) - declared)
            if unknown:
                raise bad_request(
                    f"evaluators[{i}].query_mappings[{j}].query_ids: {', '.join(unknown)} "
                    "name no filter of the task's query_filters"
                    + (f" ({', '.join(sorted(declared))})." if declared else " (it has none).")
                )


def check_evaluator_ids(config: dict[str, Any]) -> None:
    """400 for malformed or repeated evaluator IDs (nothing is looked up)."""
    seen: set[str] = set()
    for i, entry in enumerate(config["evaluators"]):
        check_id(entry["evaluator_id"], f"evaluators[{i}].evaluator_id")
        if entry["evaluator_id"] in seen:
            raise bad_request(
                f"evaluators[{i}].evaluator_id: evaluator {entry['evaluator_id']} is listed "
                "twice; each evaluator may appear once."
            )
        seen.add(entry["evaluator_id"])
        if entry.get("evaluator_version_id") is not None:
            check_id(entry["evaluator_version_id"], f"evaluators[{i}].evaluator_version_id")


def resolve_evaluators(conn: sqlite3.Connection, config: dict[str, Any], space_id: int) -> None:
    """422 for evaluators that do not exist here, foreign versions, or mixed data scopes."""
    scopes: dict[str, list[str]] = {}
    for i, entry in enumerate(config["evaluators"]):
        where = f"evaluators[{i}].evaluator_id"
        row = lookup(conn, entry["evaluator_id"], ids.EVALUATOR, where, status=422)
        if row["space_id"] != space_id:
            raise unprocessable(
                f"{where}: evaluator '{row['name']}' belongs to another space than the task."
            )
        pin = entry.get("evaluator_version_id")
        if pin is not None:
            version = lookup(
                conn,
                pin,
                ids.EVALUATOR_VERSION,
                f"evaluators[{i}].evaluator_version_id",
                status=422,
            )
            if version["evaluator_id"] != row["id"]:
                owner = conn.execute(
                    "SELECT name FROM evaluators WHERE id = ?", (version["evaluator_id"],)
                ).fetchone()
                raise unprocessable(
                    f"evaluators[{i}].evaluator_version_id: {pin} is a version of evaluator "
                    f"'{owner['name'] if owner else '?'}', not of '{row['name']}'."
                )
        scope = row["data_scope"]
        scopes.setdefault(scope, []).append(row["name"])
        trace_shaped = entry.get("query_mappings") is not None
        if trace_shaped != (scope != "SPAN"):
            hint = "query_mappings" if scope != "SPAN" else "column_mappings and query_filter"
            raise unprocessable(
                f"evaluators[{i}]: evaluator '{row['name']}' scores {scope.lower()}s; "
                f"configure it with {hint}."
            )
    if len(scopes) > 1:
        listed = "; ".join(f"{scope}: {', '.join(names)}" for scope, names in scopes.items())
        raise unprocessable(
            "All evaluators of a task must score the same kind of data (data scope); "
            f"these mix scopes ({listed})."
        )


def resolve_experiments(
    conn: sqlite3.Connection, experiment_ids: list[str], dataset_id: int
) -> list[str]:
    """The task's experiments, deduplicated; 422 for unknown ones or ones of another dataset."""
    result = []
    for i, value in enumerate(dict.fromkeys(experiment_ids)):
        where = f"experiment_ids[{i}]"
        row = lookup(conn, value, ids.EXPERIMENT, where, status=422)
        if row["dataset_id"] != dataset_id:
            raise unprocessable(
                f"{where}: experiment '{row['name']}' is not an experiment of the task's dataset."
            )
        result.append(value)
    return result


def check_run_configuration_ids(rc: dict[str, Any]) -> None:
    for key in ("ai_integration_id", "integration_id"):
        if key in rc:
            check_id(rc[key], f"run_configuration.{key}")
    if rc.get("evaluator_version_id") is not None:
        check_id(rc["evaluator_version_id"], "run_configuration.evaluator_version_id")


def resolve_run_configuration(conn: sqlite3.Connection, rc: dict[str, Any]) -> dict[str, Any]:
    """422 for integrations that do not exist or do not fit; the stored (echoed) form."""
    stored: dict[str, Any] = json.loads(json.dumps(rc))
    kind = rc["experiment_type"]
    if kind == "AGENT_CALL":
        row = lookup(
            conn,
            rc["integration_id"],
            ids.INTEGRATION,
            "run_configuration.integration_id",
            status=422,
        )
        if not row["is_agent"]:
            agents = ", ".join(
                f"'{r['name']}' ({ids.encode(ids.INTEGRATION, r['id'])})"
                for r in conn.execute("SELECT id, name FROM integrations WHERE is_agent = 1")
            )
            raise unprocessable(
                f"run_configuration.integration_id: '{row['name']}' is a {row['provider']} LLM "
                f"integration; AGENT_CALL needs an integration of type AGENT ({agents or 'none'})."
            )
        stored["input_template"] = _normalize_template(rc["input_template"])
        return stored
    row = lookup(
        conn,
        rc["ai_integration_id"],
        ids.INTEGRATION,
        "run_configuration.ai_integration_id",
        status=422,
    )
    if row["is_agent"]:
        raise unprocessable(
            f"run_configuration.ai_integration_id: '{row['name']}' is an agent integration; "
            "use it with experiment_type AGENT_CALL."
        )
    models = json.loads(row["doc"]).get("model_names") or []
    if "model_name" not in stored and models:
        stored["model_name"] = models[0]
    stored.setdefault("provider_parameters", {})
    if kind == "TEMPLATE_EVALUATION" and rc.get("evaluator_version_id") is not None:
        lookup(
            conn,
            rc["evaluator_version_id"],
            ids.EVALUATOR_VERSION,
            "run_configuration.evaluator_version_id",
            status=422,
        )
    return stored


def _normalize_template(node: Any) -> Any:
    if isinstance(node, str):
        return _PLACEHOLDER.sub(r"{{\1}}", node)
    if isinstance(node, list):
        return [_normalize_template(x) for x in node]
    if isinstance(node, dict):
        return {k: _normalize_template(v) for k, v in node.items()}
    return node

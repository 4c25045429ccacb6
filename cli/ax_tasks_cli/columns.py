"""What a table shows of each kind of resource: its columns, cells and colours.

Cells are text for people: times as RFC 3339 in UTC, lists of scalars joined, other nesting as
compact JSON.  Each kind has its columns in order, with which ones may fold onto several lines
and which go first when the terminal is too narrow.  ``CSV_FIELDS`` lists the API's fields of
each kind, so an empty CSV still has its header.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "COLUMNS",
    "CSV_FIELDS",
    "MISSING",
    "Column",
    "columns_for",
    "format_time",
    "humanize",
    "noun",
    "paint",
    "status_color",
    "status_style",
]

MISSING = "-"

# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------


def _is_time_key(key: str) -> bool:
    return key.endswith(("_at", "_time"))


def format_time(value: Any) -> Any:
    """An RFC 3339 string as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC; anything else unchanged."""
    if not isinstance(value, str) or len(value) < 19:
        return value
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        return value
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def humanize(value: Any, key: str = "") -> Any:
    """Times formatted, recursively, for the human views."""
    if isinstance(value, dict):
        return {k: humanize(v, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [humanize(v, key) for v in value]
    if _is_time_key(key):
        return format_time(value)
    return value


def _scalar(value: Any) -> str:
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, str):
        return value if value else '""'
    return str(value)


def cell(value: Any, key: str = "") -> str:
    """One table cell: scalars as text, lists of scalars joined, other nesting as JSON."""
    if _is_time_key(key):
        value = format_time(value)
    if isinstance(value, list):
        if not value:
            return MISSING
        if all(not isinstance(v, dict | list) for v in value):
            return ", ".join(_scalar(v) for v in value)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, dict):
        if not value:
            return MISSING
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _scalar(value)


# --------------------------------------------------------------------------------------------
# Columns per kind of resource
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    get: Callable[[Mapping[str, Any]], str]
    fold: bool = False
    """Free text that may wrap onto several lines; IDs, enums, numbers and times never do."""
    optional: bool = False
    """Left out when no row has a value."""
    priority: int = 0
    """When the terminal is too narrow, the highest numbers go first; 0 always stays."""
    truncate: bool = False
    """On a terminal, long text is cut to one line (ending in "…") instead of folded."""


def _field(key: str) -> Callable[[Mapping[str, Any]], str]:
    return lambda item: cell(item.get(key), key)


def _task_target(item: Mapping[str, Any]) -> str:
    if item.get("project_id"):
        return f"project {item['project_id']}"
    if item.get("dataset_id"):
        return f"dataset {item['dataset_id']}"
    return MISSING


def _task_details(item: Mapping[str, Any]) -> str:
    evaluators = item.get("evaluators") or []
    if evaluators:
        names = [
            str(e.get("evaluator_name") or e.get("evaluator_id") or "?")
            for e in evaluators
            if isinstance(e, Mapping)
        ]
        return ", ".join(names)
    config = item.get("run_configuration")
    if isinstance(config, Mapping):
        parts = [str(config.get("experiment_type") or "")]
        if config.get("model_name"):
            parts.append(str(config["model_name"]))
        return " ".join(p for p in parts if p) or MISSING
    return MISSING


def _sampling(item: Mapping[str, Any]) -> str:
    rate = item.get("sampling_rate")
    return MISSING if rate is None else f"{rate:g}" if isinstance(rate, float) else str(rate)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "task": (
        Column("ID", _field("id")),
        Column("NAME", _field("name"), fold=True),
        Column("TYPE", _field("type"), priority=1),
        Column("EVALUATORS / CONFIG", _task_details, fold=True, priority=3),
        Column("CONTINUOUS", _field("is_continuous"), priority=5),
        Column("SAMPLING", _sampling, priority=6),
        Column("TARGET", _task_target, fold=True, priority=4),
        Column("LAST RUN", _field("last_run_at"), priority=2),
    ),
    "run": (
        Column("ID", _field("id")),
        Column("STATUS", _field("status")),
        Column("SUCCESSES", _field("num_successes"), priority=3),
        Column("ERRORS", _field("num_errors"), priority=2),
        Column("SKIPPED", _field("num_skipped"), priority=5),
        Column("CREATED", _field("created_at"), priority=1),
        Column("FINISHED", _field("run_finished_at"), priority=4),
        Column("EXPERIMENT", _field("experiment_id"), optional=True, priority=6),
        Column(
            "FAILURE REASON",
            _field("failure_reason"),
            fold=True,
            optional=True,
            priority=1,
            truncate=True,
        ),
    ),
    "space": (
        Column("ID", _field("id")),
        Column("NAME", _field("name"), fold=True),
        Column("PRIVATE", _field("is_private"), priority=3),
        Column("DESCRIPTION", _field("description"), fold=True, priority=2),
        Column("CREATED", _field("created_at"), priority=4),
    ),
    "project": (
        Column("ID", _field("id")),
        Column("NAME", _field("name"), fold=True),
        Column("TYPE", _field("project_type"), priority=2),
        Column("SPACE", _field("space_id"), priority=3),
        Column("CREATED", _field("created_at"), priority=4),
    ),
    "dataset": (
        Column("ID", _field("id")),
        Column("NAME", _field("name"), fold=True),
        Column("SPACE", _field("space_id"), priority=3),
        Column("CREATED", _field("created_at"), priority=2),
        Column("UPDATED", _field("updated_at"), priority=4),
    ),
    "evaluator": (
        Column("ID", _field("id")),
        Column("NAME", _field("name"), fold=True),
        Column("TYPE", _field("type"), priority=1),
        Column("DESCRIPTION", _field("description"), fold=True, priority=2),
        Column("SPACE", _field("space_id"), priority=3),
    ),
    "experiment": (
        Column("ID", _field("id")),
        Column("NAME", _field("name"), fold=True),
        Column("DATASET", _field("dataset_id"), priority=2),
        Column("CREATED", _field("created_at"), priority=3),
    ),
    "ai_integration": (
        Column("ID", _field("id")),
        Column("NAME", _field("name"), fold=True),
        Column("PROVIDER", _field("provider"), priority=1),
        Column("MODELS", _field("model_names"), fold=True, priority=2),
        Column("CREATED", _field("created_at"), priority=3),
    ),
}

COLUMNS["sandbox_item"] = (
    Column("KIND", _field("kind")),
    Column("NAME", _field("name"), fold=True),
    Column("ID", _field("id")),
    Column("NOTE", _field("note"), fold=True, priority=1, truncate=True),
)

NOUNS: dict[str, tuple[str, str]] = {
    "task": ("task", "tasks"),
    "run": ("run", "runs"),
    "space": ("space", "spaces"),
    "project": ("project", "projects"),
    "dataset": ("dataset", "datasets"),
    "evaluator": ("evaluator", "evaluators"),
    "experiment": ("experiment", "experiments"),
    "ai_integration": ("AI integration", "AI integrations"),
}


def noun(kind: str, count: int) -> str:
    singular, plural = NOUNS.get(kind, ("item", "items"))
    return singular if count == 1 else plural


def _generic_columns(items: Sequence[Mapping[str, Any]]) -> tuple[Column, ...]:
    keys: dict[str, None] = {}
    for item in items:
        keys.update(dict.fromkeys(item))
    return tuple(Column(k.upper(), _field(k), fold=k != "id") for k in keys)


def columns_for(
    kind: str, items: Sequence[Mapping[str, Any]]
) -> tuple[list[Column], list[list[str]]]:
    """The columns a table of ``items`` shows (optional ones only when some row has a value)
    and the rows' cells."""
    every = COLUMNS.get(kind) or _generic_columns(items)
    values = [[column.get(item) for column in every] for item in items]
    present = [
        i
        for i, column in enumerate(every)
        if not column.optional or any(row[i] != MISSING for row in values)
    ]
    return [every[i] for i in present], [[row[i] for i in present] for row in values]


#: The API's fields of each kind, in its order: the header of an empty CSV.
# fmt: off
CSV_FIELDS: dict[str, tuple[str, ...]] = {
    "task": (
        "id", "name", "type", "project_id", "dataset_id", "sampling_rate", "is_continuous",
        "query_filter", "query_filters", "evaluators", "experiment_ids", "run_configuration",
        "last_run_at", "created_at", "updated_at", "created_by_user_id",
    ),
    "run": (
        "id", "task_id", "experiment_id", "status", "run_started_at", "run_finished_at",
        "data_start_time", "data_end_time", "num_successes", "num_errors", "num_skipped",
        "created_at", "created_by_user_id", "failure_reason",
    ),
    "space": (
        "id", "organization_id", "name", "description", "created_at", "is_private",
        "default_llm_integration", "ml_models_enabled", "gradient_start_color",
        "gradient_end_color", "default_agent_runtime",
    ),
    "project": ("id", "name", "space_id", "created_at", "project_type"),
    "dataset": ("id", "name", "space_id", "created_at", "updated_at", "versions"),
    "evaluator": (
        "id", "name", "description", "type", "space_id", "created_at", "updated_at",
        "created_by_user_id",
    ),
    "experiment": (
        "id", "name", "space_id", "dataset_id", "dataset_version_id", "created_at",
        "updated_at", "experiment_traces_project_id", "integration_id",
    ),
    "ai_integration": (
        "id", "name", "provider", "has_api_key", "enable_default_models",
        "function_calling_enabled", "auth_type", "scopings", "created_at", "updated_at",
        "created_by_user_id", "base_url", "model_names", "headers", "provider_metadata",
    ),
}
# fmt: on


# --------------------------------------------------------------------------------------------
# Colour
# --------------------------------------------------------------------------------------------

_STATUS_COLORS = {
    "COMPLETED": "32",
    "FAILED": "31",
    "CANCELLED": "33",
    "RUNNING": "36",
    "PENDING": "2",
}


def paint(text: str, code: str | None, color: bool) -> str:
    if not color or not code:
        return text
    return f"\x1b[{code}m{text}\x1b[0m"


def status_color(status: str) -> str | None:
    return _STATUS_COLORS.get(status.upper())


# The same colours by name, for what Rich draws (terminal tables, the progress line).
_RICH_STYLES = {"32": "green", "31": "red", "33": "yellow", "36": "cyan", "2": "dim"}


def status_style(status: str) -> str:
    """The Rich style of a status ("" when it has no colour)."""
    return _RICH_STYLES.get(status_color(status) or "", "")

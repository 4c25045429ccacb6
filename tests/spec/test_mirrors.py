"""Hand-written mirrors of openapi/tasks.yaml are held to it.

Lists of enum values, table columns and MCP output schemas are written by hand where the code
needs them, or derived from the generated code (then the row proves the derivation). Each is a
row of MIRRORS: the place to update, what of the spec it mirrors, and how it relates (the same
set; a selection, each of which must still exist; or covering all of the spec's). When the spec
gains, loses or renames a value or field a row mirrors, it fails and names its place. A field
the spec gains fails no selection (outputs pass it through, tables leave it out), so a new
optional field needs no hand edit. To hold a new mirror, add a row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from ax_tasks_cli import columns as output
from ax_tasks_mcp.service import answers, bodies, models, wire
from tests.spec.spec_schemas import SPEC_PATH

SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
MCP_TOOLS = Path(__file__).resolve().parents[1] / "snapshots" / "mcp" / "tools.json"


# -- what the spec says ------------------------------------------------------------------------


def enum(name: str) -> Callable[[], list[str]]:
    return lambda: list(SCHEMAS[name]["enum"])


def fields(name: str) -> Callable[[], list[str]]:
    return lambda: list(SCHEMAS[name]["properties"])


def _resolve(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in schema:
        schema = SCHEMAS[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _branches(schema: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    options = schema.get("anyOf", schema.get("oneOf"))
    if options is None:
        return [_resolve(schema)]
    return [_resolve(o) for o in options if o != {"type": "null"}]


def _property_names(keep: Callable[[list[Mapping[str, Any]]], bool]) -> list[str]:
    return sorted(
        {
            key
            for schema in SCHEMAS.values()
            for key, prop in schema.get("properties", {}).items()
            if keep(_branches(prop))
        }
    )


def enum_fields() -> list[str]:
    """Names of fields whose value is one of an enum (or a const tag) anywhere in the spec."""
    return _property_names(lambda bs: any("enum" in b or "const" in b for b in bs))


def free_form_fields() -> list[str]:
    """Names of fields holding free-form maps (the user's keys) anywhere in the spec."""
    return _property_names(
        lambda bs: all(b.get("type") == "object" and "properties" not in b for b in bs)
    )


def sample(schema: Mapping[str, Any]) -> Any:
    """An instance of a schema with every field present and set (first variant of a union)."""
    schema = _branches(schema)[0]
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    kind = next(k for k in kind if k != "null") if isinstance(kind, list) else kind
    if kind == "object" or "properties" in schema:
        return {key: sample(prop) for key, prop in schema.get("properties", {}).items()}
    if kind == "array":
        return [sample(schema.get("items", {"type": "string"}))]
    return {"integer": 3, "number": 0.5, "boolean": True}.get(str(kind), "x")


# -- what the code says ------------------------------------------------------------------------


def _tools() -> dict[str, Any]:
    return {tool["name"]: tool for tool in json.loads(MCP_TOOLS.read_text())}


def _output(tool: str, items: str | None = None) -> dict[str, Any]:
    """A tool's output object: the schema itself, or the items of its list ``items``."""
    schema: dict[str, Any] = _tools()[tool]["outputSchema"]
    return schema["properties"][items]["items"] if items else schema


def output_fields(
    tool: str, items: str | None = None, derived: Iterable[str] = ()
) -> Callable[[], list[str]]:
    """The fields an output object names, less those a summary derives (e.g. a target's name)."""
    return lambda: [f for f in _output(tool, items)["properties"] if f not in set(derived)]


def output_text(tool: str, field: str, items: str | None = None) -> Callable[[], str]:
    return lambda: str(_output(tool, items)["properties"][field]["description"])


def parameter_values(tool: str, parameter: str) -> Callable[[], list[str]]:
    return lambda: list(_tools()[tool]["inputSchema"]["properties"][parameter]["enum"])


def described_values(tool: str, parameter: str) -> Callable[[], list[str]]:
    """The values a filter's description names ("A|B|C, or newer."): a filter takes newer
    values too, so it lists the known ones in words instead of an enum."""

    def get() -> list[str]:
        text = _tools()[tool]["inputSchema"]["properties"][parameter]["description"]
        return text.split(",", 1)[0].split("|")

    return get


def shown_columns(kind: str, schema: str) -> Callable[[], list[str]]:
    """The headers of the columns that show a value for an object with every spec field set:
    a column reading a field the spec no longer has shows nothing (compared with all headers)."""

    def get() -> list[str]:
        item = sample(SCHEMAS[schema])
        return [c.header for c in output.COLUMNS[kind] if c.get(item) not in ("", "-")]

    return get


def column_headers(kind: str) -> Callable[[], list[str]]:
    return lambda: [c.header for c in output.COLUMNS[kind]]


@dataclass(frozen=True)
class Mirror:
    place: str
    """Where to update, in words a maintainer can follow."""
    mirrored: Callable[[], Iterable[str] | str]
    spec: Callable[[], Iterable[str]]
    relation: str
    """same: the same set · within: a selection of the spec's · covers: mentions all of the
    spec's (mirrored may be text, e.g. a description)."""


OUTPUTS = "ax_tasks_mcp/server/outputs.py (then the MCP snapshot, UPDATE_SNAPSHOTS=1)"
REGEN = " (derived from the generated enum: run scripts/regen.sh)"
DERIVED_TEXT = (
    "the MCP snapshot: this is built from the service's known values, so re-record it "
    "(UPDATE_SNAPSHOTS=1 pytest tests/server/test_mcp_schemas.py)"
)

# Fields a task summary builds for the model from others (names of what the IDs point at).
SUMMARY_DERIVED = ("project", "dataset", "evaluator_names")

MIRRORS: dict[str, Mirror] = {
    # service
    "task types": Mirror(
        "ax_tasks_mcp/service/models.py TASK_TYPES",
        lambda: models.TASK_TYPES,
        enum("TaskType"),
        "same",
    ),
    "run statuses": Mirror(
        "ax_tasks_mcp/service/wire.py RUN_STATUSES" + REGEN,
        lambda: wire.RUN_STATUSES,
        enum("TaskRunStatus"),
        "same",
    ),
    "terminal statuses": Mirror(
        "ax_tasks_mcp/service/models.py TERMINAL_STATUSES",
        lambda: models.TERMINAL_STATUSES,
        enum("TaskRunStatus"),
        "within",
    ),
    "evaluation types": Mirror(
        "ax_tasks_mcp/service/models.py EVALUATION_TYPES",
        lambda: models.EVALUATION_TYPES,
        enum("TaskType"),
        "within",
    ),
    "experiment types": Mirror(
        "ax_tasks_mcp/service/bodies.py EXPERIMENT_TYPES",
        lambda: bodies.EXPERIMENT_TYPES,
        enum("ExperimentType"),
        "same",
    ),
    "run configuration models": Mirror(
        "ax_tasks_mcp/service/bodies.py run_configuration_class",
        lambda: [
            kind
            for kind in enum("ExperimentType")()
            if bodies.run_configuration_class(kind) is not None
        ],
        enum("ExperimentType"),
        "same",
    ),
    "input variable formats": Mirror(
        "ax_tasks_mcp/service/bodies.py INPUT_VARIABLE_FORMATS",
        lambda: bodies.INPUT_VARIABLE_FORMATS,
        enum("InputVariableFormat"),
        "same",
    ),
    "enum fields read as UPPERCASE": Mirror(
        "ax_tasks_mcp/service/answers.py ENUM_KEYS",
        lambda: answers.ENUM_KEYS,
        enum_fields,
        "covers",
    ),
    "free-form maps left as written": Mirror(
        "ax_tasks_mcp/service/answers.py FREE_FORM",
        lambda: answers.FREE_FORM,
        free_form_fields,
        "same",
    ),
    # CLI tables
    **{
        f"table columns of {kind}s": Mirror(
            f"cli/ax_tasks_cli/columns.py COLUMNS[{kind!r}]",
            shown_columns(kind, schema),
            column_headers(kind),
            "same",
        )
        for kind, schema in {
            "task": "Task",
            "run": "TaskRun",
            "space": "Space",
            "project": "Project",
            "dataset": "Dataset",
            "evaluator": "Evaluator",
            "experiment": "Experiment",
            "ai_integration": "AiIntegration",
        }.items()
    },
    "run status colours": Mirror(
        "cli/ax_tasks_cli/columns.py _STATUS_COLORS",
        lambda: output._STATUS_COLORS,
        enum("TaskRunStatus"),
        "within",
    ),
    # MCP output schemas and the values their descriptions teach the model
    "MCP get_task": Mirror(OUTPUTS + " TASK", output_fields("get_task"), fields("Task"), "within"),
    "MCP get_task_run": Mirror(
        OUTPUTS + " RUN", output_fields("get_task_run"), fields("TaskRun"), "within"
    ),
    "MCP task summaries": Mirror(
        OUTPUTS + " TASK_PAGE and task_summary",
        output_fields("list_tasks", "tasks", derived=SUMMARY_DERIVED),
        fields("Task"),
        "within",
    ),
    "MCP run summaries": Mirror(
        OUTPUTS + " RUN_PAGE and run_summary",
        output_fields("list_task_runs", "task_runs"),
        fields("TaskRun"),
        "within",
    ),
    **{
        f"MCP {tool} items": Mirror(
            OUTPUTS + " lookup_page", output_fields(tool, key), fields(name), "within"
        )
        for tool, key, name in [
            ("list_spaces", "spaces", "Space"),
            ("list_projects", "projects", "Project"),
            ("list_datasets", "datasets", "Dataset"),
            ("list_evaluators", "evaluators", "Evaluator"),
            ("list_experiments", "experiments", "Experiment"),
            ("list_ai_integrations", "ai_integrations", "AiIntegration"),
        ]
    },
    "MCP task type values": Mirror(
        DERIVED_TEXT + " (ax_tasks_mcp/server/outputs.py, from TASK_TYPES)",
        output_text("get_task", "type"),
        enum("TaskType"),
        "covers",
    ),
    "MCP run status values": Mirror(
        DERIVED_TEXT + " (ax_tasks_mcp/server/outputs.py, from RUN_STATUSES)",
        output_text("get_task_run", "status"),
        enum("TaskRunStatus"),
        "covers",
    ),
    "MCP list_task_runs status": Mirror(
        "ax_tasks_mcp/server/parameters.py RUN_STATUSES (hand-written: a first tools/list does"
        " not import the generated client), then " + DERIVED_TEXT,
        described_values("list_task_runs", "status"),
        enum("TaskRunStatus"),
        "same",
    ),
    "MCP list_tasks task_type": Mirror(
        DERIVED_TEXT + " (ax_tasks_mcp/server/parameters.py, from TASK_TYPES)",
        described_values("list_tasks", "task_type"),
        enum("TaskType"),
        "same",
    ),
}


@pytest.mark.parametrize("name", list(MIRRORS))
def test_each_hand_written_mirror_matches_the_spec(name: str) -> None:
    mirror = MIRRORS[name]
    spec = set(mirror.spec())
    mirrored = mirror.mirrored()
    if isinstance(mirrored, str):
        missing = sorted(v for v in spec if v not in mirrored)
        assert not missing, f"{name}: mention {missing} in {mirror.place}"
        return
    have = set(mirrored)
    gone = sorted(have - spec)
    new = sorted(spec - have)
    where = f"update {mirror.place}"
    if mirror.relation in ("same", "within"):
        assert not gone, f"{name}: {gone} are not in openapi/tasks.yaml any more; {where}"
    if mirror.relation in ("same", "covers"):
        assert not new, f"{name}: openapi/tasks.yaml has {new} too; {where}"


def test_output_schemas_accept_any_string_where_the_api_has_an_enum() -> None:
    """Known values are listed in descriptions, never enforced: a newer value must pass."""
    for tool in _tools().values():
        text = json.dumps(tool.get("outputSchema") or {})
        assert '"enum"' not in text, f"{tool['name']}: an enum in its output schema ({OUTPUTS})"


def test_a_mirror_that_falls_behind_is_named() -> None:
    """The check itself: a spec that gained a status fails the run-status row, naming its place."""
    SCHEMAS["TaskRunStatus"]["enum"].append("QUEUED")
    try:
        with pytest.raises(AssertionError, match=r"QUEUED.*wire\.py RUN_STATUSES.*regen"):
            test_each_hand_written_mirror_matches_the_spec("run statuses")
    finally:
        SCHEMAS["TaskRunStatus"]["enum"].remove("QUEUED")

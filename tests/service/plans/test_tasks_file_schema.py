"""The tasks-file schema follows the spec's create and update shapes: the shipped file is what
scripts/tasks_file_schema.py derives from openapi/tasks.yaml today, and a change to the spec
that it does not follow fails here, saying where and what to run."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from ax_tasks_mcp.service.plans.schema import REPLACES, SCHEMA_FILE, schema

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "scripts"))
import tasks_file_schema as derivation  # noqa: E402

SPEC: dict[str, Any] = yaml.safe_load((ROOT / "openapi" / "tasks.yaml").read_text())


def test_the_shipped_schema_is_what_the_spec_derives() -> None:
    problem = derivation.drift()
    assert problem is None, problem


def test_a_spec_change_the_schema_does_not_follow_fails_with_where_and_what_to_run(
    tmp_path: Path,
) -> None:
    changed = copy.deepcopy(SPEC)
    shape = changed["components"]["schemas"]["CreateTemplateEvaluationTaskRequest"]
    shape["properties"]["max_spans_per_run"] = {"type": "integer", "minimum": 1}
    spec = tmp_path / "tasks.yaml"
    spec.write_text(yaml.safe_dump(changed), encoding="utf-8")
    problem = derivation.drift(spec, SCHEMA_FILE)
    assert problem is not None
    assert "definitions.TemplateEvaluationTask.properties.max_spans_per_run" in problem
    assert "Run `uv run python scripts/tasks_file_schema.py`" in problem


def test_a_reference_the_spec_renames_stops_the_derivation() -> None:
    changed = copy.deepcopy(SPEC)
    span = changed["components"]["schemas"]["SpanEvaluatorInput"]
    span["properties"]["evaluator_ref"] = span["properties"].pop("evaluator_id")
    trace = changed["components"]["schemas"]["TraceOrSessionEvaluatorInput"]
    trace["properties"]["evaluator_ref"] = trace["properties"].pop("evaluator_id")
    with pytest.raises(derivation.SpecMoved, match="no longer have evaluator_id"):
        derivation.derive(changed)


def test_it_is_a_valid_draft_07_schema_named_by_its_own_url() -> None:
    jsonschema.Draft7Validator.check_schema(schema())
    assert schema()["$id"].endswith("/ax_tasks_mcp/service/plans/tasks-file.schema.json")
    assert json.loads(SCHEMA_FILE.read_text()) == schema()


def test_the_fields_an_update_cannot_change_replace_the_task() -> None:
    components = SPEC["components"]["schemas"]
    creates = {"TemplateEvaluationTask": "CreateTemplateEvaluationTaskRequest"}
    creates["RunExperimentTask"] = "CreateRunExperimentTaskRequest"
    updates = {"TemplateEvaluationTask": "UpdateEvaluationTaskRequest"}
    updates["RunExperimentTask"] = "UpdateRunExperimentTaskRequest"
    words = {"project_id": "project", "dataset_id": "dataset", "experiment_ids": "experiments"}
    for shape, create in creates.items():
        fixed = set(components[create]["properties"]) - set(
            components[updates[shape]]["properties"]
        )
        marked = {
            key
            for key, value in schema()["definitions"][shape]["properties"].items()
            if value.get(REPLACES)
        }
        assert marked == {words.get(f, f) for f in fixed}
    assert marked == {"type", "dataset"}


def test_fixed_values_are_offered_in_both_cases_and_the_variable_format_may_be_left_out() -> None:
    definitions = schema()["definitions"]
    assert definitions["MessageRole"]["enum"] == [
        "USER",
        "ASSISTANT",
        "SYSTEM",
        "TOOL",
        "user",
        "assistant",
        "system",
        "tool",
    ]
    llm = definitions["LlmGenerationRunConfigRequest"]
    assert "input_variable_format" not in llm["required"]
    assert "ai_integration" in llm["required"]

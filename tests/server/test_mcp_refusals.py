"""Refusals the docs promise are made locally are made locally, naming the parameter, and each
message names the forms the tool's schema teaches: no HTTP 400 from the API, no field the model
was never shown, no "needs experiment_type" for a field that does not apply at all."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from tests.server.mcp_helpers import SPACE, error, ok

pytestmark = pytest.mark.anyio

DATASET_TASK = {"space": SPACE, "task": "qa-golden-json-check"}


def _new_task(name: str, evaluators: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "space": SPACE,
        "name": name,
        "task_type": "TEMPLATE_EVALUATION",
        "project": "chatbot",
        "evaluators": evaluators,
    }


@pytest.mark.parametrize(
    "entry",
    [
        {"evaluator": "relevance", "colum_mappings": {"input": "attributes.input.value"}},
        {"evaluatr": "relevance"},
        {"evaluator": "relevance", "query_mappings": [{"variable_name": "q"}], "extra": 1},
    ],
)
async def test_an_evaluator_entry_with_a_slip_names_every_form_the_schema_teaches(
    client: Client, entry: dict[str, Any]
) -> None:
    message = error(await client.call_tool("create_evaluation_task", _new_task("slip", [entry])))
    for name in (
        '"evaluator" (a name or ID)',
        '"evaluator_id"',
        "column_mappings",
        "query_mappings",
    ):
        assert name in message, message
    assert "HTTP" not in message


async def test_a_run_configuration_on_an_evaluation_task_does_not_apply(client: Client) -> None:
    message = error(
        await client.call_tool(
            "update_task",
            {"space": SPACE, "task": "chatbot-hallucination", "run_configuration": {"a": 1}},
        )
    )
    assert "run_configuration does not apply to task 'chatbot-hallucination'" in message
    assert "experiment_type" not in message


@pytest.mark.parametrize("change", [{"sampling_rate": 0.5}, {"is_continuous": True}])
async def test_project_only_fields_on_a_dataset_task_are_refused_locally(
    client: Client, change: dict[str, Any]
) -> None:
    message = error(await client.call_tool("update_task", {**DATASET_TASK, **change}))
    assert f"{next(iter(change))} applies to project tasks only" in message
    assert "HTTP 400" not in message


async def test_a_first_run_without_a_window_start_is_refused_locally(client: Client) -> None:
    created = ok(
        await client.call_tool(
            "create_evaluation_task", _new_task("never-ran", [{"evaluator": "relevance"}])
        )
    )
    message = error(await client.call_tool("trigger_task_run", {"task": created["id"]}))
    assert "has never run, so its first run needs data_start_time" in message
    assert "HTTP 400" not in message
    runs = ok(await client.call_tool("list_task_runs", {"task": created["id"]}))
    assert runs["task_runs"] == []

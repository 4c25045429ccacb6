"""Every tool's success and error paths, in-process, under both protocol versions."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client

from ax_tasks_mcp.service.connect import TasksService
from tests.server.mcp_helpers import SPACE, error, ok

pytestmark = pytest.mark.anyio

EVALUATORS = [
    {"evaluator": "hallucination", "column_mappings": {"input": "attributes.input.value"}}
]
RUN_CONFIGURATION = {
    "experiment_type": "llm_generation",
    "ai_integration_id": "openai-prod",
    "model_name": "gpt-4o-mini",
    "messages": [{"role": "user", "content": "Answer briefly: {question}"}],
}
UNKNOWN_RUN_ID = "VGFza1J1bjo5OTk5OTpxUndY"  # TaskRun:99999:qRwX


async def create_eval(client: Client, name: str = "mcp-eval", **extra: Any) -> dict[str, Any]:
    args = {
        "space": SPACE,
        "name": name,
        "task_type": "template_evaluation",
        "project": "chatbot",
        "evaluators": EVALUATORS,
        **extra,
    }
    created: dict[str, Any] = ok(await client.call_tool("create_evaluation_task", args))
    return created


async def create_run_task(client: Client, name: str = "mcp-generation") -> dict[str, Any]:
    args = {
        "space": SPACE,
        "name": name,
        "dataset": "qa-golden",
        "run_configuration": RUN_CONFIGURATION,
    }
    created: dict[str, Any] = ok(await client.call_tool("create_run_experiment_task", args))
    return created


# -- lookups -------------------------------------------------------------------------------


async def test_list_spaces_returns_id_and_name_summaries_and_a_cursor(
    client: Client, service: TasksService
) -> None:
    data = ok(await client.call_tool("list_spaces", {}))
    assert set(data) == {"spaces", "next_cursor"}
    assert data["spaces"] == [
        {"id": s["id"], "name": s["name"]} for s in service.list_lookup("spaces", limit=20).items
    ]
    assert "demo" in [s["name"] for s in data["spaces"]]


async def test_list_spaces_pages_with_the_cursor(client: Client) -> None:
    first = ok(await client.call_tool("list_spaces", {"limit": 1}))
    assert len(first["spaces"]) == 1
    assert first["next_cursor"]
    second = ok(await client.call_tool("list_spaces", {"limit": 1, "cursor": first["next_cursor"]}))
    assert second["spaces"][0]["id"] != first["spaces"][0]["id"]


async def test_list_spaces_filters_by_name(client: Client) -> None:
    data = ok(await client.call_tool("list_spaces", {"name": "PROD"}))
    assert [s["name"] for s in data["spaces"]] == ["production-llm"]


async def test_a_limit_out_of_range_is_refused_by_the_input_schema(client: Client) -> None:
    result = await client.call_tool("list_spaces", {"limit": 500})
    assert result.is_error
    assert "limit" in result.content[0].text  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("tool", "key", "expected"),
    [
        ("list_projects", "projects", "chatbot"),
        ("list_datasets", "datasets", "qa-golden"),
        ("list_evaluators", "evaluators", "hallucination"),
        ("list_ai_integrations", "ai_integrations", "openai-prod"),
        ("list_experiments", "experiments", "baseline-gpt-4o"),
    ],
)
async def test_lookups_take_the_space_by_name_or_id(
    client: Client, service: TasksService, tool: str, key: str, expected: str
) -> None:
    by_name = ok(await client.call_tool(tool, {"space": SPACE}))
    assert set(by_name) == {key, "next_cursor"}
    assert expected in [item["name"] for item in by_name[key]]
    space_id = service.list_lookup("spaces", name=SPACE).items[0]["id"]
    by_id = ok(await client.call_tool(tool, {"space": space_id}))
    assert by_id == by_name


@pytest.mark.parametrize(
    "tool",
    [
        "list_projects",
        "list_datasets",
        "list_evaluators",
        "list_ai_integrations",
        "list_experiments",
    ],
)
async def test_lookups_report_an_unknown_space_with_suggestions(client: Client, tool: str) -> None:
    message = error(await client.call_tool(tool, {"space": "dem"}))
    assert "'dem'" in message
    assert "demo" in message


async def test_list_experiments_of_one_dataset_by_name(client: Client) -> None:
    data = ok(await client.call_tool("list_experiments", {"space": SPACE, "dataset": "qa-golden"}))
    assert [e["name"] for e in data["experiments"]] == [
        "baseline-gpt-4o",
        "claude-sonnet",
        "prompt-v2",
    ]


# -- tasks -----------------------------------------------------------------------------------


async def test_list_tasks_by_space_and_type_in_any_case(client: Client) -> None:
    data = ok(
        await client.call_tool("list_tasks", {"space": SPACE, "task_type": "Template_Evaluation"})
    )
    assert set(data) == {"tasks", "next_cursor"}
    assert data["tasks"]
    assert {t["type"] for t in data["tasks"]} == {"TEMPLATE_EVALUATION"}


async def test_list_tasks_refuses_an_unknown_type(client: Client) -> None:
    message = error(await client.call_tool("list_tasks", {"task_type": "weekly"}))
    assert "TEMPLATE_EVALUATION" in message


async def test_get_task_by_name_and_by_id_returns_the_api_object(
    client: Client, service: TasksService
) -> None:
    by_name = ok(
        await client.call_tool("get_task", {"task": "chatbot-hallucination", "space": SPACE})
    )
    assert by_name == service.get_task("chatbot-hallucination", space=SPACE)
    by_id = ok(await client.call_tool("get_task", {"task": by_name["id"]}))
    assert by_id == by_name


async def test_get_task_with_a_wrong_name_suggests_the_right_one(client: Client) -> None:
    message = error(
        await client.call_tool("get_task", {"task": "chatbot-halucination", "space": SPACE})
    )
    assert "chatbot-hallucination" in message


async def test_get_task_by_name_without_a_space_says_what_to_pass(client: Client) -> None:
    message = error(await client.call_tool("get_task", {"task": "chatbot-hallucination"}))
    assert "space" in message


async def test_create_evaluation_task_with_names_everywhere(
    client: Client, service: TasksService
) -> None:
    task = await create_eval(client, sampling_rate=0.5, query_filter="span_kind = 'LLM'")
    assert task["type"] == "TEMPLATE_EVALUATION"
    assert task["sampling_rate"] == 0.5
    assert (
        task["project_id"]
        == service.list_lookup("projects", space=SPACE, name="chatbot").items[0]["id"]
    )
    assert task["evaluators"][0]["evaluator_name"] == "hallucination"
    assert service.get_task(task["id"]) == task


async def test_create_evaluation_task_with_an_ambiguous_target_is_refused(client: Client) -> None:
    message = error(
        await client.call_tool(
            "create_evaluation_task",
            {
                "space": SPACE,
                "name": "both",
                "task_type": "code_evaluation",
                "project": "chatbot",
                "dataset": "qa-golden",
                "evaluators": EVALUATORS,
            },
        )
    )
    assert "project" in message
    assert "dataset" in message


async def test_create_evaluation_task_with_an_unknown_evaluator(client: Client) -> None:
    message = error(
        await client.call_tool(
            "create_evaluation_task",
            {
                "space": SPACE,
                "name": "x",
                "task_type": "template_evaluation",
                "project": "chatbot",
                "evaluators": [{"evaluator": "halucination"}],
            },
        )
    )
    assert "hallucination" in message


async def test_create_evaluation_task_with_a_taken_name(client: Client) -> None:
    await create_eval(client, "twice")
    message = error(
        await client.call_tool(
            "create_evaluation_task",
            {
                "space": SPACE,
                "name": "twice",
                "task_type": "template_evaluation",
                "project": "chatbot",
                "evaluators": EVALUATORS,
            },
        )
    )
    assert "already exists" in message


async def test_create_run_experiment_task_takes_an_integration_name(
    client: Client, service: TasksService
) -> None:
    task = await create_run_task(client)
    assert task["type"] == "RUN_EXPERIMENT"
    config = task["run_configuration"]
    assert config["experiment_type"] == "LLM_GENERATION"
    openai = service.list_lookup("ai_integrations", space=SPACE, name="openai-prod").items[0]
    assert config["ai_integration_id"] == openai["id"]
    assert config["input_variable_format"] == "F_STRING"


async def test_create_run_experiment_task_reports_an_incomplete_configuration(
    client: Client,
) -> None:
    message = error(
        await client.call_tool(
            "create_run_experiment_task",
            {
                "space": SPACE,
                "name": "broken",
                "dataset": "qa-golden",
                "run_configuration": {"experiment_type": "llm_generation"},
            },
        )
    )
    assert "ai_integration_id" in message


async def test_update_task_changes_only_what_is_given_and_says_what_changed(
    client: Client,
) -> None:
    task = await create_eval(client, query_filter="span_kind = 'LLM'")
    arguments = {"task": task["name"], "space": SPACE, "sampling_rate": 0.25, "name": task["name"]}
    updated = ok(await client.call_tool("update_task", arguments))
    assert updated == {
        "id": task["id"],
        "name": task["name"],
        "changed": {"sampling_rate": {"from": task["sampling_rate"], "to": 0.25}},
        "unchanged": ["name"],
    }
    now = ok(await client.call_tool("get_task", {"task": task["id"]}))
    assert now["sampling_rate"] == 0.25
    assert now["query_filter"] == "span_kind = 'LLM'"


async def test_update_task_clears_a_filter(client: Client) -> None:
    task = await create_eval(client, query_filter="span_kind = 'LLM'")
    updated = ok(
        await client.call_tool("update_task", {"task": task["id"], "clear": ["query_filter"]})
    )
    assert updated["changed"] == {"query_filter": {"from": "span_kind = 'LLM'", "to": None}}


async def test_update_task_refuses_setting_and_clearing_one_field(client: Client) -> None:
    task = await create_eval(client, query_filter="a = 1")
    message = error(
        await client.call_tool(
            "update_task",
            {"task": task["id"], "query_filter": "b = 2", "clear": ["query_filter"]},
        )
    )
    assert "Nothing was changed" in message


async def test_update_task_lists_the_fields_valid_for_the_task_type(client: Client) -> None:
    task = await create_eval(client)
    message = error(
        await client.call_tool(
            "update_task", {"task": task["id"], "run_configuration": RUN_CONFIGURATION}
        )
    )
    assert "run_configuration" in message
    for field in ("sampling_rate", "is_continuous", "query_filter", "evaluators"):
        assert field in message


async def test_update_task_with_nothing_to_change(client: Client) -> None:
    task = await create_eval(client)
    message = error(await client.call_tool("update_task", {"task": task["id"]}))
    assert message


async def test_update_run_experiment_task_replaces_the_configuration(client: Client) -> None:
    task = await create_run_task(client)
    config = {**RUN_CONFIGURATION, "model_name": "gpt-4o"}
    updated = ok(
        await client.call_tool(
            "update_task", {"task": task["id"], "space": SPACE, "run_configuration": config}
        )
    )
    assert updated["changed"]["run_configuration"]["to"]["model_name"] == "gpt-4o"


# -- runs ------------------------------------------------------------------------------------


async def test_trigger_task_run_returns_the_new_run(client: Client) -> None:
    task = await create_eval(client)
    run = ok(
        await client.call_tool(
            "trigger_task_run",
            {"task": task["name"], "space": SPACE, "data_start_time": "2026-03-06T00:00:00Z"},
        )
    )
    assert run["task_id"] == task["id"]
    assert run["status"] == "PENDING"
    assert run["data_start_time"].startswith("2026-03-06T00:00:00")


async def test_trigger_task_run_refuses_fields_of_the_other_type(client: Client) -> None:
    task = await create_eval(client)
    message = error(
        await client.call_tool("trigger_task_run", {"task": task["id"], "experiment_name": "exp-1"})
    )
    assert "experiment_name" in message
    assert "data_start_time" in message
    assert "nothing was triggered" in message


async def test_trigger_run_experiment_needs_an_experiment_name(client: Client) -> None:
    task = await create_run_task(client)
    message = error(await client.call_tool("trigger_task_run", {"task": task["id"]}))
    assert "experiment_name" in message


async def test_trigger_run_experiment_task(client: Client) -> None:
    task = await create_run_task(client)
    run = ok(
        await client.call_tool(
            "trigger_task_run",
            {"task": task["id"], "experiment_name": "mcp-exp-1", "max_examples": 5},
        )
    )
    assert run["task_id"] == task["id"]


async def test_list_task_runs_filters_by_status_in_any_case(client: Client) -> None:
    task = await create_eval(client)
    run = ok(
        await client.call_tool(
            "trigger_task_run", {"task": task["id"], "data_start_time": "2026-03-06T00:00:00Z"}
        )
    )
    listed = ok(await client.call_tool("list_task_runs", {"task": task["name"], "space": SPACE}))
    assert set(listed) == {"task_runs", "next_cursor"}
    assert [r["id"] for r in listed["task_runs"]] == [run["id"]]
    pending = ok(
        await client.call_tool("list_task_runs", {"task": task["id"], "status": "pending"})
    )
    assert [r["id"] for r in pending["task_runs"]] == [run["id"]]
    done = ok(await client.call_tool("list_task_runs", {"task": task["id"], "status": "Completed"}))
    assert done["task_runs"] == []


async def test_list_task_runs_refuses_an_unknown_status(client: Client) -> None:
    message = error(
        await client.call_tool(
            "list_task_runs", {"task": "chatbot-hallucination", "space": SPACE, "status": "done"}
        )
    )
    assert "COMPLETED" in message


async def test_get_task_run(client: Client, service: TasksService) -> None:
    task = await create_eval(client)
    run = ok(
        await client.call_tool(
            "trigger_task_run", {"task": task["id"], "data_start_time": "2026-03-06T00:00:00Z"}
        )
    )
    fetched = ok(await client.call_tool("get_task_run", {"run_id": run["id"]}))
    assert fetched == service.get_run(run["id"])


async def test_get_task_run_refuses_a_name(client: Client) -> None:
    message = error(await client.call_tool("get_task_run", {"run_id": "last-night"}))
    assert "run ID" in message


async def test_get_task_run_of_an_unknown_run(client: Client) -> None:
    message = error(await client.call_tool("get_task_run", {"run_id": UNKNOWN_RUN_ID}))
    assert UNKNOWN_RUN_ID in message or "not found" in message.lower()


async def test_a_wrong_argument_type_is_reported(client: Client) -> None:
    result = await client.call_tool("get_task_run", {"run_id": 12})
    assert result.is_error

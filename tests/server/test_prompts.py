"""Prompts: the four jobs, listed with titles and arguments, rendered as short tool sequences
that name only tools the server has, under both protocol versions."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from mcp import Client
from mcp.server.mcpserver import MCPServer
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS, TextContent

from ax_tasks_mcp import TasksService
from ax_tasks_mcp.server.app import build_server
from tests.server.conftest import Connect

pytestmark = pytest.mark.anyio

PROMPTS = {
    "setup_llm_judge_evaluation": ({"space", "project"}, {"evaluator"}),
    "evaluate_dataset_experiments": ({"space", "dataset"}, {"evaluator"}),
    "run_experiment_and_compare": ({"space", "dataset"}, {"ai_integration", "baseline_experiment"}),
    "investigate_task_run": ({"space", "task"}, {"run_id"}),
}
REQUIRED = {
    "setup_llm_judge_evaluation": {"space": "demo", "project": "chatbot"},
    "evaluate_dataset_experiments": {"space": "demo", "dataset": "qa-golden"},
    "run_experiment_and_compare": {"space": "demo", "dataset": "qa-golden"},
    "investigate_task_run": {"space": "demo", "task": "chatbot-hallucination"},
}
#: The first tool each job calls, and one it must reach later.
FIRST_AND_LATER = {
    "setup_llm_judge_evaluation": ("list_evaluators", "trigger_task_run"),
    "evaluate_dataset_experiments": ("list_experiments", "create_evaluation_task"),
    "run_experiment_and_compare": ("list_experiments", "create_run_experiment_task"),
    "investigate_task_run": ("list_task_runs", "get_task"),
}


async def render(client: Client, name: str, arguments: dict[str, str]) -> str:
    result = await client.get_prompt(name, arguments)
    assert len(result.messages) == 1
    message = result.messages[0]
    assert message.role == "user"
    assert isinstance(message.content, TextContent)
    return message.content.text


def tools_named(text: str, known: set[str]) -> list[str]:
    """The tool names a prompt mentions, in the order it mentions them."""
    words = re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", text)
    return [w for w in words if w in known or w.startswith(("list_", "get_", "create_"))]


async def test_the_four_prompts_are_listed_with_titles_and_arguments(client: Client) -> None:
    listed = {p.name: p for p in (await client.list_prompts()).prompts}
    assert set(listed) == set(PROMPTS)
    for name, (required, optional) in PROMPTS.items():
        prompt = listed[name]
        assert prompt.title
        assert prompt.description
        arguments = {a.name: a for a in prompt.arguments or []}
        assert {n for n, a in arguments.items() if a.required} == required
        assert {n for n, a in arguments.items() if not a.required} == optional
        assert all(a.description for a in arguments.values())


@pytest.mark.parametrize("name", list(PROMPTS))
async def test_each_prompt_names_real_tools_in_order(client: Client, name: str) -> None:
    known = {t.name for t in (await client.list_tools()).tools}
    text = await render(client, name, REQUIRED[name])
    named = tools_named(text, known)
    assert named, text
    assert set(named) <= known, set(named) - known
    first, later = FIRST_AND_LATER[name]
    assert named[0] == first
    assert later in named[1:]
    for value in REQUIRED[name].values():
        assert json.dumps(value) in text  # the arguments, quoted as tool arguments take them
    assert len(text) < 1200  # short: a checklist, not an essay


async def test_optional_arguments_change_the_plan(client: Client) -> None:
    base = REQUIRED["investigate_task_run"]
    without = await render(client, "investigate_task_run", base)
    with_run = await render(client, "investigate_task_run", {**base, "run_id": "UnVuOjE="})
    assert "list_task_runs" in without
    assert "get_task_run" in with_run
    assert "list_task_runs" not in with_run
    assert '"UnVuOjE="' in with_run

    judge = REQUIRED["setup_llm_judge_evaluation"]
    chosen = await render(client, "setup_llm_judge_evaluation", {**judge, "evaluator": "relevance"})
    assert '"relevance"' in chosen
    assert "let me pick" in await render(client, "setup_llm_judge_evaluation", judge)


async def test_a_quote_in_an_argument_stays_inside_its_string(client: Client) -> None:
    text = await render(client, "investigate_task_run", {"space": "demo", "task": 'say "hi"'})
    assert json.dumps('say "hi"') in text


async def test_a_missing_required_argument_is_an_error_that_says_which(client: Client) -> None:
    with pytest.raises(MCPError, match="needs project") as missing:
        await client.get_prompt("setup_llm_judge_evaluation", {"space": "demo"})
    assert missing.value.error.code == INVALID_PARAMS
    with pytest.raises(MCPError, match="needs space and task"):
        await client.get_prompt("investigate_task_run", {"space": "", "task": ""})
    with pytest.raises(MCPError, match="investigate_task_run") as unknown:
        await client.get_prompt("setup", {})
    assert unknown.value.error.code == INVALID_PARAMS


async def test_prompts_do_not_ride_on_tools_list(
    service: TasksService, connect: Connect, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def tools_of(server: MCPServer[Any]) -> list[dict[str, Any]]:
        async with connect(server) as c:
            listed = (await c.list_tools()).tools
        return [t.model_dump(by_alias=True, mode="json") for t in listed]

    full = await tools_of(build_server(service))
    monkeypatch.setattr("ax_tasks_mcp.server.tools.add_features", lambda *_: None)
    bare = build_server(service)
    assert (await bare.list_prompts()) == []
    assert await tools_of(bare) == full

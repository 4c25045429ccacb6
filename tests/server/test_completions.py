"""completion/complete: real names from the sandbox for every prompt argument and resource
template variable that names something, filtered by a case-insensitive prefix, within the space
(and dataset, and task) already chosen; and the short-lived cache behind it."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import Client
from mcp_types import PromptReference, ResourceTemplateReference

from ax_tasks_mcp import NotFoundError, Page
from ax_tasks_mcp.server.calls import ServiceHandle
from ax_tasks_mcp.server.completions import MAX_VALUES, NameCompleter
from tests.server.mcp_helpers import SPACE

pytestmark = pytest.mark.anyio

TASK_TEMPLATE = "arize-task://{space}/{task}"


async def complete_prompt(
    client: Client, prompt: str, argument: str, typed: str, **known: str
) -> list[str]:
    ref = PromptReference(type="ref/prompt", name=prompt)
    result = await client.complete(ref, {"name": argument, "value": typed}, known or None)
    return list(result.completion.values)


async def complete_template(client: Client, variable: str, typed: str, **known: str) -> list[str]:
    ref = ResourceTemplateReference(type="ref/resource", uri=TASK_TEMPLATE)
    result = await client.complete(ref, {"name": variable, "value": typed}, known or None)
    return list(result.completion.values)


async def test_spaces_complete_by_prefix_in_any_case(client: Client) -> None:
    judge = "setup_llm_judge_evaluation"
    assert await complete_prompt(client, judge, "space", "") == [
        "demo",
        "production-llm",
        "research",
    ]
    assert await complete_prompt(client, judge, "space", "PRO") == ["production-llm"]
    assert await complete_prompt(client, judge, "space", "nothing-like-it") == []


JUDGE, DATASET_EVAL = "setup_llm_judge_evaluation", "evaluate_dataset_experiments"
COMPARE, INVESTIGATE = "run_experiment_and_compare", "investigate_task_run"


@pytest.mark.parametrize(
    ("prompt", "argument", "typed", "space", "expected"),
    [
        (JUDGE, "project", "c", SPACE, ["chatbot"]),
        (JUDGE, "project", "c", "production-llm", ["chatbot-v2", "checkout-assistant"]),
        (JUDGE, "evaluator", "T", SPACE, ["toxicity", "trace-goal-completion"]),
        (DATASET_EVAL, "dataset", "", SPACE, ["qa-golden", "rag-questions"]),
        (COMPARE, "ai_integration", "an", SPACE, ["anthropic"]),
        (INVESTIGATE, "task", "", SPACE, ["chatbot-hallucination", "qa-golden-json-check"]),
        (INVESTIGATE, "task", "", "research", ["agent-goal-completion"]),
    ],
)
async def test_names_complete_within_the_chosen_space(
    client: Client, prompt: str, argument: str, typed: str, space: str, expected: list[str]
) -> None:
    assert await complete_prompt(client, prompt, argument, typed, space=space) == expected


async def test_experiments_complete_within_the_chosen_dataset(client: Client) -> None:
    compare = "run_experiment_and_compare"
    in_dataset = await complete_prompt(
        client, compare, "baseline_experiment", "", space=SPACE, dataset="qa-golden"
    )
    assert in_dataset == ["baseline-gpt-4o", "claude-sonnet", "prompt-v2"]
    in_space = await complete_prompt(client, compare, "baseline_experiment", "RE", space=SPACE)
    assert in_space == ["retriever-k10", "retriever-k5"]


async def test_run_ids_complete_for_the_chosen_task(client: Client) -> None:
    runs = await complete_prompt(
        client, "investigate_task_run", "run_id", "", space=SPACE, task="chatbot-hallucination"
    )
    assert runs
    listed = await client.call_tool(
        "list_task_runs", {"space": SPACE, "task": "chatbot-hallucination"}
    )
    assert listed.structured_content is not None
    assert set(runs) == {r["id"] for r in listed.structured_content["task_runs"]}
    assert await complete_prompt(client, "investigate_task_run", "run_id", "", space=SPACE) == []


async def test_resource_template_variables_complete(client: Client) -> None:
    assert await complete_template(client, "space", "d") == ["demo"]
    assert await complete_template(client, "task", "CHAT", space=SPACE) == ["chatbot-hallucination"]
    run_template = ResourceTemplateReference(type="ref/resource", uri="arize-run://{run_id}")
    nothing = await client.complete(run_template, {"name": "run_id", "value": ""})
    assert nothing.completion.values == []


async def test_no_space_means_every_space_and_mistakes_complete_to_nothing(client: Client) -> None:
    judge = "setup_llm_judge_evaluation"
    # no space chosen and no default space: the projects of every space the key can see
    everywhere = await complete_prompt(client, judge, "project", "")
    assert {"chatbot", "agent-sandbox", "checkout-assistant"} <= set(everywhere)
    # an unknown space: nothing, not an error
    assert await complete_prompt(client, judge, "project", "", space="no-such-space") == []
    assert await complete_prompt(client, "investigate_task_run", "unknown_argument", "x") == []


class CountingService:
    """Answers the projects lookup from a fixed list, counting the requests it was asked."""

    def __init__(self, names: list[str], *, more: bool = False) -> None:
        self.names = names
        self.more = more
        self.calls: list[dict[str, Any]] = []

    def list_lookup(self, kind: str, **query: Any) -> Page:
        assert kind == "projects"
        self.calls.append(query)
        if query.get("space") == "missing":
            raise NotFoundError("Space 'missing' was not found.")
        typed = (query.get("name") or "").lower()
        items = [{"name": n} for n in self.names if typed in n.lower()]
        return Page(items=items, next_cursor="next" if self.more else None)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def completer(service: CountingService, clock: Clock) -> NameCompleter:
    handle = ServiceHandle(lambda: service)  # type: ignore[arg-type, return-value]
    return NameCompleter(handle, clock=clock, ttl=30.0)


def test_a_longer_prefix_is_answered_from_a_complete_shorter_one() -> None:
    service, clock = CountingService(["Chatbot", "chat-v2", "checkout"]), Clock()
    names = completer(service, clock)
    assert names.names("projects", "ch", {"space": "s"}) == (
        ["chat-v2", "Chatbot", "checkout"],
        False,
    )
    assert names.names("projects", "CHAT", {"space": "s"}) == (["chat-v2", "Chatbot"], False)
    assert len(service.calls) == 1
    assert service.calls[0] == {"space": "s", "name": "ch", "limit": MAX_VALUES}
    names.names("projects", "chat", {"space": "other"})  # another space is another question
    assert len(service.calls) == 2
    clock.now += 31  # answers expire
    names.names("projects", "chat", {"space": "s"})
    assert len(service.calls) == 3


def test_a_partial_answer_is_not_reused_for_a_longer_prefix() -> None:
    service, clock = CountingService(["a1", "a2"], more=True), Clock()
    names = completer(service, clock)
    assert names.names("projects", "a", {"space": "s"}) == (["a1", "a2"], True)
    names.names("projects", "a1", {"space": "s"})
    assert [c["name"] for c in service.calls] == ["a", "a1"]


def test_a_service_error_completes_to_nothing() -> None:
    names = completer(CountingService(["x"]), Clock())
    assert names.names("projects", "", {"space": "missing"}) == ([], False)

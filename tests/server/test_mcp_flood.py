"""A space another client flooded stays readable: no tool result passes 25,000 o200k tokens.

Another client (or an older API) may have written names, filters, prompts and failure reasons
of a million characters.  The API refuses such writes now, so the test writes them straight
into the sandbox's store, in random text (the costliest in tokens), then calls every reading
tool with the largest pages it allows.  Every answer stays within the budget and says what it
cut; a page cut short keeps its cursor, so no task is lost.
"""

from __future__ import annotations

import json
import random
import sqlite3
import string
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from ax_tasks_mcp import EvaluationTaskSpec
from ax_tasks_mcp.service.connect import TasksService
from tests.server.mcp_helpers import (
    SPACE,
    START,
    copy_sandbox,
    error,
    make_service,
    ok,
    text,
    tokens,
)
from tests.support.clock import FakeTime

pytestmark = pytest.mark.anyio

HOST_LIMIT = 25_000  # o200k tokens: what a host such as Claude Code accepts from a tool
BIG = 1_000_000
CUT = "more characters cut]"


def noise(size: int, seed: int) -> str:
    """Random printable text: about one o200k token for every two characters."""
    picker = random.Random(seed)
    return "".join(
        picker.choices(string.ascii_letters + string.digits + string.punctuation, k=size)
    )


def _flood(db: Path) -> None:
    """What an old or careless client could have stored, written past the API's checks: the
    first task with a megabyte of name and a configuration to match, every other name and
    filter a few pages long, and evaluators, projects and failure reasons to go with them."""
    conn = sqlite3.connect(db)
    with conn:
        rows = conn.execute("SELECT id, name, config FROM tasks ORDER BY id").fetchall()
        for number, (task_id, name, config) in enumerate(rows):
            settings = json.loads(config)
            if number == 0:
                name, size = noise(BIG, number), 20_000
                mappings = {f"v{i}": noise(400, i) for i in range(40)}
                settings["evaluators"] = [
                    {**settings["evaluators"][0], "column_mappings": mappings}
                ] * 8
            else:
                name, size = f"{name}-{noise(6_000, number)}", 3_000
            if settings.get("evaluators"):
                settings["query_filter"] = noise(size, 100 + number)
            conn.execute(
                "UPDATE tasks SET name = ?, config = ? WHERE id = ?",
                (name, json.dumps(settings), task_id),
            )
        conn.execute(
            "UPDATE evaluators SET name = name || ?, description = ?",
            (noise(20_000, 7), noise(50_000, 8)),
        )
        conn.execute("UPDATE projects SET name = name || ?", (noise(20_000, 9),))
        conn.execute(
            "UPDATE task_runs SET plan ="
            " json_set(plan, '$.failure_reason', ?, '$.outcome', 'FAILED')",
            (noise(BIG, 10),),
        )
    conn.close()


@pytest.fixture(scope="module")
def flooded_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The sandbox, crowded (30 more tasks in demo) and then flooded, and the IDs to read by:
    built once per module and copied for each test."""
    db = tmp_path_factory.mktemp("flooded") / "sandbox.db"
    with make_service(db, FakeTime(START)) as service:
        for number in range(30):
            service.create_task(
                EvaluationTaskSpec(
                    name=f"crowd-{number:02d}",
                    task_type="TEMPLATE_EVALUATION",
                    space=SPACE,
                    project="chatbot",
                    evaluators=[{"evaluator": "hallucination"}],
                )
            )
        task = service.list_tasks(space=SPACE, name="chatbot-hallucination").items[0]
        run = service.list_runs(task["id"]).items[0]
        evaluator = service.list_lookup("evaluators", space=SPACE, name="hallucination").items[0]
    _flood(db)
    return db, {"task": str(task["id"]), "run": str(run["id"]), "evaluator": str(evaluator["id"])}


@pytest.fixture
def sandbox_db(sandbox_db: Path, request: pytest.FixtureRequest) -> Path:
    """A test that asks for ``flooded`` starts from a copy of the flooded sandbox."""
    if "flooded" in request.fixturenames:
        copy_sandbox(request.getfixturevalue("flooded_template")[0], sandbox_db)
    return sandbox_db


@pytest.fixture
def flooded(service: TasksService, flooded_template: tuple[Path, dict[str, str]]) -> dict[str, str]:
    """IDs to read by in the flooded sandbox ``service`` serves."""
    return flooded_template[1]


def _calls(ids: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    big_page = {"limit": 100, "full": True}
    return [
        ("list_tasks", {"space": SPACE}),
        ("list_tasks", {"space": SPACE, **big_page}),
        ("list_tasks", {"limit": 100}),
        ("list_tasks", {"space": SPACE, "evaluator": ids["evaluator"], "limit": 100}),
        ("get_task", {"task": ids["task"]}),
        ("list_task_runs", {"task": ids["task"], **big_page}),
        ("list_task_runs", {"task": ids["task"], "limit": 100, "since": "400d"}),
        ("get_task_run", {"run_id": ids["run"]}),
        ("list_evaluators", {"limit": 100}),
        ("list_projects", {"limit": 100}),
        ("list_datasets", {"limit": 100}),
        ("list_experiments", {"space": SPACE, "limit": 100}),
    ]


async def test_no_answer_in_a_flooded_space_passes_the_hosts_limit(
    client: Client, flooded: dict[str, str]
) -> None:
    for tool, arguments in _calls(flooded):
        result = await client.call_tool(tool, arguments)
        shown = text(result)
        assert tokens(shown) <= HOST_LIMIT, (tool, arguments, tokens(shown))
        if tool in ("get_task", "list_tasks"):
            assert CUT in shown, (tool, arguments)


async def test_a_page_cut_to_fit_loses_no_task(client: Client, flooded: dict[str, str]) -> None:
    arguments: dict[str, Any] = {"space": SPACE, "limit": 100, "full": True}
    seen: list[str] = []
    pages = 0
    while True:
        page = ok(await client.call_tool("list_tasks", arguments))
        seen += [task["id"] for task in page["tasks"]]
        pages += 1
        if page["next_cursor"] is None:
            break
        assert "note" in page
        arguments["cursor"] = page["next_cursor"]
    assert pages > 1  # the flood did not fit one answer
    assert len(seen) == len(set(seen)) == 32  # the seeded two and the crowd of thirty


async def test_a_near_miss_quotes_flooded_names_shortly(
    client: Client, flooded: dict[str, str]
) -> None:
    message = error(await client.call_tool("get_task", {"space": SPACE, "task": "crowd-07"}))
    assert "Did you mean" in message
    assert len(message) < 2_000

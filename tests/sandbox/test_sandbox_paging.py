"""Lists page in SQL: filters in the WHERE clause, keyset cursors, LIMIT limit + 1.

A page must cost the same however many rows the table holds: no statement of a list request may
hand Python more than limit + 1 rows, and SQLite's own work for a page must not grow with the
table. Cursors keep their filters' meaning across pages.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient

from ax_tasks_mcp.sandbox import ids
from ax_tasks_mcp.sandbox.core import Sandbox
from ax_tasks_mcp.sandbox.embedded import SandboxTransport
from ax_tasks_mcp.sandbox.runs import CONTINUOUS_INTERVAL
from tests.support.clock import FakeTime
from tests.support.sandbox_data import AUTH, WINDOW, Catalog, span_task_body

BULK = 2_500
TYPES = ("TEMPLATE_EVALUATION", "CODE_EVALUATION")


@dataclass
class Meter:
    """Rows each statement hands to Python, and SQLite VM steps, on the sandbox's connection."""

    rows: dict[int, int] = field(default_factory=dict)
    statements: list[str] = field(default_factory=list)
    steps: int = 0

    def reset(self) -> None:
        self.rows.clear()
        self.statements.clear()
        self.steps = 0


STEP_GRANULARITY = 10


@contextmanager
def metered(sandbox: Sandbox) -> Iterator[Meter]:
    """Count, for every statement run on the sandbox's connection, the rows Python fetches.

    Each statement is fully read before the next one starts in the handlers, so a row belongs
    to the statement traced last.
    """
    meter = Meter()

    def trace(sql: str) -> None:
        meter.statements.append(sql)

    def row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> sqlite3.Row:
        index = len(meter.statements) - 1
        meter.rows[index] = meter.rows.get(index, 0) + 1
        return sqlite3.Row(cursor, values)

    def step() -> int:
        meter.steps += STEP_GRANULARITY
        return 0

    with sandbox.store.read() as conn:
        connection = conn
    connection.set_trace_callback(trace)
    connection.row_factory = row
    connection.set_progress_handler(step, STEP_GRANULARITY)
    try:
        yield meter
    finally:
        connection.set_trace_callback(None)
        connection.row_factory = sqlite3.Row
        connection.set_progress_handler(None, 0)


def add_tasks(sandbox: Sandbox, count: int, start: int = 0) -> None:
    """Insert tasks straight into the store, in one transaction: 'bulk-NNNNN' over every
    project, alternating types; every seventh is named 'Odd_NNNNN%' (LIKE's wildcards)."""
    with sandbox.store.write() as conn:
        config = conn.execute("SELECT config FROM tasks WHERE id = 1").fetchone()["config"]
        projects = conn.execute("SELECT id, space_id FROM projects ORDER BY id").fetchall()
        now = sandbox.now()
        rows = []
        for i in range(start, start + count):
            project = projects[i % len(projects)]
            name = f"Odd_{i:05d}%" if i % 7 == 0 else f"bulk-{i:05d}"
            rows.append((project["space_id"], name, TYPES[i % 2], project["id"], config, now, now))
        conn.executemany(
            "INSERT INTO tasks (space_id, name, type, project_id, dataset_id, config, "
            "continuous_since, last_run_at, created_by, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, NULL, ?, NULL, NULL, NULL, ?, ?)",
            rows,
        )


@pytest.fixture
def sandbox(clock: FakeTime) -> Iterator[Sandbox]:
    box = Sandbox(":memory:", clock=clock.now, speed=1.0)
    add_tasks(box, BULK)
    yield box
    box.close()


@pytest.fixture
def client(sandbox: Sandbox) -> httpx.Client:
    """The embedded transport over the bulk sandbox (no spec check: the lists are long)."""
    return httpx.Client(
        transport=SandboxTransport(sandbox), base_url="http://sandbox", headers=AUTH
    )


def walk(
    client: httpx.Client,
    path: str,
    key: str,
    params: dict[str, Any],
    on_page: Callable[[], None] | None = None,
) -> list[dict[str, Any]]:
    """Every item of a list, page by page, checking each page's pagination object."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        response = client.get(path, params={**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        body = response.json()
        if on_page is not None:
            on_page()
        items += body[key]
        pagination = body["pagination"]
        if not pagination["has_more"]:
            assert "next_cursor" not in pagination
            return items
        assert len(body[key]) == params["limit"]
        cursor = pagination["next_cursor"]


def expected_tasks(sandbox: Sandbox, keep: Callable[[sqlite3.Row], bool]) -> list[str]:
    """What the old, all-in-Python list returned: every row kept by `keep`, newest first."""
    with sandbox.store.read() as conn:
        rows = conn.execute(
            "SELECT t.*, s.name AS space_name FROM tasks t JOIN spaces s ON s.id = t.space_id "
            "ORDER BY t.id DESC"
        ).fetchall()
    return [ids.encode(ids.TASK, r["id"]) for r in rows if keep(r)]


def has(haystack: str, needle: str) -> bool:
    return needle.casefold() in haystack.casefold()


# ------------------------------------------------------------------ bounded pages


def test_listing_thousands_of_tasks_reads_limit_plus_one_rows_per_page(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    limit = 100
    per_request: list[tuple[int, int]] = []
    with metered(sandbox) as meter:

        def on_page() -> None:
            per_request.append((max(meter.rows.values()), sum(meter.rows.values())))
            meter.reset()

        listed = walk(client, "/v2/tasks", "tasks", {"limit": limit}, on_page)
    assert [t["id"] for t in listed] == expected_tasks(sandbox, lambda r: True)
    assert len(per_request) == -(-(BULK + 4) // limit)
    # No statement hands over more than a page and the row that tells has_more; besides it,
    # only the evaluator names of the page's tasks (two each) and the few rows of look-ups and
    # of materialising the seeded continuous task's runs. The table has 25 times as many.
    assert max(biggest for biggest, _ in per_request) == limit + 1
    assert max(total for _, total in per_request) <= (limit + 1) + 2 * limit + 30


def test_the_cost_of_a_page_does_not_grow_with_the_table(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    def steps_of_pages() -> tuple[int, int]:
        with metered(sandbox) as meter:
            first = client.get("/v2/tasks", params={"limit": 50}).json()
            first_steps = meter.steps
            meter.reset()
            client.get(
                "/v2/tasks", params={"limit": 50, "cursor": first["pagination"]["next_cursor"]}
            )
            return first_steps, meter.steps

    small = steps_of_pages()
    add_tasks(sandbox, BULK * 3, start=BULK)
    large = steps_of_pages()  # the table is four times as big
    for before, after in zip(small, large, strict=True):
        assert after < before * 1.25, (small, large)


# ------------------------------------------------------------------ filters across pages


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"name": "odd_"}, lambda r: has(r["name"], "odd_")),
        ({"name": "%"}, lambda r: "%" in r["name"]),
        ({"name": "_0001"}, lambda r: "_0001" in r["name"]),
        ({"name": "BULK-01"}, lambda r: has(r["name"], "bulk-01")),
        ({"space_name": "LLM"}, lambda r: has(r["space_name"], "llm")),
        ({"type": "CODE_EVALUATION"}, lambda r: r["type"] == "CODE_EVALUATION"),
        (
            {"type": "CODE_EVALUATION", "space_name": "rese", "name": "ODD"},
            lambda r: (
                r["type"] == "CODE_EVALUATION"
                and has(r["space_name"], "rese")
                and has(r["name"], "odd")
            ),
        ),
        ({"name": "no-such-task"}, lambda r: False),
    ],
)
def test_filtered_cursors_walk_every_match_once_newest_first(
    sandbox: Sandbox,
    client: httpx.Client,
    params: dict[str, Any],
    keep: Callable[[sqlite3.Row], bool],
) -> None:
    listed = walk(client, "/v2/tasks", "tasks", {"limit": 37, **params})
    assert [t["id"] for t in listed] == expected_tasks(sandbox, keep)


@pytest.mark.parametrize(
    ("param", "type_name"), [("project_id", ids.PROJECT), ("space_id", ids.SPACE)]
)
def test_id_filters_walk_every_match_once(
    sandbox: Sandbox, client: httpx.Client, param: str, type_name: str
) -> None:
    column = param
    listed = walk(client, "/v2/tasks", "tasks", {"limit": 41, param: ids.encode(type_name, 2)})
    assert [t["id"] for t in listed] == expected_tasks(sandbox, lambda r: r[column] == 2)
    assert listed


def test_a_cursor_stays_valid_while_tasks_come_and_go(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    before = expected_tasks(sandbox, lambda r: has(r["name"], "bulk-"))
    first = client.get("/v2/tasks", params={"limit": 10, "name": "bulk-"}).json()
    assert [t["id"] for t in first["tasks"]] == before[:10]
    cursor = first["pagination"]["next_cursor"]
    assert client.delete(f"/v2/tasks/{before[10]}").status_code == 204
    add_tasks(sandbox, 5, start=10 * BULK)  # newer than every page already seen
    rest = client.get("/v2/tasks", params={"limit": 3, "name": "bulk-", "cursor": cursor}).json()
    assert [t["id"] for t in rest["tasks"]] == before[11:14]


def test_name_filters_fold_case_as_python_does(api: TestClient, catalog: Catalog) -> None:
    created = api.post("/v2/tasks", json=span_task_body(catalog, "Straße-Prüfung")).json()
    for needle in ("STRASSE", "strasse-prüfung", "PRÜF", "ße-p"):
        found = api.get("/v2/tasks", params={"name": needle}).json()["tasks"]
        assert [t["id"] for t in found] == [created["id"]], needle
    assert api.get("/v2/tasks", params={"name": "strase"}).json()["tasks"] == []


# ------------------------------------------------------------------ cursors


def raw_cursor(data: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "",
        "!!!",
        raw_cursor({"s": "tasks", "k": "12"}),
        raw_cursor({"s": "tasks", "k": True}),
        raw_cursor({"s": "tasks", "k": 1.5}),
        raw_cursor({"s": "tasks", "k": 2**70}),
        raw_cursor({"s": "tasks"}),
        raw_cursor(["tasks", 3]),
        raw_cursor({"s": "task_runs", "k": 3}),
    ],
)
def test_a_malformed_or_foreign_cursor_is_400(client: httpx.Client, cursor: str) -> None:
    response = client.get("/v2/tasks", params={"cursor": cursor, "name": "bulk"})
    assert response.status_code == 400, response.text
    assert "cursor" in response.json()["detail"]


def test_a_forged_cursor_is_400_like_a_garbled_one(api: TestClient) -> None:
    """A well-formed cursor for a row key the sandbox never gave out (the real service signs
    its cursors, so a forged one is refused rather than read as an empty last page)."""
    first = api.get("/v2/tasks", params={"limit": 1}).json()
    real = first["pagination"]["next_cursor"]
    assert api.get("/v2/tasks", params={"limit": 1, "cursor": real}).status_code == 200
    _, _, signature = real.rpartition(".")
    for forged in (
        raw_cursor({"s": "tasks", "k": 10**9}),
        f"{raw_cursor({'s': 'tasks', 'k': 1})}.{signature}",
    ):
        response = api.get("/v2/tasks", params={"cursor": forged})
        assert response.status_code == 400, forged
        assert "next_cursor" in response.json()["detail"]


def test_catalog_cursors_keep_their_filters(api: TestClient) -> None:
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 1, "name": "CHAT"}
    while True:
        body = api.get("/v2/projects", params=params).json()
        seen += [p["name"] for p in body["projects"]]
        if not body["pagination"]["has_more"]:
            break
        params["cursor"] = body["pagination"]["next_cursor"]
    assert seen == ["chatbot", "chatbot-v2"]
    other = api.get("/v2/datasets", params={"cursor": params["cursor"]})
    assert other.status_code == 400


# ------------------------------------------------------------------ runs


def test_run_pages_filter_by_status_and_see_materialised_continuous_runs(
    api: TestClient, catalog: Catalog, clock: FakeTime
) -> None:
    task = api.post("/v2/tasks", json=span_task_body(catalog, "live", is_continuous=True)).json()
    url = f"/v2/tasks/{task['id']}/runs"
    manual = api.post(f"/v2/tasks/{task['id']}/trigger", json=WINDOW).json()
    api.post(f"/v2/task-runs/{manual['id']}/cancel")
    clock.advance(CONTINUOUS_INTERVAL * 3 + 0.5)  # three slots come due; the last is PENDING
    everything = api.get(url, params={"limit": 100}).json()["task_runs"]
    assert len(everything) == 4  # the cancelled run and three continuous ones
    numbers = [ids.decode(r["id"]).number for r in everything]
    assert numbers == sorted(numbers, reverse=True)
    assert everything[0]["status"] == "PENDING"
    assert everything[-1]["status"] == "CANCELLED"
    for status in ("PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED"):
        paged: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": 1, "status": status}
        while True:
            body = api.get(url, params=params).json()
            paged += body["task_runs"]
            if not body["pagination"]["has_more"]:
                break
            params["cursor"] = body["pagination"]["next_cursor"]
        assert paged == [r for r in everything if r["status"] == status], status
    clock.advance(CONTINUOUS_INTERVAL)  # one more slot: it shows up on the first page
    fresh = api.get(url, params={"limit": 1}).json()
    assert fresh["task_runs"][0]["id"] not in {r["id"] for r in everything}
    assert fresh["pagination"]["has_more"] is True


# ------------------------------------------------------------------ indexes


def test_a_database_from_before_the_read_indexes_gains_them(tmp_path: Any) -> None:
    db = tmp_path / "old.db"
    Sandbox(db).close()
    with sqlite3.connect(db) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN "
                "('tasks_space', 'tasks_project', 'tasks_continuous', 'experiments_dataset')"
            )
        ]
        assert len(names) == 4
        for name in names:
            conn.execute(f"DROP INDEX {name}")
    Sandbox(db).close()
    with sqlite3.connect(db) as conn:
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert set(names) <= present

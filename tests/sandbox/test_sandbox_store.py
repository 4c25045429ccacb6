"""Storage: where the file lives, persistence across restarts, seeding, info and reset."""

from __future__ import annotations

import base64
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from ax_tasks_mcp.sandbox import ids, info, reset
from ax_tasks_mcp.sandbox.__main__ import main
from ax_tasks_mcp.sandbox.settings import SandboxSettingError
from ax_tasks_mcp.sandbox.store import Store, resolve_db_path
from tests.support.clock import FakeTime
from tests.support.sandbox_data import Catalog, span_task_body


def test_the_db_path_comes_from_the_argument_then_the_env_then_the_user_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AX_TASKS_SANDBOX_DB", str(tmp_path / "env.db"))
    assert resolve_db_path(tmp_path / "arg.db") == str(tmp_path / "arg.db")
    assert resolve_db_path() == str(tmp_path / "env.db")
    monkeypatch.delenv("AX_TASKS_SANDBOX_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    default = Path(resolve_db_path())
    assert default.name == "sandbox.db"
    assert default.parent.name == "ax-tasks"
    assert default.parent.is_dir()
    assert resolve_db_path(":memory:") == ":memory:"


def test_a_file_database_uses_wal_and_a_busy_timeout(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    try:
        with store.read() as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    finally:
        store.close()


def test_tasks_survive_a_restart_and_the_seed_is_not_repeated(
    tmp_path: Path, make_app: Any, client_for: Any
) -> None:
    db = str(tmp_path / "sandbox.db")
    with client_for(make_app(db)) as api:
        created = api.post("/v2/tasks", json=span_task_body(Catalog(api), "kept")).json()
    with client_for(make_app(db)) as api:
        assert api.get(f"/v2/tasks/{created['id']}").json()["name"] == "kept"
        assert len(api.get("/v2/spaces").json()["spaces"]) == 3


def test_schema_creation_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    first = info(db)
    second = info(db)
    first.pop("db_path")
    second.pop("db_path")
    assert first == second


def test_seed_is_deterministic_apart_from_times(tmp_path: Path) -> None:
    a, b = info(tmp_path / "a.db"), info(tmp_path / "b.db")
    for summary in (a, b):
        summary.pop("db_path")
        summary.pop("seeded_at")
    assert a == b


def test_info_lists_every_seeded_resource_with_typed_ids(tmp_path: Path) -> None:
    summary = info(tmp_path / "s.db")
    assert [s["name"] for s in summary["spaces"]] == ["demo", "production-llm", "research"]

    def type_of(value: str) -> str:
        return ids.decode(value).type_name

    for space in summary["spaces"]:
        assert type_of(space["id"]) == "Space"
        assert space["projects"]
        assert space["datasets"]
        assert space["evaluators"]
        assert all(type_of(p["id"]) == "Model" for p in space["projects"])
        for dataset in space["datasets"]:
            assert type_of(dataset["id"]) == "Dataset"
            assert len(dataset["experiments"]) >= 2
            for version in dataset["versions"]:
                assert type_of(version["id"]) == "DatasetVersion"
                assert version["example_count"] > 0
                assert version["first_example_ids"]
        kinds = {e["type"] for e in space["evaluators"]}
        assert "TEMPLATE" in kinds
        for evaluator in space["evaluators"]:
            assert all(type_of(v) == "EvaluatorVersion" for v in evaluator["version_ids"])
    assert {e["type"] for s in summary["spaces"] for e in s["evaluators"]} == {"TEMPLATE", "CODE"}
    providers = {i["provider"]: i for i in summary["ai_integrations"]}
    assert {"OPEN_AI", "ANTHROPIC", "CUSTOM"} <= set(providers)
    assert providers["CUSTOM"]["is_agent"] is True
    assert all(type_of(i["id"]) == "LlmIntegration" for i in summary["ai_integrations"])
    tasks = [t for s in summary["spaces"] for t in s["tasks"]]
    assert len(tasks) >= 3
    assert {t["type"] for t in tasks} == {
        "TEMPLATE_EVALUATION",
        "CODE_EVALUATION",
        "RUN_EXPERIMENT",
    }


def test_seeded_tasks_have_past_runs(api: Any) -> None:
    tasks = api.get("/v2/tasks").json()["tasks"]
    for task in tasks:
        runs = api.get(f"/v2/tasks/{task['id']}/runs").json()["task_runs"]
        assert runs, task["name"]
        assert task["last_run_at"] is not None


def test_reset_wipes_and_seeds_again(
    tmp_path: Path, make_app: Any, client_for: Any, clock: FakeTime
) -> None:
    db = str(tmp_path / "sandbox.db")
    with client_for(make_app(db)) as api:
        api.post("/v2/tasks", json=span_task_body(Catalog(api), "doomed"))
    reset(db, clock=clock.now)
    with client_for(make_app(db)) as api:
        names = [t["name"] for t in api.get("/v2/tasks").json()["tasks"]]
        assert "doomed" not in names
        assert "chatbot-hallucination" in names


def test_the_module_cli_prints_info_and_resets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "cli.db")
    assert main(["info", "--db", db]) == 0
    text = capsys.readouterr().out
    assert "space demo" in text
    assert "support-agent-runtime" in text
    assert main(["info", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["spaces"][0]["name"] == "demo"
    assert main(["reset", "--db", db]) == 0
    assert "reset" in capsys.readouterr().err


def test_the_sandbox_writes_real_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    info(db)
    conn = sqlite3.connect(db)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()
    assert {"tasks", "task_runs", "spaces", "experiments"} <= names
    assert base64.b64decode(info(db)["user_id"]).startswith(b"User:")


def test_a_database_of_another_schema_version_asks_for_a_reset(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    info(db)
    conn = sqlite3.connect(db)
    try:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
        conn.commit()
    finally:
        conn.close()
    with pytest.raises(SandboxSettingError, match=r"'ax-tasks sandbox reset --db .*old\.db'"):
        info(db)
    reset(db)
    assert info(db)["spaces"]


@pytest.mark.parametrize("transaction", ["read", "write"])
def test_a_transaction_that_cannot_commit_does_not_keep_its_lock(
    tmp_path: Path, transaction: str
) -> None:
    """A long-lived process (the MCP server) must not hold the database after a failed commit:
    another process would wait for it, request after request, until its retry budget ran out."""
    store = Store(tmp_path / "s.db")
    other = sqlite3.connect(tmp_path / "s.db", timeout=0, isolation_level=None)
    try:
        store.ensure_ready(lambda conn, now: None, 0.0)
        cursors: list[sqlite3.Cursor] = []

        def leave_a_write_running() -> None:
            with getattr(store, transaction)() as conn:
                # SQLite refuses to commit around a write still running
                cursors.append(conn.execute("INSERT INTO meta VALUES ('a', '1') RETURNING key"))

        with pytest.raises(sqlite3.OperationalError, match="statements in progress"):
            leave_a_write_running()
        other.execute("BEGIN IMMEDIATE")  # no "database is locked": the lock went with it
        assert other.execute("SELECT count(*) FROM meta WHERE key = 'a'").fetchone() == (0,)
        other.execute("ROLLBACK")
        cursors.clear()  # as a request's cursor ends with the request
        with store.write() as conn:  # and the store goes on working
            conn.execute("INSERT INTO meta VALUES ('c', '3')")
    finally:
        other.close()
        store.close()

"""Every read command, in every output format, against a sandbox serving the API as a next release
might (``sandbox serve --future``, over loopback HTTP): a task of a new type, runs in a new status
and extra fields everywhere are shown, never an error.  The CLI runs in-process on fake time."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from ax_tasks_mcp.sandbox.future import NEW_RUN_STATUS, NEW_TASK_TYPE
from ax_tasks_mcp.sandbox.serve import BackgroundServer
from tests.cli.conftest import Ax

pytestmark = pytest.mark.e2e

FORMATS = ("json", "yaml", "ndjson", "csv", "table")
TASK = "agent-goal-completion"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackgroundServer]:
    db = tmp_path_factory.mktemp("future") / "sandbox.db"
    with BackgroundServer(db, future=True, speed=1.0) as running:
        yield running


@pytest.fixture
def api(server: BackgroundServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[httpx.Client]:
    """The CLI pointed at the future server, and a plain client to see what it answers."""
    monkeypatch.setenv("ARIZE_BASE_URL", server.url)
    monkeypatch.setenv("ARIZE_API_KEY", "future-key")
    with httpx.Client(base_url=server.url, headers={"Authorization": "Bearer k"}) as client:
        yield client


@pytest.fixture
def queued_run(api: httpx.Client) -> dict[str, Any]:
    tasks = api.get("/v2/tasks", params={"name": TASK}).json()["tasks"]
    runs = api.get(f"/v2/tasks/{tasks[0]['id']}/runs").json()["task_runs"]
    run: dict[str, Any] = runs[0]
    return run


def _commands(run_id: str) -> dict[str, tuple[list[str], str | None]]:
    """command → (arguments, a new value its output must show, if it carries one)."""
    return {
        "list": (["list", "--space", "research"], NEW_TASK_TYPE),
        "get": (["get", TASK, "--space", "research"], NEW_TASK_TYPE),
        "list-runs": (["list-runs", TASK, "--space", "research"], NEW_RUN_STATUS),
        "get-run": (["get-run", run_id], NEW_RUN_STATUS),
        "spaces": (["spaces"], None),
        "projects": (["projects", "--space", "demo"], None),
        "datasets": (["datasets", "--space", "demo"], None),
        "evaluators": (["evaluators", "--space", "demo"], None),
        "ai-integrations": (["ai-integrations", "--space", "demo"], None),
        "experiments": (["experiments", "--space", "demo"], None),
    }


def _parsed(text: str, fmt: str) -> list[dict[str, Any]]:
    if fmt == "json":
        data = json.loads(text)
        return data if isinstance(data, list) else [data]
    if fmt == "yaml":
        data = yaml.safe_load(text)
        return data if isinstance(data, list) else [data]
    if fmt == "ndjson":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", list(_commands("")))
def test_every_read_command_shows_what_a_newer_api_sends(
    ax: Ax, api: httpx.Client, queued_run: dict[str, Any], command: str, fmt: str
) -> None:
    args, new_value = _commands(queued_run["id"])[command]
    result = ax(*args, "-o", fmt)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    if new_value is not None:
        assert new_value in result.stdout
    if fmt == "table":
        return
    items = _parsed(result.stdout, fmt)
    assert items
    assert all("revision" in item for item in items)  # the new field, in every machine format


def test_json_keeps_the_fields_in_the_order_the_api_sent_them(ax: Ax, api: httpx.Client) -> None:
    sent = api.get("/v2/tasks", params={"name": TASK}).json()["tasks"][0]
    shown = ax.json("get", TASK, "--space", "research")
    assert list(shown) == list(sent)
    assert list(shown)[1] == "revision"


def test_waiting_on_a_new_status_ends_at_the_deadline_with_one_warning(
    ax: Ax, queued_run: dict[str, Any]
) -> None:
    result = ax("wait-for-run", queued_run["id"], "--timeout", "30")
    assert result.exit_code == 7, (result.stdout, result.stderr)
    assert result.stderr.count(f"status '{NEW_RUN_STATUS}'") == 1
    assert "does not know" in result.stderr
    assert ax.time.t - 1_000.0 == pytest.approx(30)  # fake time: the deadline, not beyond


@pytest.mark.parametrize(
    "write",
    [
        ["update", TASK, "--space", "research", "--sampling-rate", "0.5"],
        ["trigger-run", TASK, "--space", "research", "--data-start-time", "2026-01-01T00:00:00Z"],
    ],
)
def test_update_and_trigger_of_a_new_type_refuse_naming_it(
    ax: Ax, api: httpx.Client, write: list[str]
) -> None:
    before = api.get("/v2/tasks", params={"name": TASK}).json()["tasks"][0]
    result = ax(*write)
    assert result.exit_code != 0
    assert NEW_TASK_TYPE in result.stderr
    assert "Upgrade ax-tasks" in result.stderr
    after = api.get("/v2/tasks", params={"name": TASK}).json()["tasks"][0]
    assert after == before


def test_a_task_of_a_new_type_can_be_deleted(
    ax: Ax, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with BackgroundServer(tmp_path / "own.db", future=True) as own:  # the shared one keeps it
        monkeypatch.setenv("ARIZE_BASE_URL", own.url)
        monkeypatch.setenv("ARIZE_API_KEY", "future-key")
        result = ax("delete", TASK, "--space", "research", "--force", "-o", "json")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["type"] == NEW_TASK_TYPE
        left = httpx.get(
            f"{own.url}/v2/tasks", params={"name": TASK}, headers={"Authorization": "Bearer k"}
        )
        assert left.json()["tasks"] == []

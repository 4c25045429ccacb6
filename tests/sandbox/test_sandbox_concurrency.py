"""Two processes writing to one database file at once lose nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest

from ax_tasks_mcp.sandbox import embedded_transport
from tests.support.sandbox_data import AUTH

pytestmark = pytest.mark.e2e  # separate processes over one database

WORKER = textwrap.dedent(
    """
    import json, sys
    import httpx
    from ax_tasks_mcp.sandbox import embedded_transport

    db, label, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    sys.stdin.readline()  # the starting gun: both workers wait here until the parent fires
    client = httpx.Client(
        transport=embedded_transport(db),
        base_url="http://sandbox",
        headers={"Authorization": "Bearer k"},
    )
    projects = client.get("/v2/projects", params={"name": "chatbot"}).json()["projects"]
    project = next(p for p in projects if p["name"] == "chatbot")
    evaluators = client.get(
        "/v2/evaluators", params={"space_id": project["space_id"], "name": "toxicity"}
    ).json()["evaluators"]
    runs = []
    for i in range(count):
        body = {
            "name": f"{label}-{i}",
            "type": "TEMPLATE_EVALUATION",
            "project_id": project["id"],
            "evaluators": [{"evaluator_id": evaluators[0]["id"]}],
        }
        task = client.post("/v2/tasks", json=body)
        assert task.status_code == 201, task.text
        run = client.post(
            f"/v2/tasks/{task.json()['id']}/trigger",
            json={
                "data_start_time": "2026-03-01T00:00:00Z",
                "data_end_time": "2026-03-02T00:00:00Z",
            },
        )
        assert run.status_code == 201, run.text
        runs.append(run.json()["id"])
    print(json.dumps(runs))
    """
)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("AX_TASKS_SANDBOX_DB", None)
    return env


def test_two_processes_creating_and_triggering_at_once_lose_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "shared.db")  # not created yet: both race to create and seed it
    count = 25
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, db, label, str(count)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for label in ("left", "right")
    ]
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    outputs = [w.communicate(timeout=120) for w in workers]
    for worker, (_, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
    run_ids = [run for out, _ in outputs for run in json.loads(out)]
    assert len(set(run_ids)) == 2 * count

    with httpx.Client(
        transport=embedded_transport(db), base_url="http://sandbox", headers=AUTH
    ) as client:
        spaces = client.get("/v2/spaces").json()["spaces"]
        assert [s["name"] for s in spaces] == ["demo", "production-llm", "research"]
        for label in ("left", "right"):
            tasks = client.get("/v2/tasks", params={"name": f"{label}-", "limit": 100}).json()
            assert len(tasks["tasks"]) == count
            for task in tasks["tasks"]:
                runs = client.get(f"/v2/tasks/{task['id']}/runs").json()["task_runs"]
                assert len(runs) == 1
        for run_id in run_ids:
            assert client.get(f"/v2/task-runs/{run_id}").status_code == 200

"""End to end over real loopback HTTP (uvicorn), the module entry point, and the embedded
transport across processes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from ax_tasks_mcp.sandbox import BackgroundServer, embedded_transport
from ax_tasks_mcp.sandbox.__main__ import main
from ax_tasks_mcp.sandbox.serve import serve
from tests.support.clock import FakeTime
from tests.support.processes import reap
from tests.support.sandbox_data import AUTH, Catalog, span_task_body

pytestmark = pytest.mark.e2e


def recent_window(now: datetime | None = None) -> dict[str, str]:
    """A window of recent hours (the seeded projects hold spans for the last 30 days)."""
    end = (now or datetime.now(UTC)) - timedelta(hours=1)
    return {
        "data_start_time": (end - timedelta(hours=6)).isoformat(),
        "data_end_time": end.isoformat(),
    }


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AX_TASKS_SANDBOX")}
    env.update(extra)
    return env


def test_create_trigger_and_wait_over_loopback_http(tmp_path: Path, spec_checker: Any) -> None:
    clock = FakeTime()
    with (
        BackgroundServer(tmp_path / "e2e.db", clock=clock.now) as server,
        httpx.Client(base_url=server.url, headers=AUTH, timeout=10) as client,
    ):
        assert server.url.startswith("http://127.0.0.1:")
        catalog = Catalog(client)
        created = client.post("/v2/tasks", json=span_task_body(catalog, "over-http"))
        assert created.status_code == 201
        task = created.json()
        run = client.post(f"/v2/tasks/{task['id']}/trigger", json=recent_window(clock.now()))
        assert run.status_code == 201, run.text
        statuses = [run.json()["status"]]
        for _ in range(120):  # two simulated minutes, a poll every simulated second
            if statuses[-1] in ("COMPLETED", "FAILED", "CANCELLED"):
                break
            clock.advance(1.0)
            polled = client.get(f"/v2/task-runs/{run.json()['id']}")
            assert not spec_checker.problems(polled)
            statuses.append(polled.json()["status"])
        assert statuses[0] == "PENDING"
        assert "RUNNING" in statuses
        assert statuses[-1] == "COMPLETED"
        deleted = client.delete(f"/v2/tasks/{task['id']}")
        assert deleted.status_code == 204
        assert deleted.content == b""
        unauth = httpx.get(f"{server.url}/v2/tasks")
        assert unauth.status_code == 401
        assert unauth.headers["content-type"] == "application/problem+json"
    assert not server.running


def test_ids_with_slashes_and_plus_signs_survive_the_path(tmp_path: Path) -> None:
    with (
        BackgroundServer(tmp_path / "p.db") as server,
        httpx.Client(base_url=server.url, headers=AUTH) as client,
    ):
        # a well-formed ID whose base64 holds '/' and '+': unknown, so 404 (not 400)
        odd = "T25saW5lVGFzazo5OTk5OTk5Ojs/Pz4+"
        response = client.get(f"/v2/tasks/{odd.replace('/', '%2F').replace('+', '%2B')}")
        assert response.status_code == 404, response.text


def test_serve_refuses_a_non_loopback_host() -> None:
    with pytest.raises(ValueError, match="refusing"):
        serve(host="0.0.0.0", port=0)  # noqa: S104 - the point of the test
    assert main(["serve", "--host", "192.0.2.1", "--port", "0"]) == 2


def _request_line(port: int, target: str) -> tuple[int, bytes]:
    """Send ``GET <target> HTTP/1.1`` as written; the status and body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(
            f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Authorization: Bearer k\r\nConnection: close\r\n\r\n".encode()
        )
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_a_request_line_in_absolute_form_is_served_like_its_origin_form(tmp_path: Path) -> None:
    """An HTTP/1.1 server must accept ``GET http://host:port/path`` (RFC 9112, 3.2.2)."""
    with BackgroundServer(tmp_path / "a.db") as server:
        port = int(server.url.rsplit(":", 1)[1])
        origin = _request_line(port, "/v2/spaces?limit=1")
        absolute = _request_line(port, f"http://127.0.0.1:{port}/v2/spaces?limit=1")
        assert origin[0] == absolute[0] == 200
        assert json.loads(absolute[1]) == json.loads(origin[1])
        odd = "T25saW5lVGFzazo5OTk5OTk5Ojs%2FPz4%2B"  # an escaped '/' stays in its segment
        assert _request_line(port, f"HTTP://127.0.0.1:{port}/v2/tasks/{odd}")[0] == 404
        assert b"No such endpoint" not in _request_line(port, f"http://x/v2/tasks/{odd}")[1]


def test_the_module_serves_announces_its_address_and_ctrl_c_exits_130(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ax_tasks_mcp.sandbox",
            "serve",
            "--port",
            "0",
            "--db",
            str(tmp_path / "m.db"),
        ],
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline().strip()
        assert line.startswith("sandbox listening on http://127.0.0.1:"), line
        url = line.rsplit(" ", 1)[1]
        response = httpx.get(f"{url}/v2/tasks", headers=AUTH, timeout=10)
        assert response.status_code == 200
        assert response.json()["tasks"]
        process.send_signal(signal.SIGINT)  # stops gracefully, then the table's 130
        assert process.wait(timeout=10) == 130
    finally:
        reap(process)


STEP = textwrap.dedent(
    """
    import json, sys
    import httpx
    from ax_tasks_mcp.sandbox import embedded_transport

    step, arg, window = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    client = httpx.Client(
        transport=embedded_transport(), base_url="http://sandbox",
        headers={"Authorization": "Bearer k"},
    )
    if step == "create":
        projects = client.get("/v2/projects", params={"name": "rag-search"}).json()["projects"]
        space = projects[0]["space_id"]
        evaluator = client.get(
            "/v2/evaluators", params={"space_id": space, "name": "relevance"}
        ).json()["evaluators"][0]
        body = {
            "name": arg, "type": "TEMPLATE_EVALUATION", "project_id": projects[0]["id"],
            "evaluators": [{"evaluator_id": evaluator["id"]}],
        }
        print(client.post("/v2/tasks", json=body).json()["id"])
    elif step == "trigger":
        print(client.post(f"/v2/tasks/{arg}/trigger", json=window).json()["id"])
    else:
        print(json.dumps(client.get(f"/v2/task-runs/{arg}").json()))
    """
)


def test_separate_processes_share_one_embedded_sandbox(tmp_path: Path) -> None:
    env = _env(AX_TASKS_SANDBOX_DB=str(tmp_path / "shared.db"), AX_TASKS_SANDBOX_SPEED="100000")

    def step(name: str, arg: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", STEP, name, arg, json.dumps(recent_window())],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=True,
        )
        return done.stdout.strip()

    task_id = step("create", "from-another-process")
    run_id = step("trigger", task_id)
    # Each process has its own clock; at this speed a run ends within a few polls, and every
    # poll is a new process that can only see the run through the shared database.
    for _ in range(20):
        run = json.loads(step("get", run_id))
        if run["status"] in ("COMPLETED", "FAILED", "CANCELLED"):
            break
    assert run["task_id"] == task_id
    assert run["status"] == "COMPLETED"
    with httpx.Client(
        transport=embedded_transport(tmp_path / "shared.db"), base_url="http://x", headers=AUTH
    ) as client:
        names = [t["name"] for t in client.get("/v2/tasks").json()["tasks"]]
    assert "from-another-process" in names

"""A sandbox served over loopback, behind a proxy that records the Authorization headers it saw,
so the secret-hygiene tests know the key really travelled (and where it must stop)."""

from __future__ import annotations

import base64
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.served_sandbox import ServedSandbox

#: Recognisable, and long enough for every redaction rule.
SECRET = "axk-LEAKCHECK-7f3a9c2e5b1d4086-SECRET"
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "host", "content-length", "date", "server"}
)


class RecordingProxy:
    """Forwards every request to the sandbox and remembers each Authorization header."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.authorizations: list[str] = []
        self._lock = threading.Lock()
        self._client = httpx.Client(timeout=30)
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with proxy._lock:
                    proxy.authorizations.append(self.headers.get("Authorization", ""))
                headers = [(k, v) for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP]
                answer = proxy._client.request(
                    self.command, proxy.upstream + self.path, headers=headers, content=body
                )
                self.send_response(answer.status_code)
                for key, value in answer.headers.multi_items():
                    if key.lower() not in _HOP_BY_HOP | {"content-encoding"}:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _forward

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        self._client.close()


@dataclass
class Served:
    sandbox: ServedSandbox
    proxy: RecordingProxy
    ids: dict[str, str]
    counter: int = 0

    @property
    def url(self) -> str:
        return self.proxy.url

    def unique(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def api(self, method: str, path: str, body: Any = None) -> Any:
        answer = httpx.request(
            method,
            self.sandbox.url + path,
            json=body,
            headers={"Authorization": "Bearer setup-only"},
            timeout=30,
        )
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def fresh_task(self) -> dict[str, Any]:
        """A new project evaluation task in the demo space."""
        body = {
            "name": self.unique("secret-task"),
            "type": "TEMPLATE_EVALUATION",
            "project_id": self.ids["project"],
            "evaluators": [{"evaluator_id": self.ids["evaluator"]}],
        }
        task: dict[str, Any] = self.api("POST", "/v2/tasks", body)
        return task

    def running_run(self, task_id: str) -> str:
        """A run of the task that stays RUNNING for an hour."""
        now = datetime.now(UTC)
        run = self.api(
            "POST",
            f"/v2/tasks/{task_id}/trigger",
            {
                "data_start_time": (now - timedelta(hours=1)).isoformat(),
                "data_end_time": now.isoformat(),
            },
        )
        number = int(base64.b64decode(run["id"]).decode().split(":")[1])
        with closing(sqlite3.connect(self.sandbox.db, timeout=30)) as conn, conn:
            (plan_text,) = conn.execute(
                "SELECT plan FROM task_runs WHERE id = ?", (number,)
            ).fetchone()
            plan = json.loads(plan_text)
            plan.update(pending=0.0, duration=3600.0, outcome="COMPLETED", failure_reason=None)
            conn.execute("UPDATE task_runs SET plan = ? WHERE id = ?", (json.dumps(plan), number))
        run_id: str = run["id"]
        return run_id


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("secrets-sandbox")
    sandbox = ServedSandbox(folder / "sandbox.db", folder).start()
    proxy = RecordingProxy(sandbox.url)
    try:
        probe = httpx.Client(base_url=sandbox.url, headers={"Authorization": "Bearer probe"})
        with probe:
            space = next(s for s in probe.get("/v2/spaces").json()["spaces"] if s["name"] == "demo")
            ids = {
                "space": space["id"],
                "project": probe.get(
                    "/v2/projects", params={"space_id": space["id"], "name": "chatbot"}
                ).json()["projects"][0]["id"],
                "evaluator": probe.get(
                    "/v2/evaluators", params={"space_id": space["id"], "name": "hallucination"}
                ).json()["evaluators"][0]["id"],
            }
        yield Served(sandbox, proxy, ids)
    finally:
        proxy.close()
        sandbox.stop()


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    return tmp_path / "config"

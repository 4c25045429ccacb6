"""The fake Arize API at the HTTP seam (respx), for the TasksService tests.

``FakeArize`` keeps a little world (spaces, projects, datasets, evaluators, experiments, AI
integrations, tasks, runs) and answers the spec's operations from it through respx routes, so
tests can assert the exact requests the service sends (``fake.sent()``) and make a write's
answer get lost (``fake.lose_next(...)``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import unquote

import httpx
import respx

from ax_tasks_mcp.service.ids import encode_id
from tests.support.clock import START

BASE = "https://api.test"


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass(frozen=True)
class Sent:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, str]
    body: Any

    def __repr__(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.query.items())
        text = f"{self.method} {self.path}{'?' + query if query else ''}"
        return text if self.body is None else f"{text} {json.dumps(self.body)}"


@dataclass
class Loss:
    """Make the next matching request's answer get lost."""

    method: str
    pattern: re.Pattern[str]
    landed: bool
    how: str  # "timeout" (ReadTimeout) or "gateway" (502)
    times: int = 1


@dataclass
class World:
    spaces: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    datasets: list[dict[str, Any]] = field(default_factory=list)
    evaluators: list[dict[str, Any]] = field(default_factory=list)
    experiments: list[dict[str, Any]] = field(default_factory=list)
    ai_integrations: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    task_runs: list[dict[str, Any]] = field(default_factory=list)


class FakeArize:
    """The fake service.  ``now`` gives the server's wall clock."""

    def __init__(self, router: respx.MockRouter, now: Callable[[], datetime]) -> None:
        self.router = router
        self.now = now
        self.world = World()
        self.losses: list[Loss] = []
        self.counter = 100
        self.run_script: dict[str, list[str]] = {}
        self.overrides: dict[tuple[str, str], Callable[[httpx.Request], httpx.Response]] = {}
        router.route().mock(side_effect=self._handle)

    # -- world building -----------------------------------------------------------------------

    def _next(self) -> int:
        self.counter += 1
        return self.counter

    def space(self, name: str) -> dict[str, Any]:
        item = {
            "id": encode_id("Space", self._next(), "sPcE"),
            "name": name,
            "description": "",
            "created_at": iso(START - timedelta(days=100)),
            "is_private": False,
        }
        self.world.spaces.append(item)
        return item

    def _scoped(
        self, kind: str, type_name: str, name: str, space: dict[str, Any], **extra: Any
    ) -> dict[str, Any]:
        item = {
            "id": encode_id(type_name, self._next(), "aBcD"),
            "name": name,
            "space_id": space["id"],
            "created_at": iso(START - timedelta(days=50)),
            **extra,
        }
        getattr(self.world, kind).append(item)
        return item

    def project(self, name: str, space: dict[str, Any]) -> dict[str, Any]:
        return self._scoped("projects", "Model", name, space)

    def dataset(self, name: str, space: dict[str, Any]) -> dict[str, Any]:
        return self._scoped("datasets", "Dataset", name, space, updated_at=iso(START))

    def evaluator(self, name: str, space: dict[str, Any]) -> dict[str, Any]:
        return self._scoped(
            "evaluators",
            "Evaluator",
            name,
            space,
            type="TEMPLATE",
            updated_at=iso(START),
            created_by_user_id=None,
        )

    def experiment(self, name: str, dataset: dict[str, Any]) -> dict[str, Any]:
        space = {"id": dataset["space_id"]}
        return self._scoped(
            "experiments",
            "Experiment",
            name,
            space,
            dataset_id=dataset["id"],
            updated_at=iso(START),
        )

    def ai_integration(self, name: str, space: dict[str, Any]) -> dict[str, Any]:
        item = {
            "id": encode_id("LlmIntegration", self._next(), "aBcD"),
            "name": name,
            "provider": "OPEN_AI",
            "has_api_key": True,
            "enable_default_models": True,
            "function_calling_enabled": True,
            "auth_type": "DEFAULT",
            "scopings": [{"space_id": space["id"]}],
            "created_at": iso(START),
            "updated_at": iso(START),
            "created_by_user_id": None,
            "space_id": space["id"],  # only for the fake's filter
        }
        self.world.ai_integrations.append(item)
        return item

    def task(
        self,
        name: str,
        space: dict[str, Any],
        *,
        task_type: str = "TEMPLATE_EVALUATION",
        project: dict[str, Any] | None = None,
        dataset: dict[str, Any] | None = None,
        last_run_at: datetime | None = None,
    ) -> dict[str, Any]:
        item = self._new_task(
            {
                "name": name,
                "type": task_type,
                "project_id": project["id"] if project else None,
                "dataset_id": dataset["id"] if dataset else None,
            },
            space_id=space["id"],
            created=START - timedelta(days=5),
        )
        if last_run_at is not None:
            item["last_run_at"] = iso(last_run_at)
        if task_type == "RUN_EXPERIMENT":
            item["run_configuration"] = {
                "experiment_type": "LLM_GENERATION",
                "ai_integration_id": encode_id("LlmIntegration", 1, "x"),
                "messages": [{"role": "USER", "content": "{q}"}],
                "input_variable_format": "F_STRING",
            }
        return item

    def run(self, task: dict[str, Any], status: str = "PENDING", **extra: Any) -> dict[str, Any]:
        item = {
            "id": encode_id("TaskRun", self._next(), "rUnX"),
            "task_id": task["id"],
            "status": status,
            "run_started_at": None,
            "run_finished_at": None,
            "data_start_time": None,
            "data_end_time": None,
            "num_successes": 0,
            "num_errors": 0,
            "num_skipped": 0,
            "created_at": iso(self.now()),
            "created_by_user_id": None,
            **extra,
        }
        self.world.task_runs.insert(0, item)
        return item

    def _new_task(
        self, body: dict[str, Any], *, space_id: str | None, created: datetime
    ) -> dict[str, Any]:
        if space_id is None:
            owner = self._find(
                [*self.world.projects, *self.world.datasets],
                body.get("project_id") or body.get("dataset_id") or "",
            )
            space_id = owner["space_id"] if owner else None
        item: dict[str, Any] = {
            "id": encode_id("OnlineTask", self._next(), "tAsK"),
            "name": body["name"],
            "type": body["type"],
            "project_id": body.get("project_id"),
            "dataset_id": body.get("dataset_id"),
            "sampling_rate": body.get("sampling_rate"),
            "is_continuous": bool(body.get("is_continuous", False)),
            "query_filter": body.get("query_filter"),
            "query_filters": body.get("query_filters"),
            "evaluators": self._task_evaluators(body.get("evaluators", [])),
            "experiment_ids": body.get("experiment_ids", []),
            "run_configuration": body.get("run_configuration"),
            "last_run_at": None,
            "created_at": iso(created),
            "updated_at": iso(created),
            "created_by_user_id": None,
            "space_id": space_id,  # only for the fake's filter; the real Task has no space_id
        }
        self.world.tasks.insert(0, item)
        return item

    def _task_evaluators(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                "evaluator_id": e["evaluator_id"],
                "evaluator_name": self._name_of(e["evaluator_id"]),
                "evaluator_version_id": e.get("evaluator_version_id"),
                "query_filter": e.get("query_filter"),
                "column_mappings": e.get("column_mappings"),
            }
            for e in entries
        ]

    def _name_of(self, evaluator_id: str) -> str:
        for item in self.world.evaluators:
            if item["id"] == evaluator_id:
                return str(item["name"])
        return "unknown"

    # -- faults -------------------------------------------------------------------------------

    def lose_next(
        self, method: str, path: str, *, landed: bool, how: str = "timeout", times: int = 1
    ) -> None:
        """The next ``times`` requests matching (method, path regex) lose their answer; when
        ``landed`` the server acted on them first."""
        self.losses.append(Loss(method, re.compile(path), landed, how, times))

    def override(
        self, method: str, path: str, answer: Callable[[httpx.Request], httpx.Response]
    ) -> None:
        self.overrides[(method, path)] = answer

    # -- the log ------------------------------------------------------------------------------

    def sent(self) -> list[Sent]:
        result = []
        for call in self.router.calls:
            request = call.request
            content = request.content
            body = json.loads(content) if content else None
            result.append(
                Sent(
                    request.method,
                    unquote(request.url.path),
                    dict(request.url.params.multi_items()),
                    body,
                )
            )
        return result

    def count(self, method: str, path: str | None = None) -> int:
        return sum(
            1 for s in self.sent() if s.method == method and (path is None or s.path == path)
        )

    def reset_log(self) -> None:
        self.router.calls.clear()

    # -- the server ---------------------------------------------------------------------------

    def _handle(self, request: httpx.Request) -> httpx.Response:
        path = unquote(request.url.path)
        method = request.method
        override = self.overrides.get((method, path))
        if override is not None:
            return override(request)
        loss = next(
            (x for x in self.losses if x.method == method and x.pattern.fullmatch(path)), None
        )
        if loss is not None:
            loss.times -= 1
            if loss.times <= 0:
                self.losses.remove(loss)
            if loss.landed:
                self._answer(method, path, request)
            if loss.how == "gateway":
                return httpx.Response(502, text="<html>Bad Gateway</html>")
            raise httpx.ReadTimeout("the answer was lost", request=request)
        return self._answer(method, path, request)

    def _answer(self, method: str, path: str, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params.multi_items())
        body: Any = json.loads(request.content) if request.content else {}
        lists = {
            "/v2/spaces": "spaces",
            "/v2/projects": "projects",
            "/v2/datasets": "datasets",
            "/v2/evaluators": "evaluators",
            "/v2/experiments": "experiments",
            "/v2/ai-integrations": "ai_integrations",
            "/v2/tasks": "tasks",
        }
        if method == "GET" and path in lists:
            return self._list(lists[path], params)
        if method == "POST" and path == "/v2/tasks":
            return _json(201, _public(self._new_task(body, space_id=None, created=self.now())))
        match = re.fullmatch(r"/v2/tasks/([^/]+)(/trigger|/runs)?", path)
        if match:
            task = self._find(self.world.tasks, match.group(1))
            if task is None:
                return _problem(404, "Not Found", "No such task.")
            suffix = match.group(2)
            if suffix is None and method == "GET":
                return _json(200, _public(task))
            if suffix is None and method == "PATCH":
                if "evaluators" in body:
                    body["evaluators"] = self._task_evaluators(body["evaluators"])
                task.update(body)
                task["updated_at"] = iso(self.now())
                return _json(200, _public(task))
            if suffix is None and method == "DELETE":
                self.world.tasks.remove(task)
                return httpx.Response(204)
            if suffix == "/trigger" and method == "POST":
                extra = {k: body[k] for k in ("data_start_time", "data_end_time") if k in body}
                return _json(201, self.run(task, **extra))
            if suffix == "/runs" and method == "GET":
                runs = [r for r in self.world.task_runs if r["task_id"] == task["id"]]
                if "status" in params:
                    runs = [r for r in runs if r["status"] == params["status"]]
                return self._paged("task_runs", runs, params)
        match = re.fullmatch(r"/v2/task-runs/([^/]+)(/cancel)?", path)
        if match:
            run = self._find(self.world.task_runs, match.group(1))
            if run is None:
                return _problem(404, "Not Found", "No such run.")
            if match.group(2) and method == "POST":
                if run["status"] not in ("PENDING", "RUNNING"):
                    return _problem(400, "Bad Request", "The run already finished.")
                run["status"] = "CANCELLED"
                return _json(200, run)
            if method == "GET":
                script = self.run_script.get(run["id"])
                if script:
                    step = script.pop(0)
                    if step.startswith("HTTP "):
                        return _problem(int(step[5:]), "Error", "scripted failure")
                    run["status"] = step
                    if step in ("RUNNING", "COMPLETED"):
                        run["num_successes"] += 10
                return _json(200, run)
        return _problem(404, "Not Found", f"No route {method} {path}")

    @staticmethod
    def _find(items: Iterable[dict[str, Any]], item_id: str) -> dict[str, Any] | None:
        return next((i for i in items if i["id"] == item_id), None)

    def _list(self, kind: str, params: dict[str, str]) -> httpx.Response:
        items = list(getattr(self.world, kind))
        for key in ("space_id", "project_id", "dataset_id"):
            if key in params:
                items = [i for i in items if i.get(key) == params[key]]
        if "type" in params:
            items = [i for i in items if i.get("type") == params["type"]]
        if "name" in params:
            needle = params["name"].lower()
            items = [i for i in items if needle in str(i["name"]).lower()]
        return self._paged(kind, [_public(i) for i in items], params)

    @staticmethod
    def _paged(key: str, items: list[dict[str, Any]], params: dict[str, str]) -> httpx.Response:
        limit = int(params.get("limit", "50"))
        start = int(params.get("cursor", "0"))
        page = items[start : start + limit]
        more = start + limit < len(items)
        pagination: dict[str, Any] = {"has_more": more}
        if more:
            pagination["next_cursor"] = str(start + limit)
        return _json(200, {key: page, "pagination": pagination})


def _public(item: dict[str, Any]) -> dict[str, Any]:
    data = dict(item)
    if "type" in data and "evaluators" in data:  # a task: the real one has no space_id
        data.pop("space_id", None)
    if "provider" in data:
        data.pop("space_id", None)
    return data


def _json(status: int, payload: Any) -> httpx.Response:
    return httpx.Response(status, json=payload)


def _problem(status: int, title: str, detail: str) -> httpx.Response:
    return httpx.Response(
        status,
        json={"title": title, "status": status, "detail": detail},
        headers={"content-type": "application/problem+json"},
    )

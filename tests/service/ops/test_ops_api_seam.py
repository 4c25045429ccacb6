"""The seam to the generated client: errors before parsing, tolerant reading, plain dicts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ax_tasks_mcp import task_spec
from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import (
    AuthenticationError,
    AxTasksError,
    ConnectionFailedError,
    NotFoundError,
    ServerError,
    ValidationError,
)
from tests.support.clock import FakeTime
from tests.support.fake_arize import FakeArize


def task_path(world: dict[str, Any]) -> str:
    return f"/v2/tasks/{world['eval_task']['id']}"


def test_requests_carry_the_key_and_our_user_agent(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    service.get_task(world["eval_task"]["id"])
    request = fake.router.calls[0].request
    assert request.headers["authorization"] == "Bearer test-key"
    assert request.headers["user-agent"].startswith("ax-tasks/")
    assert request.headers["accept"] == "application/json"


def test_without_an_api_key_nothing_is_sent_and_the_error_says_where_to_put_one(
    make_service: Callable[..., TasksService], fake: FakeArize, world: dict[str, Any]
) -> None:
    service = make_service(api_key=None)
    with pytest.raises(AuthenticationError, match="ARIZE_API_KEY"):
        service.list_tasks()
    assert fake.sent() == []


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (400, b"\x00\xff garbage", ValidationError),
        (400, b"<html>Bad request</html>", ValidationError),
        (404, b'{"title": "Not Found", "status": 404, "detail": "No such task."}', NotFoundError),
        (401, b"", AuthenticationError),
        (500, b"{not json", ServerError),
    ],
)
def test_error_answers_become_our_errors_whatever_their_body(
    service: TasksService,
    fake: FakeArize,
    world: dict[str, Any],
    status: int,
    body: bytes,
    error: type[Exception],
) -> None:
    fake.override(
        "GET",
        task_path(world),
        lambda request: httpx.Response(
            status, content=body, headers={"content-type": "application/problem+json"}
        ),
    )
    with pytest.raises(error) as caught:
        service.get_task(world["eval_task"]["id"])
    assert isinstance(caught.value, AxTasksError)
    if status == 404:
        assert "No such task." in str(caught.value)


def test_a_network_failure_is_a_connection_error(
    service: TasksService, fake: FakeArize, fake_time: FakeTime, world: dict[str, Any]
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    fake.override("GET", task_path(world), refuse)
    with pytest.raises(ConnectionFailedError, match=r"Could not connect to api\.test"):
        service.get_task(world["eval_task"]["id"])
    assert fake.count("GET") == 3  # the transport's bounded retries, under fake sleep
    assert len(fake_time.sleeps) == 2


def test_an_unreadable_success_body_is_a_clear_error_not_a_crash(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    fake.override("GET", task_path(world), lambda request: httpx.Response(200, json={"nope": 1}))
    with pytest.raises(AxTasksError, match="could not be read: the required field 'id'"):
        service.get_task(world["eval_task"]["id"])


def test_lowercase_enums_in_answers_are_read_as_uppercase(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    legacy = {**world["eval_task"], "type": "template_evaluation"}
    legacy.pop("space_id")
    fake.override("GET", task_path(world), lambda request: httpx.Response(200, json=legacy))
    task = service.get_task(world["eval_task"]["id"])
    assert task["type"] == "TEMPLATE_EVALUATION"


def test_an_unlisted_success_status_is_still_read(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    answer = {k: v for k, v in world["eval_task"].items() if k != "space_id"}
    fake.override("POST", "/v2/tasks", lambda request: httpx.Response(200, json=answer))
    task = service.create_task(
        task_spec(
            name="x",
            task_type="TEMPLATE_EVALUATION",
            project=world["chatbot"]["id"],
            evaluators=[{"evaluator_id": world["hallucination"]["id"]}],
        )
    )
    assert isinstance(task, dict)
    assert task["id"] == world["eval_task"]["id"]


def test_results_are_plain_json_with_unknown_run_fields_kept(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    run = fake.run(world["eval_task"], "RUNNING", queue_position=3)
    got = service.get_run(run["id"])
    assert got["queue_position"] == 3
    page = service.list_tasks()
    task = service.get_task("qa-generation")
    json.dumps([got, page.items, task])  # no generated classes, datetimes or enums inside
    assert type(task["run_configuration"]) is dict
    assert task["run_configuration"]["experiment_type"] == "LLM_GENERATION"

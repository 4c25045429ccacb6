"""Writes whose answer was lost are reconciled before being sent again: one lands, never two."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ax_tasks_mcp import RunRequest, task_spec
from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import UnknownOutcomeError
from tests.support.clock import FakeTime
from tests.support.fake_arize import FakeArize


def create(service: TasksService, world: dict[str, Any], name: str = "fresh") -> Any:
    return service.create_task(
        task_spec(
            name=name,
            task_type="TEMPLATE_EVALUATION",
            project=world["chatbot"]["id"],
            evaluators=[{"evaluator_id": world["hallucination"]["id"]}],
        )
    )


def named(fake: FakeArize, name: str) -> list[dict[str, Any]]:
    return [t for t in fake.world.tasks if t["name"] == name]


@pytest.mark.parametrize("how", ["timeout", "gateway"])
def test_a_create_that_landed_is_found_by_name_and_not_sent_again(
    service: TasksService, fake: FakeArize, world: dict[str, Any], how: str
) -> None:
    fake.lose_next("POST", "/v2/tasks", landed=True, how=how)
    task = create(service, world)
    assert fake.count("POST", "/v2/tasks") == 1
    assert len(named(fake, "fresh")) == 1
    assert isinstance(task, dict)
    assert task["id"] == named(fake, "fresh")[0]["id"]
    lookup = fake.sent()[-1]
    assert repr(lookup) == (
        f"GET /v2/tasks?name=fresh&project_id={world['chatbot']['id']}&limit=100"
    )


def test_a_create_that_did_not_land_is_sent_once_more(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    fake.lose_next("POST", "/v2/tasks", landed=False, how="gateway")
    task = create(service, world)
    assert fake.count("POST", "/v2/tasks") == 2
    assert len(named(fake, "fresh")) == 1
    assert isinstance(task, dict)
    assert task["name"] == "fresh"
    assert [s.method for s in fake.sent()] == ["POST", "GET", "POST"]


def test_an_old_task_of_the_same_name_is_not_mistaken_for_the_lost_create(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    fake.task("fresh", world["demo"], project=world["chatbot"])  # created days ago
    fake.lose_next("POST", "/v2/tasks", landed=False)
    create(service, world)
    assert fake.count("POST", "/v2/tasks") == 2


def test_a_create_that_never_lands_gives_up_after_bounded_resends(
    make_service: Callable[..., TasksService], fake: FakeArize, world: dict[str, Any]
) -> None:
    service = make_service(max_resends=2)
    fake.lose_next("POST", "/v2/tasks", landed=False, times=10)
    with pytest.raises(UnknownOutcomeError) as caught:
        create(service, world)
    assert fake.count("POST", "/v2/tasks") == 3
    assert named(fake, "fresh") == []
    assert "list the tasks named 'fresh'" in str(caught.value)


def test_a_create_whose_outcome_cannot_be_checked_is_an_unknown_outcome(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    fake.lose_next("POST", "/v2/tasks", landed=True)
    fake.override("GET", "/v2/tasks", lambda request: httpx.Response(500, text="internal error"))
    with pytest.raises(UnknownOutcomeError, match="may or may not have taken effect"):
        create(service, world)
    assert fake.count("POST", "/v2/tasks") == 1


def test_a_resend_refused_because_the_first_create_landed_late_returns_that_task(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    # The first POST's answer is lost and the lookup sees nothing yet; the resend is refused
    # (the name is taken) because the first one landed after all: that task is the answer.
    posts = 0
    original = fake._handle

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal posts
        if request.method == "POST":
            posts += 1
            if posts == 1:
                raise httpx.ReadTimeout("lost", request=request)
            late = fake.task("fresh", world["demo"], project=world["chatbot"])
            late["created_at"] = "2026-03-10T12:00:00.000Z"
            return httpx.Response(
                422, json={"title": "Unprocessable Entity", "status": 422, "detail": "Name taken."}
            )
        return original(request)

    fake.router.routes.clear()
    fake.router.route().mock(side_effect=handle)
    task = create(service, world)
    assert isinstance(task, dict)
    assert task["id"] == named(fake, "fresh")[0]["id"]
    assert posts == 2


def test_a_trigger_that_landed_is_found_among_the_runs(
    service: TasksService, fake: FakeArize, fake_time: FakeTime, world: dict[str, Any]
) -> None:
    task = world["eval_task"]
    fake_time.advance(-3600)
    old = fake.run(task, "COMPLETED")  # an hour before the trigger: not ours
    fake_time.advance(3600)
    fake.lose_next("POST", r"/v2/tasks/.*/trigger", landed=True)
    run = service.trigger_run(task["id"])
    assert fake.count("POST") == 1
    assert isinstance(run, dict)
    assert run["id"] != old["id"]
    assert run["id"] == fake.world.task_runs[0]["id"]
    assert repr(fake.sent()[-1]) == f"GET /v2/tasks/{task['id']}/runs?limit=100"


def test_a_trigger_that_did_not_land_is_sent_once_more(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task = world["eval_task"]
    fake.lose_next("POST", r"/v2/tasks/.*/trigger", landed=False, how="gateway")
    service.trigger_run("nightly-hallucination")
    assert fake.count("POST") == 2
    assert len([r for r in fake.world.task_runs if r["task_id"] == task["id"]]) == 1


def test_a_lost_trigger_is_never_mistaken_for_a_run_this_service_just_triggered(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task = world["eval_task"]
    first = service.trigger_run(task["id"])
    fake.lose_next("POST", r"/v2/tasks/.*/trigger", landed=False, how="gateway")
    second = service.trigger_run(task["id"])
    assert isinstance(first, dict)
    assert isinstance(second, dict)
    assert second["id"] != first["id"]
    assert fake.count("POST") == 3
    assert len([r for r in fake.world.task_runs if r["task_id"] == task["id"]]) == 2


def test_a_lost_trigger_is_never_mistaken_for_a_run_older_than_the_tasks_last_run(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task = world["eval_task"]
    earlier = fake.run(task, "RUNNING")  # started a moment ago by someone else
    task["last_run_at"] = earlier["created_at"]
    fake.lose_next("POST", r"/v2/tasks/.*/trigger", landed=False, how="gateway")
    run = service.trigger_run(task["id"])
    assert isinstance(run, dict)
    assert run["id"] != earlier["id"]
    assert fake.count("POST") == 2


def test_a_trigger_only_matches_a_run_of_the_same_window(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    from datetime import UTC, datetime

    task = world["eval_task"]
    fake.run(task, "PENDING", data_start_time="2026-01-01T00:00:00.000Z")  # another window
    fake.lose_next("POST", r"/v2/tasks/.*/trigger", landed=False)
    service.trigger_run(task["id"], RunRequest(data_start_time=datetime(2026, 3, 1, tzinfo=UTC)))
    assert fake.count("POST") == 2


def test_a_trigger_that_never_lands_is_an_unknown_outcome_naming_list_runs(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task = world["eval_task"]
    fake.lose_next("POST", r"/v2/tasks/.*/trigger", landed=False, times=10)
    with pytest.raises(UnknownOutcomeError) as caught:
        service.trigger_run(task["id"])
    assert f"list the task's runs (list_runs {task['id']})" in str(caught.value)
    assert fake.count("POST") == 3  # the first send and two bounded resends


def test_a_cancel_that_landed_is_confirmed_by_reading_the_run(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    run = fake.run(world["eval_task"], "RUNNING")
    fake.lose_next("POST", r"/v2/task-runs/.*/cancel", landed=True)
    cancelled = service.cancel_run(run["id"])
    assert isinstance(cancelled, dict)
    assert cancelled["status"] == "CANCELLED"
    assert [s.method for s in fake.sent()] == ["POST", "GET"]


def test_a_cancel_that_did_not_land_is_sent_again(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    run = fake.run(world["eval_task"], "RUNNING")
    fake.lose_next("POST", r"/v2/task-runs/.*/cancel", landed=False)
    cancelled = service.cancel_run(run["id"])
    assert isinstance(cancelled, dict)
    assert cancelled["status"] == "CANCELLED"
    assert [s.method for s in fake.sent()] == ["POST", "GET", "POST"]


def test_writes_are_never_resent_by_the_transport_itself(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    # A lost trigger answer: the transport raises, reconciliation finds the run, no resend.
    fake.lose_next("POST", r"/v2/tasks/.*/trigger", landed=True, how="gateway")
    service.trigger_run(world["eval_task"]["id"])
    assert [s.method for s in fake.sent()] == ["GET", "POST", "GET"]

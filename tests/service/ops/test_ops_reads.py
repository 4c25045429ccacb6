"""Reads: list, iterate, get; runs; the lookups.  Exact requests, by ID and by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import NotFoundError, ValidationError
from ax_tasks_mcp.service.ids import encode_id
from ax_tasks_mcp.service.models import Page
from tests.support.fake_arize import FakeArize


def requests(fake: FakeArize) -> list[str]:
    return [repr(s) for s in fake.sent()]


def test_list_tasks_resolves_a_space_name_exactly_and_sends_its_id(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    page = service.list_tasks(space="demo", task_type="template_evaluation", limit=10)
    assert requests(fake) == [
        "GET /v2/spaces?name=demo&limit=100",
        f"GET /v2/tasks?space_id={world['demo']['id']}&type=TEMPLATE_EVALUATION&limit=10",
    ]
    assert [t["name"] for t in page.items] == ["nightly-hallucination"]
    assert page.next_cursor is None


def test_list_tasks_without_a_space_uses_the_default_space_and_the_apis_page_size(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    service.list_tasks()  # no limit given: none is sent, the API's default applies
    assert requests(fake)[-1] == f"GET /v2/tasks?space_id={world['demo']['id']}"


def test_list_tasks_without_any_space_lists_everything(
    make_service: Callable[..., TasksService], fake: FakeArize, world: dict[str, Any]
) -> None:
    page = make_service(space=None).list_tasks(cursor="1", limit=1)
    assert requests(fake) == ["GET /v2/tasks?limit=1&cursor=1"]
    assert page.next_cursor == "2"
    assert page.has_more


def test_list_tasks_by_project_name_filters_by_the_project_alone(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    service.list_tasks(project="chatbot", name="nightly")
    assert requests(fake) == [
        "GET /v2/spaces?name=demo&limit=100",
        f"GET /v2/projects?space_id={world['demo']['id']}&name=chatbot&limit=100",
        f"GET /v2/tasks?name=nightly&project_id={world['chatbot']['id']}",
    ]


def test_list_tasks_refuses_a_bad_type_or_limit_before_sending(
    service: TasksService, fake: FakeArize
) -> None:
    with pytest.raises(ValidationError, match="TEMPLATE_EVALUATION, CODE_EVALUATION"):
        service.list_tasks(task_type="judge!")
    with pytest.raises(ValidationError, match="1 to 100"):
        service.list_tasks(limit=500)
    assert fake.sent() == []


def test_iter_tasks_follows_cursors_lazily(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    for index in range(5):
        fake.task(f"extra-{index}", world["demo"], project=world["chatbot"])
    tasks = service.iter_tasks(space=world["demo"]["id"], page_size=3)
    assert fake.sent() == []  # nothing until the first item is asked for
    first = next(tasks)
    assert first["name"] == "extra-4"
    assert fake.count("GET", "/v2/tasks") == 1
    rest = list(tasks)
    assert len(rest) == 7
    assert [s.query.get("cursor") for s in fake.sent()] == [None, "3", "6"]


def test_get_task_by_id_is_one_get(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task_id = world["eval_task"]["id"]
    task = service.get_task(task_id)
    assert task["id"] == task_id
    assert "space_id" not in task
    assert requests(fake) == [f"GET /v2/tasks/{task_id}"]


def test_get_task_by_name_needs_no_extra_get(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task = service.get_task("nightly-hallucination")
    assert task["id"] == world["eval_task"]["id"]
    assert requests(fake) == [
        "GET /v2/spaces?name=demo&limit=100",
        f"GET /v2/tasks?space_id={world['demo']['id']}&name=nightly-hallucination&limit=100",
    ]


def test_get_task_that_does_not_exist_is_not_found(service: TasksService, fake: FakeArize) -> None:
    with pytest.raises(NotFoundError) as caught:
        service.get_task(encode_id("OnlineTask", 9999, "zz"))
    assert caught.value.status == 404


def test_list_runs_by_name_with_a_lowercase_status(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task = world["eval_task"]
    fake.run(task, "COMPLETED")
    fake.run(task, "FAILED")
    page = service.list_runs("nightly-hallucination", status="completed", limit=5)
    assert [r["status"] for r in page.items] == ["COMPLETED"]
    assert requests(fake)[-1] == f"GET /v2/tasks/{task['id']}/runs?status=COMPLETED&limit=5"


def test_iter_runs_by_id_reads_every_page(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task = world["eval_task"]
    for _ in range(5):
        fake.run(task, "COMPLETED")
    runs = list(service.iter_runs(task["id"], page_size=2))
    assert len(runs) == 5
    assert [s.query.get("cursor") for s in fake.sent()] == [None, "2", "4"]


def test_get_run_sends_one_get_and_refuses_a_task_id(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    run = fake.run(world["eval_task"], "RUNNING")
    assert service.get_run(run["id"])["status"] == "RUNNING"
    assert requests(fake) == [f"GET /v2/task-runs/{run['id']}"]
    with pytest.raises(ValidationError, match="OnlineTask ID"):
        service.get_run(world["eval_task"]["id"])
    with pytest.raises(ValidationError, match="Names are not accepted"):
        service.get_run("my-run")
    assert len(fake.sent()) == 1


def test_list_spaces_passes_the_name_filter(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    page = service.list_lookup("spaces", name="demo", limit=2)
    assert isinstance(page, Page)
    assert [s["name"] for s in page.items] == ["demo", "demo-archive"]
    assert requests(fake) == ["GET /v2/spaces?name=demo&limit=2"]


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("projects", "/v2/projects"),
        ("datasets", "/v2/datasets"),
        ("evaluators", "/v2/evaluators"),
        ("ai_integrations", "/v2/ai-integrations"),
        ("experiments", "/v2/experiments"),
    ],
)
def test_lookups_resolve_the_space_and_send_its_id(
    service: TasksService, fake: FakeArize, world: dict[str, Any], kind: str, path: str
) -> None:
    page = service.list_lookup(kind, space="prod")
    assert isinstance(page, Page)
    assert requests(fake) == [
        "GET /v2/spaces?name=prod&limit=100",
        f"GET {path}?space_id={world['prod']['id']}",
    ]


def test_list_experiments_of_a_dataset_by_name(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    page = service.list_lookup("experiments", dataset="qa-golden")
    assert [e["name"] for e in page.items] == ["baseline", "prompt-v2"]
    assert requests(fake)[-1] == f"GET /v2/experiments?dataset_id={world['qa']['id']}"


def test_iter_lookup_reads_every_page_of_a_kind(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    names = [e["name"] for e in service.iter_lookup("evaluators", page_size=1)]
    assert names == ["hallucination", "relevance"]
    with pytest.raises(ValidationError, match="Unknown list"):
        service.iter_lookup("widgets")
    with pytest.raises(ValidationError, match="take no colour filter"):
        service.iter_lookup("projects", colour="red")

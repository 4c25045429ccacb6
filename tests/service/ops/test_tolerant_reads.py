"""Reading tolerantly at the HTTP seam: what a newer API sends is kept, as sent, never a failure;
what ax-tasks sends stays strict."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import AxTasksError, ValidationError, WaitTimeoutError
from ax_tasks_mcp.service.models import RunProgress
from ax_tasks_mcp.service.requests import EvaluationTaskSpec
from tests.support.clock import FakeTime
from tests.support.fake_arize import FakeArize

NEW_TYPE = "AGENT_EVALUATION"


def _renew(items: list[dict[str, Any]], item: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """Replace ``item`` in the fake's world by a copy with a field inserted after ``id`` and
    ``changes`` applied, as a newer API would answer."""
    first, *rest = item.items()
    newer = dict([first, ("revision", 7), *rest, ("annotations", {"tier": "gold"})])
    newer.update(changes)
    items[items.index(item)] = newer
    return newer


def test_an_unknown_task_type_and_new_fields_are_kept_in_the_apis_order(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task = _renew(fake.world.tasks, world["eval_task"], type=NEW_TYPE)
    got = service.get_task(task["id"])
    assert got["type"] == NEW_TYPE
    assert list(got) == [k for k in task if k != "space_id"]  # the order the API sent
    listed = service.list_tasks().items
    assert [t["type"] for t in listed if t["id"] == task["id"]] == [NEW_TYPE]
    by_name = service.get_task("nightly-hallucination")
    assert by_name["annotations"] == {"tier": "gold"}


def test_an_unknown_run_status_is_kept_in_get_and_list(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    run = fake.run(world["eval_task"], "QUEUED", queue_position=3)
    assert service.get_run(run["id"])["status"] == "QUEUED"
    statuses = [r["status"] for r in service.list_runs("nightly-hallucination").items]
    assert statuses == ["QUEUED"]


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("evaluators", "type", "AGENT_JUDGE"),
        ("ai_integrations", "provider", "MISTRAL"),
        ("ai_integrations", "auth_type", "WORKLOAD_IDENTITY"),
        ("projects", "project_type", "SYNTHETIC"),
    ],
)
def test_unknown_enum_values_of_the_catalog_are_kept(
    service: TasksService, fake: FakeArize, kind: str, field: str, value: str
) -> None:
    items = getattr(fake.world, kind)
    _renew(items, items[0], **{field: value})
    assert value in [item.get(field) for item in service.list_lookup(kind).items]


def test_unknown_values_inside_a_run_configuration_are_kept(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    config = {
        "experiment_type": "CODE_GENERATION",
        "ai_integration_id": world["openai"]["id"],
        "messages": [{"role": "DEVELOPER", "content": "{q}"}],
        "input_variable_format": "JINJA",
        "invocation_parameters": {
            "response_format": {
                "type": "JSON_SCHEMA",
                "json_schema": {"name": "x", "schema": {"type": "object"}},
            }
        },
    }
    task = _renew(fake.world.tasks, world["run_task"], run_configuration=config)
    got = service.get_task(task["id"])["run_configuration"]
    assert got["experiment_type"] == "CODE_GENERATION"
    assert got["messages"][0]["role"] == "DEVELOPER"
    assert got["input_variable_format"] == "JINJA"
    # A user's JSON schema is not an enum: its lowercase "object" stays as written.
    assert got["invocation_parameters"]["response_format"]["json_schema"]["schema"] == {
        "type": "object"
    }


def test_missing_optional_and_nullable_fields_never_fail_a_read(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    bare = {"id": world["eval_task"]["id"], "name": "bare", "type": NEW_TYPE}
    fake.override("GET", f"/v2/tasks/{bare['id']}", lambda request: httpx.Response(200, json=bare))
    assert service.get_task(bare["id"]) == bare
    run = fake.run(world["eval_task"], "RUNNING")
    minimal = {"id": run["id"], "task_id": run["task_id"], "status": "RUNNING"}
    fake.override(
        "GET", f"/v2/task-runs/{run['id']}", lambda request: httpx.Response(200, json=minimal)
    )
    assert service.get_run(run["id"]) == minimal


def test_times_are_kept_exactly_as_the_api_wrote_them(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task = _renew(fake.world.tasks, world["eval_task"], created_at="2026-03-10T12:00:00Z")
    assert service.get_task(task["id"])["created_at"] == "2026-03-10T12:00:00Z"


def test_a_body_that_is_not_json_is_a_clear_error(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    path = f"/v2/tasks/{world['eval_task']['id']}"
    fake.override("GET", path, lambda request: httpx.Response(200, text="<html>login</html>"))
    with pytest.raises(AxTasksError, match="could not be read: it is not JSON"):
        service.get_task(world["eval_task"]["id"])


def test_waiting_on_an_unknown_status_keeps_the_deadline_and_says_so_once(
    service: TasksService, fake: FakeArize, fake_time: FakeTime, world: dict[str, Any]
) -> None:
    run = fake.run(world["eval_task"], "QUEUED")
    seen: list[RunProgress] = []
    with pytest.raises(WaitTimeoutError) as caught:
        service.wait_for_run(run["id"], timeout=60, on_progress=seen.append)
    assert "QUEUED" in str(caught.value)
    assert fake_time.elapsed == pytest.approx(60)  # not a poll past the deadline
    notices = [p.notice for p in seen if p.notice]
    assert len(notices) == 1
    assert len(seen) > 3
    assert "'QUEUED'" in notices[0]
    assert "does not know" in notices[0]


def test_a_run_that_moves_from_an_unknown_status_to_a_final_one_ends_the_wait(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    run = fake.run(world["eval_task"], "QUEUED")
    fake.run_script[run["id"]] = ["QUEUED", "SCHEDULING", "RUNNING", "COMPLETED"]
    seen: list[RunProgress] = []
    final = service.wait_for_run(run["id"], timeout=600, on_progress=seen.append)
    assert final["status"] == "COMPLETED"
    assert len([p for p in seen if p.notice]) == 1  # QUEUED and SCHEDULING: told once


def test_filters_send_a_newer_value_as_one_word_and_refuse_anything_else(
    service: TasksService, fake: FakeArize
) -> None:
    fake.reset_log()
    with pytest.raises(ValidationError, match="Unknown run status 'queued!'"):
        service.list_runs("nightly-hallucination", status="queued!")
    with pytest.raises(ValidationError, match=r"Unknown task type 'agent evaluation\?'"):
        service.list_tasks(task_type="agent evaluation?")
    assert fake.sent() == []
    service.list_tasks(task_type=NEW_TYPE.lower())
    service.list_runs("nightly-hallucination", status="queued")
    sent = fake.sent()
    assert next(s.query.get("type") for s in sent if s.path == "/v2/tasks") == NEW_TYPE
    assert sent[-1].query["status"] == "QUEUED"


def test_a_new_task_is_still_only_of_a_type_this_version_knows() -> None:
    with pytest.raises(ValidationError, match="Unknown task type 'AGENT_EVALUATION'"):
        EvaluationTaskSpec(
            name="n", task_type=NEW_TYPE, project="p", evaluators=[{"evaluator": "e"}]
        )


def test_answers_are_json_through_and_through(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    _renew(fake.world.tasks, world["run_task"], type=NEW_TYPE)
    json.dumps([service.list_tasks().items, service.get_task("qa-generation")])

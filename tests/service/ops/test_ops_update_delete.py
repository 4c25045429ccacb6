"""Updating and deleting: type dispatch, UNCHANGED vs None, request counts, dry runs."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from ax_tasks_mcp import TaskChanges
from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import ValidationError
from ax_tasks_mcp.service.models import PlannedRequest
from tests.support.clock import FakeTime
from tests.support.fake_arize import BASE, FakeArize


def test_update_by_id_costs_one_get_and_the_patch(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task_id = world["eval_task"]["id"]
    updated = service.update_task(
        task_id, TaskChanges(name="renamed", sampling_rate=0.25, query_filter=None)
    )
    assert isinstance(updated, dict)
    assert updated["name"] == "renamed"
    assert [repr(s) for s in fake.sent()] == [
        f"GET /v2/tasks/{task_id}",
        f"PATCH /v2/tasks/{task_id} "
        '{"name": "renamed", "sampling_rate": 0.25, "query_filter": null}',
    ]


def test_update_by_name_costs_resolution_and_the_patch_only(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    service.update_task("nightly-hallucination", TaskChanges(is_continuous=False))
    task_id = world["eval_task"]["id"]
    assert [repr(s) for s in fake.sent()] == [
        "GET /v2/spaces?name=demo&limit=100",
        f"GET /v2/tasks?space_id={world['demo']['id']}&name=nightly-hallucination&limit=100",
        f'PATCH /v2/tasks/{task_id} {{"is_continuous": false}}',
    ]


def test_a_second_update_by_id_soon_after_needs_no_get(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task_id = world["eval_task"]["id"]
    service.update_task(task_id, TaskChanges(sampling_rate=0.1))
    service.update_task(task_id, TaskChanges(sampling_rate=0.2))
    assert [s.method for s in fake.sent()] == ["GET", "PATCH", "PATCH"]


def test_a_renamed_task_is_not_found_under_its_old_name_from_the_cache(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    service.update_task("nightly-hallucination", TaskChanges(name="renamed"))
    fake.reset_log()
    service.update_task("renamed", TaskChanges(sampling_rate=0.3))
    assert fake.count("GET", "/v2/tasks") == 1  # the new name was looked up, not cached


def test_unchanged_fields_are_left_out_and_none_sends_null(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    plan = service.plan_update(world["eval_task"]["id"], TaskChanges(query_filters=None))
    assert isinstance(plan, PlannedRequest)
    assert plan.body == {"query_filters": None}


def test_an_update_with_no_fields_is_refused_without_a_request(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="at least one field") as caught:
        service.update_task(world["eval_task"]["id"], TaskChanges())
    assert "run_configuration" in caught.value.valid_fields
    assert fake.sent() == []


def test_a_field_that_cannot_be_cleared_is_refused(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="name cannot be cleared"):
        service.update_task(world["eval_task"]["id"], TaskChanges(name=None))  # type: ignore[arg-type]
    assert fake.sent() == []


def test_fields_of_the_other_type_are_refused_listing_those_that_fit(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as caught:
        service.update_task("qa-generation", TaskChanges(sampling_rate=0.5))
    assert caught.value.valid_fields == ["name", "run_configuration"]
    assert "sampling_rate does not apply to task 'qa-generation'" in str(caught.value)
    assert "RUN_EXPERIMENT" in str(caught.value)
    assert fake.count("PATCH") == 0


def test_run_configuration_on_an_evaluation_task_by_id_is_refused_after_one_get(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task_id = world["eval_task"]["id"]
    config = {
        "experiment_type": "TEMPLATE_EVALUATION",
        "ai_integration_id": world["openai"]["id"],
        "template": "Is {{output}} right?",
        "provide_explanation": True,
    }
    with pytest.raises(ValidationError) as caught:
        service.update_task(task_id, TaskChanges(run_configuration=config))
    assert caught.value.valid_fields[-1] == "evaluators"
    assert [repr(s) for s in fake.sent()] == [f"GET /v2/tasks/{task_id}"]


def test_fields_that_fit_no_type_at_all_are_refused_before_any_request(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="cannot all apply to one task"):
        service.update_task(
            world["eval_task"]["id"],
            TaskChanges(sampling_rate=0.5, run_configuration={"experiment_type": "AGENT_CALL"}),
        )
    assert fake.sent() == []


def test_query_filter_and_query_filters_are_exclusive_in_updates(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="mutually exclusive"):
        service.update_task(
            world["eval_task"]["id"],
            TaskChanges(query_filter="a", query_filters={"filters": [{"id": "A", "filter": "b"}]}),
        )
    assert fake.sent() == []


def test_an_invalid_query_filters_is_refused_before_any_request(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="'filters' is missing"):
        service.update_task(
            world["eval_task"]["id"], TaskChanges(query_filters={"expression": "A"})
        )
    assert fake.sent() == []


def test_updating_evaluators_resolves_their_names(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    service.update_task(
        "nightly-hallucination",
        TaskChanges(
            evaluators=[{"evaluator": "relevance", "column_mappings": {"q": "attributes.input"}}]
        ),
    )
    patch = fake.sent()[-1]
    assert patch.body == {
        "evaluators": [
            {"evaluator_id": world["relevance"]["id"], "column_mappings": {"q": "attributes.input"}}
        ]
    }


def test_updating_a_run_configuration_normalises_it(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    plan = service.plan_update(
        "qa-generation",
        TaskChanges(
            run_configuration={
                "experiment_type": "template_evaluation",
                "ai_integration_id": "openai-prod",
                "template": "Is {{output}} right?",
                "provide_explanation": False,
            }
        ),
    )
    assert isinstance(plan, PlannedRequest)
    assert plan.method == "PATCH"
    assert plan.url == f"{BASE}/v2/tasks/{quote(world['run_task']['id'], safe='')}"
    assert plan.body["run_configuration"]["experiment_type"] == "TEMPLATE_EVALUATION"
    assert plan.body["run_configuration"]["ai_integration_id"] == world["openai"]["id"]
    assert fake.count("PATCH") == 0


def test_delete_by_name_returns_the_task_and_costs_resolution_and_the_delete(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    deleted = service.delete_task("nightly-hallucination")
    assert isinstance(deleted, dict)
    assert deleted["id"] == world["eval_task"]["id"]
    assert [s.method for s in fake.sent()] == ["GET", "GET", "DELETE"]
    assert world["eval_task"] not in fake.world.tasks


def test_delete_by_id_reads_the_task_first_to_return_it(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task_id = world["eval_task"]["id"]
    deleted = service.delete_task(task_id)
    assert isinstance(deleted, dict)
    assert deleted["name"] == "nightly-hallucination"
    assert [repr(s) for s in fake.sent()] == [
        f"GET /v2/tasks/{task_id}",
        f"DELETE /v2/tasks/{task_id}",
    ]


def test_delete_dry_run_sends_nothing(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task_id = world["eval_task"]["id"]
    plan = service.plan_delete(task_id)
    url = f"{BASE}/v2/tasks/{quote(task_id, safe='')}"
    space = f"space 'demo' ({world['demo']['id']})"
    note = f"resolved to {space} (the space of the task's project)"
    assert plan == PlannedRequest("DELETE", url, None, [f"task {task_id}", note])
    assert [repr(s) for s in fake.sent() if s.method != "GET"] == []


def test_a_delete_whose_answer_was_lost_and_retried_into_a_404_succeeded(
    service: TasksService, fake: FakeArize, fake_time: FakeTime, world: dict[str, Any]
) -> None:
    task_id = world["eval_task"]["id"]
    fake.lose_next("DELETE", f"/v2/tasks/{task_id}", landed=True)
    deleted = service.delete_task("nightly-hallucination")
    assert isinstance(deleted, dict)
    assert fake.count("DELETE") == 2  # the transport retried the idempotent DELETE


def test_delete_by_id_right_after_reading_the_task_sends_only_the_delete(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task = service.get_task("nightly-hallucination")  # what a confirmation prompt shows
    fake.reset_log()
    deleted = service.delete_task(task["id"])
    assert deleted == task
    assert [s.method for s in fake.sent()] == ["DELETE"]

"""Triggering and cancelling runs: windows, type dispatch, request counts, dry runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

import pytest

from ax_tasks_mcp import RunRequest
from ax_tasks_mcp.service.connect import TasksService
from ax_tasks_mcp.service.errors import ConflictError, ValidationError
from ax_tasks_mcp.service.models import PlannedRequest
from tests.support.clock import START
from tests.support.fake_arize import BASE, FakeArize


def test_trigger_by_id_costs_one_get_and_the_post_with_an_rfc3339_window(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    task_id = world["eval_task"]["id"]
    run = service.trigger_run(
        task_id,
        RunRequest(
            data_start_time=datetime(2026, 3, 1, tzinfo=UTC),
            data_end_time=datetime(2026, 3, 7, 12, 30, tzinfo=UTC),
            max_spans=100,
            override_evaluations=True,
        ),
    )
    assert isinstance(run, dict)
    assert run["status"] == "PENDING"
    assert [repr(s) for s in fake.sent()] == [
        f"GET /v2/tasks/{task_id}",
        f'POST /v2/tasks/{task_id}/trigger {{"data_start_time": "2026-03-01T00:00:00+00:00", '
        '"data_end_time": "2026-03-07T12:30:00+00:00", "max_spans": 100, '
        '"override_evaluations": true}',
    ]


def test_trigger_by_name_costs_resolution_and_the_post_only(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    service.trigger_run("nightly-hallucination")
    task_id = world["eval_task"]["id"]
    assert [repr(s) for s in fake.sent()] == [
        "GET /v2/spaces?name=demo&limit=100",
        f"GET /v2/tasks?space_id={world['demo']['id']}&name=nightly-hallucination&limit=100",
        f"POST /v2/tasks/{task_id}/trigger {{}}",
    ]


def test_a_start_without_an_end_gets_now_as_its_end(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    service.trigger_run(
        world["eval_task"]["id"], RunRequest(data_start_time=START - timedelta(days=2))
    )
    body = fake.sent()[-1].body
    assert body == {
        "data_start_time": "2026-03-08T12:00:00+00:00",
        "data_end_time": "2026-03-10T12:00:00+00:00",  # the injected clock's now
    }


def test_naive_datetimes_are_taken_as_utc_and_offsets_are_kept(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    plan = service.plan_trigger(
        world["eval_task"]["id"],
        RunRequest(
            data_start_time=datetime(2026, 3, 1, 8, 0),
            data_end_time=datetime(2026, 3, 2, 8, 0, tzinfo=timezone(timedelta(hours=2))),
        ),
    )
    assert isinstance(plan, PlannedRequest)
    assert plan.body == {
        "data_start_time": "2026-03-01T08:00:00+00:00",
        "data_end_time": "2026-03-02T08:00:00+02:00",
    }


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (datetime(2026, 1, 1), datetime(2026, 2, 15), "spans 45.0 days; the API allows at most 30"),
        (datetime(2026, 3, 2), datetime(2026, 3, 1), "must be before data_end_time"),
        (datetime(2026, 3, 1), datetime(2026, 3, 1), "The window is empty"),
        (START + timedelta(hours=1), None, "which defaults to now"),
    ],
)
def test_a_bad_window_is_refused_before_anything_is_sent(
    service: TasksService,
    fake: FakeArize,
    world: dict[str, Any],
    start: datetime,
    end: datetime | None,
    message: str,
) -> None:
    task_id = world["eval_task"]["id"]
    with pytest.raises(ValidationError, match=message):
        service.trigger_run(task_id, RunRequest(data_start_time=start, data_end_time=end))
    assert [s.method for s in fake.sent()] == ["GET"]  # the task's type, never the POST


def test_a_window_on_a_run_experiment_task_is_refused_as_the_wrong_type_first(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as caught:
        service.trigger_run("qa-generation", RunRequest(data_start_time=datetime(2025, 1, 1)))
    assert "data_start_time does not apply" in str(caught.value)
    assert "experiment_name" in caught.value.valid_fields


def test_a_malformed_time_string_is_refused_before_any_request(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="RFC 3339"):
        service.trigger_run("nightly-hallucination", RunRequest(data_start_time="yesterday"))  # type: ignore[arg-type]
    assert fake.sent() == []


def test_a_window_of_exactly_30_days_is_accepted(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    service.trigger_run(
        world["eval_task"]["id"],
        RunRequest(data_start_time=start, data_end_time=start + timedelta(days=30)),
    )
    assert fake.count("POST") == 1


def test_a_run_experiment_trigger_sends_its_fields(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    service.trigger_run(
        "qa-generation",
        RunRequest(
            experiment_name="exp1",
            example_ids=["e1"],
            tracing_metadata={"k": "v"},
            evaluation_task_ids=["qa-eval"],
            query_filter="x = 1",
        ),
    )
    post = fake.sent()[-1]
    assert post.path == f"/v2/tasks/{world['run_task']['id']}/trigger"
    assert post.body == {
        "experiment_name": "exp1",
        "example_ids": ["e1"],
        "query_filter": "x = 1",
        "tracing_metadata": {"k": "v"},
        "evaluation_task_ids": [world["dataset_task"]["id"]],
    }


def test_a_run_experiment_trigger_needs_an_experiment_name(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="needs experiment_name") as caught:
        service.trigger_run("qa-generation", RunRequest(max_examples=3))
    assert "experiment_name" in caught.value.valid_fields
    assert fake.count("POST") == 0


def test_an_experiment_name_with_a_quote_is_refused(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="double quotes"):
        service.trigger_run("qa-generation", RunRequest(experiment_name='say "hi"'))
    assert fake.count("POST") == 0


def test_example_ids_and_max_examples_are_exclusive(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="mutually exclusive"):
        service.trigger_run(
            "qa-generation", RunRequest(experiment_name="e", example_ids=["a"], max_examples=2)
        )
    assert fake.sent() == []


def test_evaluation_fields_on_a_run_experiment_task_are_refused_listing_those_that_fit(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as caught:
        service.trigger_run("qa-generation", RunRequest(max_spans=10))
    assert caught.value.valid_fields == [
        "experiment_name",
        "dataset_version_id",
        "example_ids",
        "max_examples",
        "query_filter",
        "tracing_metadata",
        "evaluation_task_ids",
    ]
    assert fake.count("POST") == 0


def test_run_experiment_fields_on_an_evaluation_task_are_refused(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="experiment_name does not apply") as caught:
        service.trigger_run(world["eval_task"]["id"], RunRequest(experiment_name="e"))
    assert caught.value.valid_fields[0] == "data_start_time"
    assert [s.method for s in fake.sent()] == ["GET"]


def test_mixed_fields_are_refused_before_any_request(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="cannot all apply"):
        service.trigger_run("qa-generation", RunRequest(experiment_name="e", max_spans=3))
    assert fake.sent() == []


def test_experiment_names_of_a_dataset_task_resolve_in_its_dataset(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    service.trigger_run("qa-eval", RunRequest(experiment_ids=["prompt-v2"]))
    assert fake.sent()[-1].body == {"experiment_ids": [world["prompt_v2"]["id"]]}
    assert f"GET /v2/experiments?dataset_id={world['qa']['id']}&limit=100" in [
        repr(s) for s in fake.sent()
    ]


def test_experiment_ids_on_a_project_task_are_refused(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="dataset-based evaluation tasks"):
        service.trigger_run("nightly-hallucination", RunRequest(experiment_ids=["baseline"]))
    assert fake.count("POST") == 0


def test_trigger_dry_run_resolves_but_sends_no_post(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    plan = service.plan_trigger("qa-generation", RunRequest(experiment_name="exp"))
    task_id = world["run_task"]["id"]
    assert plan == PlannedRequest(
        "POST",
        f"{BASE}/v2/tasks/{quote(task_id, safe='')}/trigger",
        {"experiment_name": "exp"},
        [
            f"task 'qa-generation' ({task_id})",
            f"resolved to space 'demo' ({world['demo']['id']}) (the space of the task's dataset)",
        ],
    )
    assert fake.count("POST") == 0


def test_cancel_sends_one_post_without_a_body(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    run = fake.run(world["eval_task"], "RUNNING")
    cancelled = service.cancel_run(run["id"])
    assert isinstance(cancelled, dict)
    assert cancelled["status"] == "CANCELLED"
    assert [repr(s) for s in fake.sent()] == [f"POST /v2/task-runs/{run['id']}/cancel"]
    request = fake.router.calls[0].request
    assert request.content == b""
    assert "content-type" not in request.headers


def test_cancel_dry_run_and_a_wrong_id_send_nothing(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    run = fake.run(world["eval_task"], "RUNNING")
    plan = service.plan_cancel(run["id"])  # one read: the run has not ended
    assert plan == PlannedRequest("POST", f"{BASE}/v2/task-runs/{quote(run['id'], safe='')}/cancel")
    with pytest.raises(ValidationError, match="OnlineTask ID"):
        service.cancel_run(world["eval_task"]["id"])
    assert fake.count("POST") == 0
    assert fake.count("GET") == 1


def test_cancelling_a_finished_run_is_a_conflict_over_the_servers_refusal(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    run = fake.run(world["eval_task"], "COMPLETED")
    with pytest.raises(ConflictError, match="has already ended") as caught:
        service.cancel_run(run["id"])
    refused = caught.value.__cause__
    assert isinstance(refused, ValidationError)
    assert refused.status == 400
    assert "already finished" in refused.message


def test_several_experiment_names_are_matched_in_one_listing(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    service.trigger_run(
        world["dataset_task"]["id"], RunRequest(experiment_ids=["prompt-v2", "baseline"])
    )
    assert fake.count("GET", "/v2/experiments") == 1
    assert fake.sent()[-1].body == {
        "experiment_ids": [world["prompt_v2"]["id"], world["baseline"]["id"]]
    }


def test_a_dataset_version_id_of_the_wrong_type_is_refused(
    service: TasksService, fake: FakeArize, world: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError, match="dataset version"):
        service.trigger_run(
            "qa-generation", RunRequest(experiment_name="e", dataset_version_id=world["qa"]["id"])
        )
    assert fake.count("POST") == 0


@pytest.mark.parametrize("metadata", [["k", "v"], {"k": 1}, "k=v"])
def test_tracing_metadata_must_be_an_object_of_strings(
    service: TasksService, fake: FakeArize, world: dict[str, Any], metadata: Any
) -> None:
    with pytest.raises(ValidationError, match="tracing_metadata must be a JSON object"):
        service.trigger_run(
            "qa-generation", RunRequest(experiment_name="e", tracing_metadata=metadata)
        )
    assert fake.count("POST") == 0

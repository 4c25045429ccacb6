"""Runs that live: their state is a function of the (injected) clock; nothing sleeps."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from ax_tasks_mcp.sandbox import ids
from ax_tasks_mcp.sandbox.runs import CONTINUOUS_INTERVAL
from ax_tasks_mcp.sandbox.workload import example_ids
from tests.support.clock import FakeTime
from tests.support.sandbox_data import (
    WINDOW,
    Catalog,
    experiment_task_body,
    span_task_body,
)


def create(api: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/v2/tasks", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def trigger(api: TestClient, task: dict[str, Any], body: dict[str, Any] | None) -> dict[str, Any]:
    response = api.post(f"/v2/tasks/{task['id']}/trigger", json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def run_at(api: TestClient, run: dict[str, Any]) -> dict[str, Any]:
    return dict(api.get(f"/v2/task-runs/{run['id']}").json())


def finish(api: TestClient, clock: FakeTime, run: dict[str, Any]) -> dict[str, Any]:
    clock.advance(120)
    return run_at(api, run)


@pytest.fixture
def task(api: TestClient, catalog: Catalog) -> dict[str, Any]:
    return create(api, span_task_body(catalog))


def test_a_run_goes_pending_running_completed_as_time_passes(
    api: TestClient, task: dict[str, Any], clock: FakeTime
) -> None:
    run = trigger(api, task, WINDOW)
    assert ids.decode(run["id"]).type_name == "TaskRun"
    assert run["status"] == "PENDING"
    assert run["run_started_at"] is None
    assert (run["num_successes"], run["num_errors"], run["num_skipped"]) == (0, 0, 0)
    assert run["data_start_time"] == "2026-03-08T00:00:00.000Z"
    assert run["data_end_time"] == "2026-03-09T00:00:00.000Z"
    assert run["created_by_user_id"] is not None

    clock.advance(0.5)
    assert run_at(api, run)["status"] == "PENDING"
    clock.advance(1.0)
    running = run_at(api, run)
    assert running["status"] == "RUNNING"
    assert running["run_started_at"] is not None
    assert running["run_finished_at"] is None
    clock.advance(3)
    later = run_at(api, run)
    assert later["num_successes"] + later["num_errors"] > (
        running["num_successes"] + running["num_errors"]
    )
    done = finish(api, clock, run)
    assert done["status"] == "COMPLETED"
    assert done["run_finished_at"] > done["run_started_at"]
    assert done["failure_reason"] is None
    assert done["num_successes"] > 0
    assert api.get(f"/v2/tasks/{task['id']}").json()["last_run_at"] == run["created_at"]


def test_counts_follow_window_volume_sampling_and_max_spans(
    api: TestClient, catalog: Catalog, clock: FakeTime
) -> None:
    full = create(api, span_task_body(catalog, "full", sampling_rate=1.0))
    half = create(api, span_task_body(catalog, "half", sampling_rate=0.5))
    capped = create(api, span_task_body(catalog, "capped", sampling_rate=1.0))
    runs = [
        trigger(api, full, WINDOW),
        trigger(api, half, WINDOW),
        trigger(api, capped, {**WINDOW, "max_spans": 100}),
    ]
    wide = {**WINDOW, "data_start_time": "2026-03-05T00:00:00Z"}
    runs.append(trigger(api, create(api, span_task_body(catalog, "wide")), wide))
    clock.advance(600)
    totals = [run_at(api, r) for r in runs]
    done = [r["num_successes"] + r["num_errors"] for r in totals]
    assert all(r["status"] == "COMPLETED" for r in totals)
    assert abs(done[1] - done[0] / 2) <= 1
    assert done[2] == 100
    assert done[3] > 3 * done[0]
    # deterministic: the same window on a fresh task gives the same count
    again = trigger(api, create(api, span_task_body(catalog, "again", sampling_rate=1.0)), WINDOW)
    clock.advance(600)
    again_done = run_at(api, again)
    assert again_done["num_successes"] + again_done["num_errors"] == done[0]


def test_a_window_with_nothing_new_ends_cancelled_and_says_to_override(
    api: TestClient, task: dict[str, Any], clock: FakeTime
) -> None:
    first = finish(api, clock, trigger(api, task, WINDOW))
    assert first["status"] == "COMPLETED"
    repeat = finish(api, clock, trigger(api, task, WINDOW))
    assert repeat["status"] == "CANCELLED"
    assert (repeat["num_successes"], repeat["num_errors"], repeat["num_skipped"]) == (0, 0, 0)
    assert "override_evaluations" in repeat["failure_reason"]
    forced = finish(api, clock, trigger(api, task, {**WINDOW, "override_evaluations": True}))
    assert forced["status"] == "COMPLETED"
    assert forced["num_successes"] + forced["num_errors"] == (
        first["num_successes"] + first["num_errors"]
    )


def test_overlapping_windows_skip_labelled_spans(
    api: TestClient, task: dict[str, Any], clock: FakeTime
) -> None:
    first = finish(api, clock, trigger(api, task, WINDOW))
    longer = {**WINDOW, "data_end_time": "2026-03-10T00:00:00Z"}
    second = finish(api, clock, trigger(api, task, longer))
    assert second["status"] == "COMPLETED"
    assert second["num_skipped"] == first["num_successes"] + first["num_errors"]


def test_later_runs_default_their_window_to_the_last_one(
    api: TestClient, task: dict[str, Any], clock: FakeTime
) -> None:
    finish(api, clock, trigger(api, task, WINDOW))
    nxt = trigger(api, task, {})
    assert nxt["data_start_time"] == WINDOW["data_end_time"].replace("+00:00", ".000Z")
    assert nxt["data_end_time"] == api.get(f"/v2/task-runs/{nxt['id']}").json()["created_at"]


def test_cancel_stops_a_running_run(api: TestClient, task: dict[str, Any], clock: FakeTime) -> None:
    run = trigger(api, task, WINDOW)
    clock.advance(2)
    cancelled = api.post(f"/v2/task-runs/{run['id']}/cancel")
    assert cancelled.status_code == 200
    body = cancelled.json()
    assert body["status"] == "CANCELLED"
    assert body["run_finished_at"] is not None
    clock.advance(600)
    assert run_at(api, run) == body
    assert api.post(f"/v2/task-runs/{run['id']}/cancel").status_code == 400


def test_list_runs_newest_first_with_a_status_filter(
    api: TestClient, task: dict[str, Any], clock: FakeTime
) -> None:
    first = finish(api, clock, trigger(api, task, WINDOW))
    second = trigger(api, task, {**WINDOW, "override_evaluations": True})
    listed = api.get(f"/v2/tasks/{task['id']}/runs").json()
    assert [r["id"] for r in listed["task_runs"]] == [second["id"], first["id"]]
    assert listed["pagination"] == {"has_more": False}
    completed = api.get(f"/v2/tasks/{task['id']}/runs", params={"status": "COMPLETED"}).json()
    assert [r["id"] for r in completed["task_runs"]] == [first["id"]]
    one = api.get(f"/v2/tasks/{task['id']}/runs", params={"limit": 1}).json()
    assert one["pagination"]["has_more"] is True
    rest = api.get(
        f"/v2/tasks/{task['id']}/runs", params={"cursor": one["pagination"]["next_cursor"]}
    ).json()
    assert [r["id"] for r in rest["task_runs"]] == [first["id"]]


def test_a_broken_evaluator_fails_the_run_with_a_reason(
    api: TestClient, catalog: Catalog, clock: FakeTime
) -> None:
    body = span_task_body(catalog, "pii")
    body["evaluators"][0]["evaluator_id"] = catalog.evaluator("pii-regex-check")
    run = finish(api, clock, trigger(api, create(api, body), WINDOW))
    assert run["status"] == "FAILED"
    assert "pii-regex-check" in run["failure_reason"]
    assert run["num_errors"] > 0


def test_pinning_an_earlier_version_of_a_broken_evaluator_works(
    api: TestClient, app: Any, catalog: Catalog, clock: FakeTime
) -> None:
    evaluator = catalog.evaluator("pii-regex-check")
    with app.state.sandbox.store.read() as conn:
        first = conn.execute(
            "SELECT MIN(id) FROM evaluator_versions WHERE evaluator_id = ?",
            (ids.decode(evaluator).number,),
        ).fetchone()[0]
    body = span_task_body(catalog, "pii-pinned")
    body["evaluators"][0] = {
        "evaluator_id": evaluator,
        "evaluator_version_id": ids.encode(ids.EVALUATOR_VERSION, first),
    }
    run = finish(api, clock, trigger(api, create(api, body), WINDOW))
    assert run["status"] == "COMPLETED"


# ------------------------------------------------------------------ dataset tasks


@pytest.fixture
def dataset_task(api: TestClient, catalog: Catalog) -> dict[str, Any]:
    body = span_task_body(catalog, "ds-task", type="CODE_EVALUATION")
    del body["project_id"]
    body["dataset_id"] = catalog.datasets["qa-golden"]["id"]
    body["experiment_ids"] = catalog.experiments_of("qa-golden")
    body["evaluators"][0]["evaluator_id"] = catalog.evaluator("json-validity")
    return create(api, body)


def test_dataset_task_runs_count_examples_times_experiments(
    api: TestClient, dataset_task: dict[str, Any], clock: FakeTime
) -> None:
    run = trigger(api, dataset_task, {})
    assert run["data_start_time"] is None
    done = finish(api, clock, run)
    assert done["status"] == "COMPLETED"
    # qa-golden experiments: 40 (v1), 60 (v2), 60 (v2) examples
    assert done["num_successes"] + done["num_errors"] == 160
    again = finish(api, clock, trigger(api, dataset_task, {}))
    assert again["status"] == "CANCELLED"
    assert "override_evaluations" in again["failure_reason"]


def test_experiments_of_another_dataset_fail_the_run(
    api: TestClient, dataset_task: dict[str, Any], catalog: Catalog, clock: FakeTime
) -> None:
    foreign = catalog.experiments_of("rag-questions")[:1]
    run = finish(api, clock, trigger(api, dataset_task, {"experiment_ids": foreign}))
    assert run["status"] == "FAILED"
    assert "rag-questions" in run["failure_reason"]
    assert run["num_successes"] == 0


# ------------------------------------------------------------------ run-experiment tasks


@pytest.fixture
def experiment_task(api: TestClient, catalog: Catalog) -> dict[str, Any]:
    return create(api, experiment_task_body(catalog))


def test_a_run_experiment_run_creates_an_experiment_once_running(
    api: TestClient, experiment_task: dict[str, Any], catalog: Catalog, clock: FakeTime
) -> None:
    dataset_id = catalog.datasets["qa-golden"]["id"]
    run = trigger(api, experiment_task, {"experiment_name": "exp-1", "max_examples": 10})
    assert run["experiment_id"] is None
    assert run["data_start_time"] is None

    def names() -> set[str]:
        listed = api.get("/v2/experiments", params={"dataset_id": dataset_id}).json()
        return {e["name"] for e in listed["experiments"]}

    assert "exp-1" not in names()
    clock.advance(1.5)
    running = run_at(api, run)
    assert running["status"] == "RUNNING"
    assert ids.decode(running["experiment_id"]).type_name == "Experiment"
    assert "exp-1" in names()
    done = finish(api, clock, run)
    assert done["status"] == "COMPLETED"
    assert done["num_successes"] + done["num_errors"] == 10


def test_example_ids_pick_examples_and_unknown_ones_are_skipped(
    api: TestClient, experiment_task: dict[str, Any], catalog: Catalog, clock: FakeTime
) -> None:
    dataset_number = ids.decode(catalog.datasets["qa-golden"]["id"]).number
    chosen = [*example_ids(dataset_number, 3), "not-an-example"]
    run = finish(
        api, clock, trigger(api, experiment_task, {"experiment_name": "e", "example_ids": chosen})
    )
    assert run["status"] == "COMPLETED"
    assert run["num_successes"] + run["num_errors"] == 3
    assert run["num_skipped"] == 1
    none = finish(
        api, clock, trigger(api, experiment_task, {"experiment_name": "f", "example_ids": ["x"]})
    )
    assert none["status"] == "FAILED"
    assert "example_ids" in none["failure_reason"]


def test_a_dataset_version_picks_the_example_count(
    api: TestClient, experiment_task: dict[str, Any], clock: FakeTime
) -> None:
    v1 = ids.encode(ids.DATASET_VERSION, 1)  # qa-golden v1: 40 examples
    run = finish(
        api,
        clock,
        trigger(api, experiment_task, {"experiment_name": "v1", "dataset_version_id": v1}),
    )
    assert run["num_successes"] + run["num_errors"] == 40
    latest = finish(api, clock, trigger(api, experiment_task, {"experiment_name": "latest"}))
    assert latest["num_successes"] + latest["num_errors"] == 60
    other = ids.encode(ids.DATASET_VERSION, 3)  # rag-questions v1
    refused = api.post(
        f"/v2/tasks/{experiment_task['id']}/trigger",
        json={"experiment_name": "x", "dataset_version_id": other},
    )
    assert refused.status_code == 422


def test_cancelling_before_provisioning_frees_the_experiment_name(
    api: TestClient, experiment_task: dict[str, Any]
) -> None:
    run = trigger(api, experiment_task, {"experiment_name": "again"})
    assert api.post(f"/v2/task-runs/{run['id']}/cancel").json()["experiment_id"] is None
    trigger(api, experiment_task, {"experiment_name": "again"})


def test_evaluation_tasks_chained_after_an_experiment_get_runs(
    api: TestClient,
    experiment_task: dict[str, Any],
    dataset_task: dict[str, Any],
    clock: FakeTime,
) -> None:
    run = trigger(
        api,
        experiment_task,
        {"experiment_name": "chained", "evaluation_task_ids": [dataset_task["id"]]},
    )
    assert api.get(f"/v2/tasks/{dataset_task['id']}/runs").json()["task_runs"] == []
    done = finish(api, clock, run)
    chained = api.get(f"/v2/tasks/{dataset_task['id']}/runs").json()["task_runs"]
    assert len(chained) == 1
    assert chained[0]["created_at"] == done["run_finished_at"]


def test_a_chained_task_must_score_the_same_dataset(
    api: TestClient, experiment_task: dict[str, Any], task: dict[str, Any]
) -> None:
    response = api.post(
        f"/v2/tasks/{experiment_task['id']}/trigger",
        json={"experiment_name": "x", "evaluation_task_ids": [task["id"]]},
    )
    assert response.status_code == 422


# ------------------------------------------------------------------ continuous tasks


def test_continuous_tasks_get_runs_as_time_passes(
    api: TestClient, catalog: Catalog, clock: FakeTime
) -> None:
    task = create(api, span_task_body(catalog, "live", is_continuous=True))
    url = f"/v2/tasks/{task['id']}/runs"
    assert api.get(url).json()["task_runs"] == []
    clock.advance(CONTINUOUS_INTERVAL + 1)
    runs = api.get(url).json()["task_runs"]
    assert len(runs) == 1
    assert runs[0]["created_by_user_id"] is None
    assert runs[0]["data_end_time"] == runs[0]["created_at"]
    clock.advance(CONTINUOUS_INTERVAL)
    assert len(api.get(url).json()["task_runs"]) == 2
    clock.advance(CONTINUOUS_INTERVAL * 50)
    assert len(api.get(url).json()["task_runs"]) == 5  # only the latest few slots catch up
    api.patch(f"/v2/tasks/{task['id']}", json={"is_continuous": False})
    clock.advance(CONTINUOUS_INTERVAL * 5)
    assert len(api.get(url).json()["task_runs"]) == 5


def test_speed_makes_runs_and_continuity_faster(
    make_app: Any, client_for: Any, clock: FakeTime
) -> None:
    with client_for(make_app(speed=10.0)) as api:
        catalog = Catalog(api)
        task = create(api, span_task_body(catalog, "quick", is_continuous=True))
        run = trigger(api, task, WINDOW)
        clock.advance(0.2)
        assert run_at(api, run)["status"] == "RUNNING"
        clock.advance(10)
        assert run_at(api, run)["status"] == "COMPLETED"
        clock.advance(CONTINUOUS_INTERVAL / 10)
        assert len(api.get(f"/v2/tasks/{task['id']}/runs").json()["task_runs"]) == 2
